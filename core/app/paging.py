"""Rows of one list query by position, read a page at a time as a table shows them (plain Python, no Qt).

The table knows the total from the start, so its scroll bar spans the whole list; a row is
read when it is first shown: the page holding it, and only that page, whatever lies between
(a scroll bar dragged to row 750,000 reads one page, not 3,750). At most `MAX_PAGES` pages are
kept; the one used longest ago is dropped, so memory stays bounded however far the clerk
scrolls. A list backed by a keyset source (`keyset_rows`) continues from the sort key of a
neighbouring page and jumps by position through an index (core/db/keyset.py); a small list
reads by offset (`PagedRows(count, fetch)`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

R = TypeVar("R")
PAGE_SIZE = 200
MAX_PAGES = 12  # 2,400 rows: several screens either side of the one shown
Key = tuple[Any, ...]


class Source(Protocol[R]):
    def count(self) -> int: ...

    def read(
        self, start: int, limit: int, total: int, after: Key | None, before: Key | None
    ) -> list[tuple[Key, R]]:
        """Rows start .. start+limit-1 with their sort keys; `after` / `before` are the keys of
        the rows just before and just after, when known."""
        ...

    def locate(self, ident: object) -> int | None:
        """The position of the row with this id (case id, uuid), None if it is not listed."""
        ...


class _Offsets(Generic[R]):
    """A source read by position alone (short lists: batches, keys)."""

    def __init__(self, count: Callable[[], int], fetch: Callable[[int, int], list[R]]) -> None:
        self._count, self._fetch = count, fetch

    def count(self) -> int:
        return self._count()

    def read(
        self, start: int, limit: int, total: int, after: Key | None, before: Key | None
    ) -> list[tuple[Key, R]]:
        return [((), row) for row in self._fetch(start, limit)]

    def locate(self, ident: object) -> int | None:
        return None


class _Page(Generic[R]):
    __slots__ = ("keys", "rows")

    def __init__(self, read: list[tuple[Key, R]]) -> None:
        self.keys = [k for k, _ in read]
        self.rows = [r for _, r in read]


class PagedRows(Generic[R]):
    """The rows of one query by position: the total, and the few pages read so far."""

    def __init__(
        self,
        count: Callable[[], int],
        fetch: Callable[[int, int], list[R]],
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
    ) -> None:
        self._source: Source[R] = _Offsets(count, fetch)
        self.page_size = page_size
        self.max_pages = max_pages
        self.total = 0
        self._pages: OrderedDict[int, _Page[R]] = OrderedDict()
        self.reads = 0  # pages read from the source since the last reload (for tests and bench)

    @classmethod
    def of(cls, source: Source[R], page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES) -> PagedRows[R]:
        rows: PagedRows[R] = cls(lambda: 0, lambda _o, _l: [], page_size, max_pages)
        rows._source = source
        return rows

    def reload(self) -> None:
        self._pages.clear()
        self.reads = 0
        self.total = self._source.count()
        if self.total:
            self._page(0)

    def row(self, position: int) -> R | None:
        """The row at a position, reading its page if it is not loaded; None past the end."""
        if not 0 <= position < self.total:
            return None
        number, place = divmod(position, self.page_size)
        page = self._page(number)
        return page.rows[place] if place < len(page.rows) else None

    def locate(self, ident: object) -> int | None:
        """The position of the row with this id in the list, None if it is not in it."""
        return self._source.locate(ident)

    @property
    def rows(self) -> list[R]:
        """The loaded rows in list order (after a reload: the first page)."""
        return [row for number in sorted(self._pages) for row in self._pages[number].rows]

    @property
    def loaded_rows(self) -> int:
        return sum(len(p.rows) for p in self._pages.values())

    @property
    def loaded_pages(self) -> list[int]:
        return sorted(self._pages)

    def _page(self, number: int) -> _Page[R]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        start = number * self.page_size
        limit = min(self.page_size, self.total - start)
        page = _Page(self._source.read(start, limit, self.total, self._after(number), self._before(number)))
        self.reads += 1
        self._pages[number] = page
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return page

    def _after(self, number: int) -> Key | None:
        previous = self._pages.get(number - 1)
        full = previous is not None and len(previous.rows) == self.page_size
        return previous.keys[-1] if full and previous.keys[-1] else None  # type: ignore[union-attr]

    def _before(self, number: int) -> Key | None:
        following = self._pages.get(number + 1)
        return following.keys[0] if following is not None and following.keys and following.keys[0] else None


def keyset_rows(source: Source[R]) -> PagedRows[R]:
    return PagedRows.of(source)
