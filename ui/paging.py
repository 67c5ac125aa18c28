"""A table model over a whole list whose rows are read a page at a time as the view shows them.

The rows come from a `PagedRows` of core.app (plain Python, no Qt) so the loading rules can be
tested without a screen; the model only maps rows to cells. The row count is the list's total
from the start: the scroll bar spans the whole list, and a row is read (with its page) when the
view first asks for it, so a drag to the end reads one page and memory stays bounded.
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


_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.UserRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


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
    @shielded(0)
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.paged.total

    @shielded(0)
    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    @shielded(None)
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in _ROLES:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.align_right else None
        row = self.paged.row(index.row())
        if row is None:  # the list shrank since it was counted; a refresh will show it
            return None
        return column.text(row) if role == Qt.ItemDataRole.DisplayRole else row

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

    # Ours
    def show_rows(self, rows: PagedRows[Any]) -> None:
        """Replace the query behind the table (a new filter, sort or search) and load its first page."""
        self.beginResetModel()
        self.paged = rows
        self.paged.reload()
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.paged.row(row)

    @property
    def total(self) -> int:
        return self.paged.total
