"""The county's view of one imported case: everything the town sent, before the officer decides.

Tabs: 概况 (the case and the county's decision), 申请人, 申请信息 (the facts as the clerk typed
them), 核对结果 (every rule and its clause), 申请材料, 扫描件, 花名册 (organisation cases),
办理记录 (the town's and the county's), 重复申报 (when suspected). All of it comes from
core/app/county.case_view in the officer's words; the decisions open the same forms as the list.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import county as ops
from core.app.county import Decision, decisions_allowed
from core.app.storage import Database
from core.errors import SubsidyDeskError
from core.packages.county_cards import ScanKind
from core.packages.county_case import CountyCaseView
from ui.county.case_tabs import (
    assessment_page,
    duplicates_page,
    form_page,
    history_table,
    item_form,
    table,
    value_label,
)
from ui.county.forms import DecisionForm, open_form
from ui.county.scan_viewer import ScanOpener
from ui.dialog_service import DialogService
from ui.labels import error_label
from ui.tab_keys import number_tabs

DECISION_BUTTONS = (
    (Decision.APPROVE, "审核通过(&A)…"),
    (Decision.REJECT, "不予通过(&N)…"),
    (Decision.PAID, "登记拨付(&B)…"),
    (Decision.CORRECT, "更正决定(&G)…"),
)


class CountyCaseDialog(QDialog):
    decided = Signal(str)  # the case's uuid, after a decision taken here

    def __init__(self, db: Database, dialogs: DialogService, actor_of: Callable[[], Actor], uuid: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.dialogs, self._actor_of, self.uuid = db, dialogs, actor_of, uuid
        self.resize(980, 680)
        self.form: DecisionForm | None = None
        self.scans_opener = ScanOpener(self, db, dialogs)
        self.header = QLabel(wordWrap=True)
        self.warnings = error_label(visible=False)  # a broken history, a self-review
        self.tabs = QTabWidget()
        number_tabs(self.tabs)  # Alt+1, Alt+2 …
        self.identifier = QLabel()
        self.identifier.setObjectName("case_uuid")  # the case's mark, shown here for the county only
        self.identifier.setStyleSheet("color: gray; font-size: 9pt;")
        self.identifier.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.buttons.rejected.connect(self.reject)
        self.decision_buttons: dict[Decision, QPushButton] = {}
        for kind, text in DECISION_BUTTONS:
            button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _c=False, k=kind: self.open_decision(k))
            self.decision_buttons[kind] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.warnings)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.identifier)
        layout.addWidget(self.buttons)
        self.refresh()

    @property
    def actor(self) -> Actor:
        return self._actor_of()

    def refresh(self) -> None:
        view = ops.case_view(self.db, uuid=self.uuid)
        self.view = view
        self.setWindowTitle(f"案件详情（县局）：{view.title}")
        self.header.setText(f"<h3>{escape(view.title)}</h3>{escape(view.office)}　{_status(view)}")
        self.identifier.setText(f"案件标识：{view.uuid}")
        self.warnings.setText("\n".join(view.warnings))
        self.warnings.setVisible(bool(view.warnings))
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self._fill_tabs(view)
        self.tabs.setCurrentIndex(max(current, 0))
        allowed = decisions_allowed(view.row, self._actor_of())
        for kind, button in self.decision_buttons.items():
            button.setEnabled(kind in allowed)

    def _fill_tabs(self, view: CountyCaseView) -> None:
        self.tabs.addTab(form_page(("案件", item_form(view.summary)), ("县局决定", item_form(view.decision))),
                         "概况")  # fmt: skip
        self.tabs.addTab(self._applicant_page(view), "申请人")
        self.tabs.addTab(form_page(("申请信息（站所录入）", item_form(view.facts))), "申请信息")
        page, self.rules = assessment_page(view.assessment)
        self.tabs.addTab(page, "核对结果")
        self.materials = table(
            ["材料", "要求", "收到", "原件", "留存", "扫描件"],
            [
                (x.name, x.requirement, x.received, x.original, x.copies, f"{x.scans}份")
                for x in view.materials
            ],
        )
        self.tabs.addTab(
            self.materials if view.materials else value_label("该补贴不要求申请材料。"), "申请材料"
        )
        self.tabs.addTab(self._scans_page(view), "扫描件")
        if view.roster_label:
            self.roster = table(
                ["序号", "姓名", "身份证号", "人员类别", "登记信息"],
                [(str(r.row_no), r.name, r.id_masked, r.categories, r.facts) for r in view.roster],
            )
            self.tabs.addTab(self._titled(f"花名册：{view.roster_label}，共{len(view.roster)}人", self.roster),
                             "花名册")  # fmt: skip
        self.history = history_table(view.town_history, view.county_history)
        self.tabs.addTab(self.history, "办理记录")
        if view.duplicates:
            page, self.duplicate_tables = duplicates_page(view.duplicates)
            self.tabs.addTab(page, "重复申报")

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(value_label(title))
        column.addWidget(widget, 1)
        return page

    def _applicant_page(self, view: CountyCaseView) -> QWidget:
        a = view.applicant
        form = QFormLayout()
        form.addRow("申请方：", value_label(f"{a.kind}：{a.name}"))
        self.number_label = value_label(a.number)
        number_row = QHBoxLayout()
        number_row.addWidget(self.number_label, 1)
        self.reveal_button = QPushButton("显示完整证件号和收款账号(&S)")
        self.reveal_button.setToolTip("完整号码只在核对身份或拨付时查看；每次查看都记入县局办理记录。")
        self.reveal_button.setVisible(a.masked)
        self.reveal_button.clicked.connect(self.reveal)
        number_row.addWidget(self.reveal_button)
        form.addRow(f"{a.number_label}：", number_row)
        self.applicant_values: dict[str, QLabel] = {}
        for item in a.items:
            self.applicant_values[item.label] = value_label(item.value)
            form.addRow(f"{item.label}：", self.applicant_values[item.label])
        return form_page(("申请人", form))

    def reveal(self) -> None:
        try:
            shown = ops.reveal_numbers(self.db, self.actor, uuid=self.uuid)
        except SubsidyDeskError as exc:
            self.dialogs.error(self, "显示完整证件号", exc.message_zh)
            return
        self.number_label.setText(shown.number)
        for label in ("收款账号", "银行账号"):
            if shown.account and label in self.applicant_values:
                self.applicant_values[label].setText(shown.account)
        self.reveal_button.setEnabled(False)
        self.reveal_button.setText("已显示（已记入办理记录）")

    def _scans_page(self, view: CountyCaseView) -> QWidget:
        if not view.scans:
            return value_label("站所没有附加扫描件。")
        self.scans = table(["文件", "所属材料", "大小", "类型"], [
            (s.filename, s.material, s.size, _KIND_WORDS[s.kind] if s.available else "文件缺失") for s in view.scans
        ])  # fmt: skip
        self.scans.itemDoubleClicked.connect(lambda _item: self.open_scan())
        self.view_button = QPushButton("查看(&V)")
        self.view_button.clicked.connect(lambda: self.open_scan())
        self.system_button = QPushButton("用系统程序打开PDF(&W)")
        self.system_button.clicked.connect(lambda: self.open_scan(in_system_viewer=True))
        bar = QHBoxLayout()
        bar.addWidget(self.view_button)
        bar.addWidget(self.system_button)
        bar.addStretch(1)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(self.scans, 1)
        column.addLayout(bar)
        self.scans.selectRow(0)
        return page

    def open_scan(self, row: int | None = None, in_system_viewer: bool = False) -> Any:
        index = self.scans.currentRow() if row is None else row
        if not 0 <= index < len(self.view.scans):
            return None
        scan = self.view.scans[index]
        system = in_system_viewer and scan.kind == ScanKind.PDF
        return self.scans_opener.open(scan, system)

    def open_decision(self, kind: Decision) -> DecisionForm:
        subject = f"{self.view.office}　{self.view.row.case_number}　{self.view.title}"
        self.form = open_form(kind, self.db, self.actor, self.dialogs, self.view.row, subject, self,
                              lambda _d: self._decided())  # fmt: skip
        return self.form

    def _decided(self) -> None:
        self.refresh()
        self.decided.emit(self.uuid)

    def table_widgets(self) -> list[QTableWidget]:
        return self.findChildren(QTableWidget)


_KIND_WORDS = {ScanKind.IMAGE: "图片", ScanKind.PDF: "PDF", ScanKind.OTHER: "其他文件"}


def _status(view: CountyCaseView) -> str:
    from core.packages.decisions import DECISION_LABELS

    return f"县局：<b>{DECISION_LABELS.get(view.row.status, '')}</b>"
