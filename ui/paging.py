"""A table model that loads its rows page by page as the view scrolls.

The rows come from a `PagedRows` of core.app (plain Python, no Qt) so the loading rules can be
tested without a screen; the model only maps rows to cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from core.app.paging import PagedRows
from ui.shield import shielded

R = TypeVar("R")
if TYPE_CHECKING:
    # Only for annotations: `QModelIndex | QPersistentModelIndex` at run time makes shiboken
    # load its whole signature machinery, about 50 ms of start-up.
    _Index = QModelIndex | QPersistentModelIndex


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
        self._fetching = False

    # Qt's interface
    @shielded(0)
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.paged.rows)

    @shielded(0)
    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    @shielded(None)
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.paged.rows):
            return None
        row = self.paged.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    @shielded(None)
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].title
        return None

    @shielded(False)
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.paged.can_fetch_more()

    @shielded(None)
    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        # Views and Qt's model tester may ask again from inside beginInsertRows (before the page
        # is added: it would show twice) or while a reset is being announced.
        if parent.isValid() or self._fetching:
            return
        self._fetching = True
        try:
            start = len(self.paged.rows)
            page = self.paged.next_page()
            if page:  # Qt must hear of the rows before they are there
                self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
                self.paged.extend(page)
                self.endInsertRows()
        finally:
            self._fetching = False

    # Ours
    def show_rows(self, rows: PagedRows[Any]) -> None:
        """Replace the query behind the table (a new filter, sort or search) and load its first page."""
        self._fetching = True  # no rows are added while the reset is being announced
        try:
            self.beginResetModel()
            self.paged = rows
            self.paged.reload()
            self.endResetModel()
        finally:
            self._fetching = False

    def row_at(self, row: int) -> Any:
        return self.paged.rows[row] if 0 <= row < len(self.paged.rows) else None

    @property
    def total(self) -> int:
        return self.paged.total
