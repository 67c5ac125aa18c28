"""A table model that loads its rows page by page as the view scrolls.

The rows come from a `PagedRows` (plain Python, no Qt) so the loading rules can be tested
without a screen; the model only maps rows to cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

R = TypeVar("R")
PAGE_SIZE = 200
if TYPE_CHECKING:
    # Only for annotations: `QModelIndex | QPersistentModelIndex` at run time makes shiboken
    # load its whole signature machinery, about 50 ms of start-up.
    _Index = QModelIndex | QPersistentModelIndex


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

    def fetch_more(self) -> list[R]:
        page = self._fetch(len(self.rows), self.page_size)
        self.rows.extend(page)
        if not page:  # the table shrank under us; stop asking
            self.total = len(self.rows)
        return page


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]
    sort_key: str | None = None
    align_right: bool = False


class PagedTableModel(QAbstractTableModel):
    """Shows `PagedRows`; sorting and filtering are asked of the source, not done in memory.

    Not a typing.Generic: mixing Generic into a Qt class costs about 50 ms of start-up
    (shiboken builds its signature machinery for it).
    """

    def __init__(self, columns: Sequence[Column[Any]], rows: PagedRows[Any]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.paged = rows

    # Qt's interface
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.paged.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.paged.rows):
            return None
        row = self.paged.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.DisplayRole:
            return column.text(row)
        if role == Qt.TextAlignmentRole and column.align_right:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.UserRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.paged.can_fetch_more()

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        start = len(self.paged.rows)
        page = self.paged.fetch_more()
        if page:
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self.endInsertRows()

    # Ours
    def show_rows(self, rows: PagedRows[Any]) -> None:
        """Replace the query behind the table (a new filter, sort or search) and load its first page."""
        self.beginResetModel()
        self.paged = rows
        self.paged.reload()
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.paged.rows[row] if 0 <= row < len(self.paged.rows) else None

    @property
    def total(self) -> int:
        return self.paged.total
