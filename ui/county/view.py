"""县局审核: the imported cases with filters, the county's decisions, and the packages in and out.

The screen opens on the queue: the cases waiting for a decision (待审核), with their count; the
status filter shows the rest. Double-click or Enter opens a case's full view (case_view.py).
Decisions are small forms (forms.py) that check by field and ask for confirmation; a decision
can be corrected until its result package is written. Messages, confirmations, folders and
files go through DialogService, so tests answer them. Decisions are single short transactions
on the GUI thread; importing and exporting packages run on a worker (ui/jobs.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import county as ops
from core.app.county import Decision, decisions_allowed
from core.app.storage import Database
from core.errors import SubsidyDeskError
from core.packages.county_query import CountyCaseRow
from core.packages.decisions import DECISION_LABELS, RECEIVED
from ui.columns import fit_columns
from ui.county.forms import DecisionForm, open_form
from ui.county.model import CountyCaseModel
from ui.county.state import CountyListState
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job

TITLE = "县局：审核已导入的案件"
SUBSIDY_COLUMN = 4  # ui/county/model.county_columns: the spare room goes to the subsidy
STARTUP_SERVICE_MS = 1000  # the in-program receiving service starts once the screen is up


class CountyWindow(QWidget):
    def __init__(
        self,
        db: Database,
        dialogs: DialogService,
        actor_of: Callable[[], Actor],
        subsidy_name: Callable[[str, str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(TITLE)
        self.resize(1000, 640)
        self.db, self.dialogs, self._actor_of = db, dialogs, actor_of
        self._subsidy_name = subsidy_name
        self.model = CountyCaseModel(
            CountyListState(), lambda s: ops.county_rows(db, filter=s.filter), subsidy_name
        )
        self.import_dialog: Any = None
        self.last_export: Any = None
        self.form: DecisionForm | None = None
        self.case_dialog: Any = None
        self._make_widgets()
        self._lay_out()
        self._connect()
        self.refresh()
        QTimer.singleShot(STARTUP_SERVICE_MS, self._start_service)

    # Building
    def _make_widgets(self) -> None:
        self.office = QComboBox()
        self.status = QComboBox()
        self.status.addItem("全部状态", None)
        for status, label in DECISION_LABELS.items():
            self.status.addItem(label, status)
        self.status.setCurrentIndex(self.status.findData(self.model.state.filter.status))  # the queue
        self.show_all = QPushButton("查看全部案件(&L)")
        self.show_queue = QPushButton("只看待审核(&Q)")
        self.duplicates = QCheckBox("只看重复申报(&D)")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.queue_label = QLabel()
        self.queue_label.setStyleSheet("font-weight: bold;")
        self.count_label = QLabel()
        self.open_button = QPushButton("查看案件(&O)…")
        self.buttons = {
            Decision.APPROVE: QPushButton("审核通过(&A)…"),
            Decision.REJECT: QPushButton("不予通过(&N)…"),
            Decision.PAID: QPushButton("登记拨付(&B)…"),
            Decision.RESOLVE: QPushButton("核定重复申报：保留本件(&K)…"),
            Decision.CORRECT: QPushButton("更正决定(&G)…"),
        }
        self.import_button = QPushButton("导入数据包(&I)…")
        self.export_button = QPushButton("生成结果包(&E)…")
        self.catalog_button = QPushButton("政策目录更新(&U)…")
        self.inbox_button = QPushButton("网上收件(&W)…")
        self.inbox_window: Any = None

    def _lay_out(self) -> None:
        # Two rows above the table, so that the screen fits 1024 pixels: the packages, then the filters.
        packages = QHBoxLayout()
        packages.addWidget(self.queue_label)
        packages.addStretch(1)
        packages.addWidget(self.import_button)
        packages.addWidget(self.export_button)
        packages.addWidget(self.catalog_button)
        packages.addWidget(self.inbox_button)
        bar = QHBoxLayout()
        for label, box in (("站所", self.office), ("状态", self.status)):
            bar.addWidget(QLabel(label))
            bar.addWidget(box, 1)
        bar.addWidget(self.show_queue)
        bar.addWidget(self.show_all)
        bar.addWidget(self.duplicates)
        bar.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        for button in self.buttons.values():
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(packages)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addLayout(actions)

    def _connect(self) -> None:
        for box in (self.office, self.status):
            box.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.duplicates.toggled.connect(lambda _on: self.apply_filters())
        self.show_all.clicked.connect(lambda: self.status.setCurrentIndex(0))
        self.show_queue.clicked.connect(lambda: self.status.setCurrentIndex(self.status.findData(RECEIVED)))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.table.activated.connect(lambda _index: self.open_case())  # double-click or Enter
        self.open_button.clicked.connect(self.open_case)
        handlers = {
            Decision.APPROVE: self.approve,
            Decision.REJECT: self.reject,
            Decision.PAID: self.mark_paid,
            Decision.RESOLVE: self.resolve_duplicate,
            Decision.CORRECT: self.correct,
        }
        for action, button in self.buttons.items():
            button.clicked.connect(handlers[action])
        self.import_button.clicked.connect(self.import_package)
        self.export_button.clicked.connect(self.export_results)
        self.catalog_button.clicked.connect(self.open_catalog_updates)
        self.inbox_button.clicked.connect(self.open_inbox)

    @property
    def actor(self) -> Actor:
        return self._actor_of()

    def open_catalog_updates(self) -> Any:
        from ui.county.catalog_update import CatalogUpdateDialog

        dialog = CatalogUpdateDialog(self.db, self.actor, self.dialogs, parent=self)
        dialog.show()
        return dialog

    def _start_service(self) -> None:
        from core.app.inbox import load_service_settings

        if load_service_settings(self.db.path.parent).run_in_program:
            from ui.county.inbox import start_in_program

            start_in_program(self.db)

    def open_inbox(self) -> Any:
        from ui.county.inbox import InboxWindow

        if self.inbox_window is None:
            self.inbox_window = InboxWindow(self.db, self.dialogs, self._actor_of, parent=self)
            self.inbox_window.destroyed.connect(self.refresh)
        self.inbox_window.refresh()
        self.inbox_window.show()
        self.inbox_window.raise_()
        return self.inbox_window

    # The list
    def apply_filters(self) -> None:
        state = self.model.state
        state.set_office(self.office.currentData())
        state.set_status(self.status.currentData())
        state.set_duplicates_only(self.duplicates.isChecked())
        self.refresh()

    def refresh(self, keep_uuid: str | None = None) -> None:
        """Read again; the case that was selected (or `keep_uuid`) stays selected if still listed,
        else the one now in its place (a decided case leaves the queue: the next one is chosen)."""
        current = self.selected_row()
        keep = keep_uuid or (current.uuid if current else None)
        place = self.table.currentIndex().row()
        self._fill_offices(ops.office_choices(self.db))
        self.model.refresh()
        self.queue_label.setText(f"待审核 {ops.queue_count(self.db)} 件")
        self.count_label.setText(f"本列表 {self.model.total} 件")
        if not (keep and self.select_uuid(keep)) and keep and self.model.rowCount():
            self.table.selectRow(min(max(place, 0), self.model.rowCount() - 1))
        self._fit_columns()
        self._update_buttons()
        self.show_queue.setEnabled(not self.model.state.is_queue)
        self.show_all.setEnabled(self.model.state.filter.status is not None)

    def _fit_columns(self) -> None:
        fit_columns(self.table, SUBSIDY_COLUMN)

    def _fill_offices(self, codes: list[str]) -> None:
        current = self.office.currentData()
        self.office.blockSignals(True)
        self.office.clear()
        self.office.addItem("全部站所", None)
        for code in codes:
            self.office.addItem(code, code)
        self.office.setCurrentIndex(max(self.office.findData(current), 0))
        self.office.blockSignals(False)

    def select_uuid(self, uuid: str) -> bool:
        row = self.model.paged.locate(uuid)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def selected_row(self) -> CountyCaseRow | None:
        rows = self.table.selectionModel().selectedRows()
        row: CountyCaseRow | None = self.model.row_at(rows[0].row()) if rows else None
        return row

    def _update_buttons(self) -> None:
        row = self.selected_row()
        allowed = decisions_allowed(row, self.actor)
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
        self.open_button.setEnabled(row is not None)

    # The case view
    def open_case(self) -> Any:
        """The selected case's full view (non-modal); a decision taken there refreshes the list."""
        from ui.county.case_view import CountyCaseDialog

        row = self.selected_row()
        if row is None:
            return None
        try:
            dialog = CountyCaseDialog(self.db, self.dialogs, self._actor_of, row.uuid, parent=self)
        except SubsidyDeskError as exc:
            self.dialogs.error(self, "查看案件", exc.message_zh)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.decided.connect(lambda uuid: self.refresh(uuid))
        self.case_dialog = dialog
        dialog.show()
        return dialog

    # Decisions
    def _open_form(self, kind: Decision) -> DecisionForm | None:
        row = self.selected_row()
        if row is None or kind not in decisions_allowed(row, self.actor):
            return None
        subject = f"{_describe(row)}　{self._subsidy_name(row.catalog_id, row.subsidy_id)}"
        self.form = open_form(kind, self.db, self.actor, self.dialogs, row, subject, self,
                              lambda _decided: self.refresh(row.uuid))  # fmt: skip
        return self.form

    def approve(self) -> DecisionForm | None:
        return self._open_form(Decision.APPROVE)

    def reject(self) -> DecisionForm | None:
        return self._open_form(Decision.REJECT)

    def mark_paid(self) -> DecisionForm | None:
        return self._open_form(Decision.PAID)

    def correct(self) -> DecisionForm | None:
        return self._open_form(Decision.CORRECT)

    def _decide(self, title: str, change: Callable[[], Any], uuid: str) -> bool:
        try:
            change()
        except SubsidyDeskError as exc:
            self.dialogs.error(self, title, exc.message_zh)
            return False
        self.refresh(uuid)
        return True

    def resolve_duplicate(self) -> None:
        row = self.selected_row()
        if row is None or not row.open_flags:
            return
        flags = "、".join(f"#{i}" for i in row.open_flags)
        reason = self.dialogs.ask_text(
            self,
            "核定重复申报",
            f"保留 {_describe(row)}；重复申报 {flags} 中的另一件将“不予通过”。\n请写明核定意见（会告知站所）：",
        )
        if reason is None:
            return
        self._decide(
            "核定重复申报", lambda: ops.keep_case(self.db, self.actor, uuid=row.uuid, reason=reason), row.uuid
        )

    # Packages
    def import_package(self) -> Any:
        from ui.dialogs.import_package import ImportPackageDialog

        dialog = ImportPackageDialog(self.db, self.actor, self.dialogs, parent=self)
        dialog.imported.connect(lambda _report: self.refresh())
        self.import_dialog = dialog
        dialog.show()
        dialog.choose()
        return dialog

    def export_results(self) -> Job | None:
        office = self.model.state.filter.office_code or _office_of(self.selected_row())
        if not office:
            self.dialogs.error(
                self, "生成结果包", "请先在“站所”中选定一个站所，或在列表中选中该站所的一件案件。"
            )
            return None
        folder = self.dialogs.choose_folder(self, f"选择写入 {office} 结果包的U盘或文件夹")
        if not folder:
            return None
        db, actor = self.db, self.actor
        self.export_button.setEnabled(False)
        job = run_job(
            self, self.dialogs,
            lambda _report: ops.export_results(db, actor, office_code=office, folder=Path(folder)),
            self._exported, title="生成结果包", label=f"正在生成 {office} 的结果包……",
        )  # fmt: skip
        job.signals.finished.connect(lambda: self.export_button.setEnabled(True))
        return job

    def _exported(self, result: Any) -> None:
        self.last_export = result
        self.dialogs.info(
            self,
            "生成结果包",
            f"已生成第{result.number}号结果包：{result.case_count}件决定，已签名并核验。\n文件：{result.path}\n"
            "请交站所导入（站所：导入县局结果）。",
        )


def _describe(row: CountyCaseRow) -> str:
    return f"{row.office_code} 的案件 {row.case_number or '（无编号）'}（{row.applicant_name}）"


def _office_of(row: CountyCaseRow | None) -> str | None:
    return row.office_code if row else None


def open_county_window(
    db: Database,
    dialogs: DialogService,
    actor_of: Callable[[], Actor],
    subsidy_name: Callable[[str, str], str],
    parent: QWidget | None = None,
) -> CountyWindow:
    """Show the county screen (县局 menu) and return it; it is a separate, non-modal window.

    `actor_of` gives who is at the keyboard now (the main window's operator), whom the audit names.
    """
    window = CountyWindow(db, dialogs, actor_of, subsidy_name, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
