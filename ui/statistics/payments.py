"""拨付汇总表 at the county: a period of payment dates, the lines per town and subsidy, then 打印预览
(PDF) or 导出到Excel for the finance office."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import payments as payment_ops
from core.app.storage import Database
from core.errors import SubsidyDeskError
from core.money import capital_yuan, format_yuan
from core.printing.payment_summary import PaymentSummary
from ui.dialog_service import DialogService
from ui.jobs import Job

if TYPE_CHECKING:
    from ui.printing import Show

TITLE = "拨付汇总表"


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


class PaymentSummaryDialog(QDialog):
    def __init__(
        self,
        db: Database,
        dialogs: DialogService,
        actor: Actor,
        parent: QWidget | None = None,
        today: dt.date | None = None,
        show: Show | None = None,
    ) -> None:
        from ui.statistics.view import _qdate

        super().__init__(parent)
        self.db, self.dialogs, self.actor, self._show = db, dialogs, actor, show
        self.today = today or dt.date.today()
        self.summary: PaymentSummary | None = None
        self.setWindowTitle(TITLE)
        self.resize(760, 520)
        start, end = last_month(self.today)
        self.from_edit, self.to_edit = QDateEdit(_qdate(start)), QDateEdit(_qdate(end))
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.make_button = QPushButton("汇总(&S)")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["乡镇（事务所）", "补贴项目", "件数", "拨付金额（元）"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.total = QLabel(wordWrap=True)
        self.preview_button = QPushButton("打印预览(&P)…")
        self.export_button = QPushButton("导出到Excel(&E)…")
        bar = QHBoxLayout()
        for widget in (QLabel("拨付日期从"), self.from_edit, QLabel("到"), self.to_edit, self.make_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addLayout(buttons)
        self.make_button.clicked.connect(self.make)
        self.preview_button.clicked.connect(self.preview)
        self.export_button.clicked.connect(self.export)
        self.make()

    def make(self) -> None:
        from ui.statistics.view import _date

        try:
            self.summary = payment_ops.payment_summary(
                self.db, self.actor, paid_from=_date(self.from_edit.date()), paid_to=_date(self.to_edit.date()),
                today=self.today,
            )  # fmt: skip
        except SubsidyDeskError as exc:
            self.dialogs.error(self, TITLE, exc.message_zh)
            return
        self._fill(self.summary)

    def _fill(self, summary: PaymentSummary) -> None:
        self.table.setRowCount(len(summary.rows))
        for r, row in enumerate(summary.rows):
            for c, text in enumerate((row.town, row.subsidy, str(row.cases), format_yuan(row.paid_fen))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.total.setText(
            f"{summary.period_text}　合计 {summary.total_cases} 件，{format_yuan(summary.total_fen)} 元"
            f"（大写：人民币{capital_yuan(summary.total_fen)}）"
        )
        self.preview_button.setEnabled(True)
        self.export_button.setEnabled(True)

    def preview(self) -> Job | None:
        from ui.printing import preview_prepared, show_print_preview

        if self.summary is None:
            return None
        document = payment_ops.prepare_payment_summary(self.summary)
        return preview_prepared(self, document, self.dialogs, self._show or show_print_preview)

    def export(self) -> Job | None:
        from ui.exports import run_export

        summary, db, actor = self.summary, self.db, self.actor
        if summary is None:
            return None
        return run_export(
            self, self.dialogs, TITLE,
            lambda target, _report: payment_ops.export_payment_summary(db, actor, summary=summary, target=target),
        )  # fmt: skip
