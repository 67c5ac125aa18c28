"""审计核验: the office head or the county's technician checks that the audit trail proves itself."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from core.actor import Actor
from core.app.audit import AuditVerdict, verify_audit_trail
from core.app.storage import Database
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job
from ui.labels import error_label

TITLE = "审计核验"
EXPLAIN = (
    "每一条办理记录都带有前一条记录的校验值，连成一条链。核验会逐条重新计算："
    "任何一条被改动或删除，链就从那里断开。记录多时需要几十秒。"
)


class AuditCheckDialog(QDialog):
    def __init__(
        self, db: Database, actor: Actor, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self.verdict: AuditVerdict | None = None
        self.passed = QLabel(wordWrap=True)
        self.failure = error_label(visible=False)
        self.start_button = QPushButton("开始核验(&S)")
        self.start_button.clicked.connect(self.start)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(EXPLAIN, wordWrap=True))
        layout.addWidget(self.start_button)
        layout.addWidget(self.passed)
        layout.addWidget(self.failure)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def start(self) -> Job:
        self.start_button.setEnabled(False)
        db, actor = self.db, self.actor
        job = run_job(
            self, self.dialogs, lambda report: verify_audit_trail(db, actor, progress=report), self._show,
            title=TITLE, label="正在逐条核对办理记录……", stages={"check": "正在逐条核对办理记录……"},
        )  # fmt: skip
        job.signals.finished.connect(lambda: self.start_button.setEnabled(True))
        return job

    def _show(self, verdict: AuditVerdict) -> None:
        self.verdict = verdict
        target = self.passed if verdict.ok else self.failure
        other = self.failure if verdict.ok else self.passed
        target.setText(verdict.summary)
        target.setVisible(True)
        other.setVisible(False)
