"""Rows of one list query, read page by page as a table scrolls (plain Python, no Qt).

A table model asks for the next page, tells its view that rows are coming, and only then
adds them (`extend`): Qt's models must announce a change before making it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

R = TypeVar("R")
PAGE_SIZE = 200


class PagedRows(Generic[R]):
    """The loaded rows of one query, and the total it would give if read to the end."""

    def __init__(
        self, count: Callable[[], int], fetch: Callable[[int, int], list[R]], page_size: int = PAGE_SIZE
    ) -> None:
        self._count = count
        self._fetch = fetch
        self.page_size = page_size
        self.total = 0
        self.rows: list[R] = []

    def reload(self) -> None:
        self.total = self._count()
        self.rows = self._fetch(0, self.page_size) if self.total else []

    def can_fetch_more(self) -> bool:
        return len(self.rows) < self.total

    def next_page(self) -> list[R]:
        """Read the page after the loaded rows without adding it; see `extend`."""
        if not self.can_fetch_more():
            return []
        page = self._fetch(len(self.rows), self.page_size)
        if not page:  # the table shrank under us; stop asking
            self.total = len(self.rows)
        return page

    def extend(self, page: list[R]) -> None:
        self.rows.extend(page)
