"""The case list: a search box and filters above a lazily loaded, sortable table.

Beside the filters, the office head's queue: 待初审 with its count, and a button that shows only
the cases waiting for the town review (the status filter at 已受理); the window opens on it when
the operator is the head, with its first case selected. After a case is opened and closed, the
row in its place stays selected, so in the queue the next waiting case is one Enter away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.cases.states import STATUS_LABELS
from core.ids import CaseId
from ui.cases.model import CaseTableModel
from ui.cases.state import QUEUE_STATUS
from ui.columns import keep_fitted

SEARCH_DELAY_MS = 150  # wait for a pause in typing before asking the database


SUBSIDY_COLUMN = 4  # ui/cases/model.case_columns


class CaseListView(QWidget):
    case_activated = Signal(int)

    queue_counted = Signal(int)  # cases waiting for the town review, after each refresh

    def __init__(
        self,
        model: CaseTableModel,
        queue_count: Callable[[], int] = lambda: 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._queue_count = queue_count
        self._waiting: int | None = None
        self.queue_label = QLabel()
        self.queue_label.setStyleSheet("font-weight: bold;")
        self.show_queue = QPushButton("只看待初审(&Q)")
        self.show_all = QPushButton("查看全部案件(&L)")
        self.search = QLineEdit(placeholderText="搜索：姓名、身份证号（或后四位）、受理编号")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem("全部状态", None)
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.subsidy = QComboBox()
        self.village = QComboBox()
        self.count_label = QLabel()
        self.table = self._make_table()
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._lay_out()
        self._connect()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setSortingEnabled(True)
        table.horizontalHeader().setSortIndicator(5, Qt.SortOrder.DescendingOrder)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        keep_fitted(table, SUBSIDY_COLUMN)  # names and subsidies whole; the spare room to the subsidy
        return table

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for label, box in (("状态", self.status), ("补贴", self.subsidy), ("村", self.village)):
            bar.addWidget(QLabel(label))
            bar.addWidget(box, 1)
        queue = QHBoxLayout()
        queue.addWidget(self.queue_label)
        queue.addWidget(self.show_queue)
        queue.addWidget(self.show_all)
        queue.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(queue)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        self.setTabOrder(self.search, self.status)
        self.setTabOrder(self.status, self.subsidy)
        self.setTabOrder(self.subsidy, self.village)
        self.setTabOrder(self.village, self.table)

    def _connect(self) -> None:
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        self._timer.timeout.connect(self.apply_filters)
        for box in (self.status, self.subsidy, self.village):
            box.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.table.activated.connect(self._activated)
        self.show_queue.clicked.connect(lambda: self.set_queue(True))
        self.show_all.clicked.connect(lambda: self.set_queue(False))

    def set_choices(self, subsidies: list[tuple[str, str]], villages: list[str]) -> None:
        """Fill the subsidy and village filters, keeping the current choice where possible."""
        for box, items, everything in (
            (self.subsidy, subsidies, "全部补贴"),
            (self.village, [(v, v) for v in villages], "全部村"),
        ):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for value, label in items:
                box.addItem(label, value)
            found = box.findData(current)
            box.setCurrentIndex(max(found, 0))
            box.blockSignals(False)

    def show_queue_bar(self, on: bool) -> None:
        """The town's review queue; the county's PC has its own queue (待审核) on its screen."""
        for widget in (self.queue_label, self.show_queue, self.show_all):
            widget.setVisible(on)

    def set_queue(self, on: bool) -> None:
        """Show only the cases waiting for the town review (on), or cases in every state."""
        self.status.setCurrentIndex(self.status.findData(QUEUE_STATUS) if on else 0)  # refreshes

    def apply_filters(self) -> None:
        self._timer.stop()
        place = self.table.currentIndex().row()
        state = self.model.state
        before = state.filter
        state.set_text(self.search.text())
        state.set_status(self.status.currentData())
        state.set_subsidy(self.subsidy.currentData())
        state.set_village(self.village.currentData())
        self.model.refresh()
        if place >= 0 and self.model.rowCount():  # a reviewed case left the queue: the next one
            self.table.selectRow(min(place, self.model.rowCount() - 1))
        elif self.model.state.is_queue and self.model.rowCount():  # the queue's first case, ready
            self.table.selectRow(0)
        # Typing in the search box changes no case: the 待初审 count stands (it is a count over
        # every accepted case, 20 ms at a million).
        typed = before != state.filter and replace(before, text=state.filter.text) == state.filter
        self._update_count(recount=not typed)

    def _update_count(self, recount: bool = True) -> None:
        self.count_label.setText(f"共 {self.model.total} 件")
        if recount or self._waiting is None:
            self._waiting = self._queue_count()
        waiting = self._waiting
        self.queue_label.setText(f"待初审 {waiting} 件")
        self.show_queue.setEnabled(not self.model.state.is_queue)
        self.show_all.setEnabled(bool(self.model.state.filter.statuses))
        self.queue_counted.emit(waiting)

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.case_activated.emit(row.id)

    def selected_case_id(self) -> CaseId | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        return row.id if row else None

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
