"""导出批次: the clerk picks a folder (USB stick), sees the cases that will go, and exports.

The export runs on a worker of ui/jobs.py (it streams up to a gigabyte and reads it all back)
and can be cancelled until its cases are marked exported. The verdict comes from
core.packages: this dialog only shows it.
"""

from __future__ import annotations

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
from core.app.batches import ExportRow
from core.app.storage import Database
from core.money import format_yuan
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job

if TYPE_CHECKING:
    from core.packages.export import ExportResult

TITLE = "上报县局：导出批次"


class ExportBatchDialog(QDialog):
    def __init__(
        self, db: Database, actor: Actor, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self.result_value: Any = None
        rows = batches.exportable(db)
        self.table = _table(rows)
        total = sum(r.amount_fen for r in rows)
        self.summary = QLabel(f"将上报 {len(rows)} 件初审通过的案件，合计 {format_yuan(total)} 元。")
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
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.table):
            layout.addWidget(widget)
        layout.addLayout(line)
        layout.addWidget(self.encrypt)
        layout.addWidget(buttons)

    def choose_folder(self) -> None:
        chosen = self.dialogs.choose_folder(self, "选择U盘或文件夹")
        if chosen:
            self.folder.setText(chosen)

    def start(self) -> Job | None:
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
        self.accept()


STAGE_LABELS = {
    "prepare": "正在整理案件资料和花名册……",
    "write": "正在写入附件……",
    "verify": "正在读回核验……",
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
