"""导出批次: the clerk picks a folder (USB stick), sees the cases that will go, and exports.

The export runs on a worker of ui/jobs.py (it streams up to a gigabyte and reads it all back)
and can be cancelled until its cases are marked exported. The verdict comes from
core.packages: this dialog only shows it. Without the office's 上报代码 nothing can be exported:
the dialog says so and offers the settings where it is filled in. After an export it offers to
print the batch's 交接单 at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import batches
from core.app import office as office_ops
from core.app.batches import ExportRow
from core.app.storage import Database
from core.money import format_yuan
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job
from ui.labels import warning_label
from ui.print_preview import show_print_preview
from ui.printing import Show, preview_prepared

if TYPE_CHECKING:
    from core.packages.export import ExportResult

TITLE = "上报县局：导出批次"
CODE_MISSING = "还没有设置本所的上报代码（本乡镇的9位区划代码），不能导出批次。"


class ExportBatchDialog(QDialog):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        dialogs: DialogService,
        parent: QWidget | None = None,
        open_settings: Callable[[], object] | None = None,
        show: Show = show_print_preview,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self._open_settings, self._show = open_settings, show
        self.result_value: Any = None
        self.slip_job: Job | None = None
        rows = batches.exportable(db)
        self.table = _table(rows)
        total = sum(r.amount_fen for r in rows)
        self.summary = QLabel(f"将上报 {len(rows)} 件初审通过的案件，合计 {format_yuan(total)} 元。")
        self.code_warning = warning_label(visible=False)
        self.settings_button = QPushButton("填写上报代码(&S)…")
        self.settings_button.clicked.connect(self.open_settings)
        self.folder = QLineEdit(placeholderText="选择U盘或文件夹")
        pick = QPushButton("选择(&F)…")
        pick.clicked.connect(self.choose_folder)
        self.encrypt = QCheckBox("加密给县局(&E)")
        self.encrypt.setEnabled(batches.can_encrypt(db))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导出")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(rows))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        line = QHBoxLayout()
        line.addWidget(self.folder, 1)
        line.addWidget(pick)
        code_line = QHBoxLayout()
        code_line.addWidget(self.code_warning, 1)
        code_line.addWidget(self.settings_button)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.table):
            layout.addWidget(widget)
        layout.addLayout(code_line)
        layout.addLayout(line)
        layout.addWidget(self.encrypt)
        layout.addWidget(buttons)
        self.show_code_state()

    def show_code_state(self) -> bool:
        """Warn in the dialog while the 上报代码 is missing; whether it is there."""
        present = office_ops.office_code(self.db) is not None
        self.code_warning.setText("" if present else CODE_MISSING + "请先在事务所设置中填写。")
        self.code_warning.setVisible(not present)
        self.settings_button.setVisible(not present and self._open_settings is not None)
        return present

    def open_settings(self) -> None:
        if self._open_settings is not None:
            self._open_settings()
        self.show_code_state()

    def choose_folder(self) -> None:
        chosen = self.dialogs.choose_folder(self, "选择U盘或文件夹")
        if chosen:
            self.folder.setText(chosen)

    def start(self) -> Job | None:
        if not self.show_code_state():
            if self._open_settings is None:
                self.dialogs.error(self, TITLE, CODE_MISSING + "请在“设置 → 事务所设置”中填写。")
            elif self.dialogs.confirm(self, TITLE, CODE_MISSING + "\n现在打开“设置 → 事务所设置”填写吗？"):
                self.open_settings()
            return None
        folder = Path(self.folder.text().strip())
        if not self.folder.text().strip() or not folder.is_dir():
            self.dialogs.error(self, TITLE, "请先选择要写入的U盘或文件夹。")
            return None
        encrypt = self.encrypt.isChecked()
        db, actor = self.db, self.actor
        return run_job(
            self, self.dialogs,
            lambda report: batches.export_batch(db, actor, folder=folder, encrypt=encrypt, progress=report),
            self._done, title=TITLE, label="正在写入数据包……", cancellable=True, stages=STAGE_LABELS,
            on_failed=lambda message: self.dialogs.error(self, TITLE, f"{message}\n案件状态没有改变。"),
        )  # fmt: skip

    def _done(self, result: ExportResult) -> None:
        self.result_value = result
        self.dialogs.info(
            self, TITLE,
            f"第{result.number}批已写入并核验通过：{result.case_count}件，合计{format_yuan(result.total_fen)}元。\n"
            f"文件：{result.path}\n清单校验值：{result.manifest_sha256}\n请打印交接单，与县局当面核对。"
            + "".join(f"\n{note}" for note in result.notes),
        )  # fmt: skip
        question = f"现在打印第{result.number}批的交接单吗？（以后也可在“上报 → 上报批次”中打印）"
        if self.dialogs.confirm(self, TITLE, question):
            self.print_slip(result.number)
        self.accept()

    def print_slip(self, number: int) -> Job:
        # The dialog closes now: the preview belongs to the window behind it.
        document = batches.prepare_transfer_slip(self.db, number=number)
        self.slip_job = preview_prepared(self.parentWidget(), document, self.dialogs, show=self._show)
        return self.slip_job


STAGE_LABELS = {
    "wait": "另一个窗口或命令行正在导出上报批次，正在等它完成……",
    "prepare": "正在整理案件资料和花名册……",
    "write": "正在写入附件……",
    "verify": "正在读回核验……",
    "copy": "正在写入U盘……",
}


def _table(rows: list[ExportRow]) -> QTableWidget:
    table = QTableWidget(len(rows), 4)
    table.setHorizontalHeaderLabels(["案件编号", "申请人", "补贴", "金额（元）"])
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, text in enumerate((row.case_number, row.applicant, row.subsidy, format_yuan(row.amount_fen))):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    return table
