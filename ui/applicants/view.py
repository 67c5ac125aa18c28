"""The applicant list: search as you type; Enter or double-click opens the person."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.applicants.model import PersonTableModel
from ui.cases.view import SEARCH_DELAY_MS
from ui.columns import keep_fitted


class PersonListView(QWidget):
    person_activated = Signal(int)
    new_person_requested = Signal()

    def __init__(self, model: PersonTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit(placeholderText="搜索：姓名或身份证号（可输后四位）")
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton("新建人员(&N)")
        self.count_label = QLabel()
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        keep_fitted(self.table, 6)  # the spare room to 人员类别
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.apply_search)
        self._timer.timeout.connect(self.apply_search)
        self.table.activated.connect(self._activated)
        self.new_button.clicked.connect(self.new_person_requested)

    def apply_search(self) -> None:
        self._timer.stop()
        self.model.search(self.search.text())
        self._update_count()

    def refresh(self) -> None:
        self.model.search(self.model.text)
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(f"共 {self.model.total} 人")

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.person_activated.emit(row.id)
