"""县局审核: the imported cases with filters, the county's decisions, and the packages in and out.

Every question to the clerk (reasons, amounts, folders, files) goes through DialogService, so
tests answer it. Decisions are single short transactions on the GUI thread; importing and
exporting packages run on a worker (ui/jobs.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
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
from core.date_input import parse_date
from core.errors import SubsidyDeskError
from core.money import format_yuan, parse_yuan
from core.packages.county_query import CountyCaseRow
from core.packages.decisions import DECISION_LABELS
from ui.county.model import CountyCaseModel
from ui.county.state import CountyListState
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job

TITLE = "县局：审核已导入的案件"
COLUMN_WIDTHS = (75, 85, 150, 70, 150, 190, 100, 70, 105, 90, 70)  # the reason takes the rest


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
        self.resize(1200, 640)
        self.db, self.dialogs, self._actor_of = db, dialogs, actor_of
        self.model = CountyCaseModel(
            CountyListState(), lambda s: ops.county_rows(db, filter=s.filter), subsidy_name
        )
        self.import_dialog: Any = None
        self.last_export: Any = None
        self._make_widgets()
        self._lay_out()
        self._connect()
        self.refresh()

    # Building
    def _make_widgets(self) -> None:
        self.office = QComboBox()
        self.status = QComboBox()
        self.status.addItem("全部状态", None)
        for status, label in DECISION_LABELS.items():
            self.status.addItem(label, status)
        self.duplicates = QCheckBox("只看重复申报(&D)")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel()
        self.buttons = {
            Decision.APPROVE: QPushButton("审核通过(&A)…"),
            Decision.REJECT: QPushButton("不予通过(&R)…"),
            Decision.PAID: QPushButton("登记拨付(&P)…"),
            Decision.RESOLVE: QPushButton("核定重复申报：保留本件(&K)…"),
        }
        self.import_button = QPushButton("导入数据包(&I)…")
        self.export_button = QPushButton("生成结果包(&E)…")

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        for label, box in (("站所", self.office), ("状态", self.status)):
            bar.addWidget(QLabel(label))
            bar.addWidget(box, 1)
        bar.addWidget(self.duplicates)
        bar.addStretch(1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.export_button)
        actions = QHBoxLayout()
        for button in self.buttons.values():
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addLayout(actions)

    def _connect(self) -> None:
        for box in (self.office, self.status):
            box.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.duplicates.toggled.connect(lambda _on: self.apply_filters())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        handlers = {
            Decision.APPROVE: self.approve,
            Decision.REJECT: self.reject,
            Decision.PAID: self.mark_paid,
            Decision.RESOLVE: self.resolve_duplicate,
        }
        for action, button in self.buttons.items():
            button.clicked.connect(handlers[action])
        self.import_button.clicked.connect(self.import_package)
        self.export_button.clicked.connect(self.export_results)

    @property
    def actor(self) -> Actor:
        return self._actor_of()

    # The list
    def apply_filters(self) -> None:
        state = self.model.state
        state.set_office(self.office.currentData())
        state.set_status(self.status.currentData())
        state.set_duplicates_only(self.duplicates.isChecked())
        self.refresh()

    def refresh(self, keep_uuid: str | None = None) -> None:
        """Read again; the case that was selected (or `keep_uuid`) stays selected if still listed."""
        current = self.selected_row()
        keep = keep_uuid or (current.uuid if current else None)
        self._fill_offices(ops.office_choices(self.db))
        self.model.refresh()
        self.count_label.setText(f"共 {self.model.total} 件")
        if keep:
            self.select_uuid(keep)
        self._update_buttons()

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
        while self.model.canFetchMore():
            if any(r.uuid == uuid for r in self.model.paged.rows):
                break
            self.model.fetchMore()
        for row, item in enumerate(self.model.paged.rows):
            if item.uuid == uuid:
                self.table.selectRow(row)
                return True
        return False

    def selected_row(self) -> CountyCaseRow | None:
        rows = self.table.selectionModel().selectedRows()
        row: CountyCaseRow | None = self.model.row_at(rows[0].row()) if rows else None
        return row

    def _update_buttons(self) -> None:
        allowed = decisions_allowed(self.selected_row())
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)

    # Decisions
    def _decide(self, title: str, change: Callable[[], Any], uuid: str) -> bool:
        try:
            change()
        except SubsidyDeskError as exc:
            self.dialogs.error(self, title, exc.message_zh)
            return False
        self.refresh(uuid)
        return True

    def _ask(self, title: str, label: str) -> str | None:
        return self.dialogs.ask_text(self, title, label)

    def approve(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        text = self._ask(
            "审核通过",
            f"{_describe(row)}，申请 {format_yuan(row.amount_fen)} 元。\n核定金额（元）：留空即按申请金额核定。",
        )
        if text is None:
            return
        self._decide(
            "审核通过",
            lambda: ops.approve(
                self.db, self.actor, uuid=row.uuid,
                amount_fen=parse_yuan(text, "核定金额") if text.strip() else None,
            ),
            row.uuid,
        )  # fmt: skip

    def reject(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        reason = self._ask("不予通过", f"{_describe(row)}\n不予通过的理由（会随结果包告知站所）：")
        if reason is None:
            return
        self._decide(
            "不予通过", lambda: ops.reject(self.db, self.actor, uuid=row.uuid, reason=reason), row.uuid
        )

    def mark_paid(self) -> None:
        row = self.selected_row()
        if row is None or row.approved_fen is None:
            return
        approved = format_yuan(row.approved_fen)
        amount = self._ask("登记拨付", f"{_describe(row)}\n拨付金额（元）：留空即按核定金额 {approved} 元。")
        if amount is None:
            return
        day = self._ask("登记拨付", "拨付日期（年-月-日，例如 2024-06-01）：留空即为今天。")
        if day is None:
            return

        def change() -> None:
            ops.mark_paid(
                self.db, self.actor, uuid=row.uuid,
                amount_fen=parse_yuan(amount, "拨付金额") if amount.strip() else None,
                paid_on=parse_date(day, "拨付日期") if day.strip() else None,
            )  # fmt: skip

        self._decide("登记拨付", change, row.uuid)

    def resolve_duplicate(self) -> None:
        row = self.selected_row()
        if row is None or not row.open_flags:
            return
        flags = "、".join(f"#{i}" for i in row.open_flags)
        reason = self._ask(
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
    return f"{row.office_code} 的案件 {row.case_number or row.short_uuid}（{row.applicant_name}）"


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
