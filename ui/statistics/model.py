"""The 统计 table: one line per month (subsidy, village, ...), then 合计."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ui.shield import shielded
from ui.statistics.state import StatisticsState

if TYPE_CHECKING:
    _Index = QModelIndex | QPersistentModelIndex


class StatisticsModel(QAbstractTableModel):
    def __init__(self, state: StatisticsState) -> None:
        super().__init__()
        self.state = state
        self._bold = QFont()
        self._bold.setBold(True)

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    @shielded(0)
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.state.lines())

    @shielded(0)
    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.state.headers())

    @shielded(None)
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        lines = self.state.lines()
        if not index.isValid() or index.row() >= len(lines) or index.column() >= len(self.state.headers()):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.state.cell(lines[index.row()], index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() == len(lines) - 1:
            return self._bold  # 合计
        return None

    @shielded(None)
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        headers = self.state.headers()
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return headers[section] if 0 <= section < len(headers) else None
        return None
