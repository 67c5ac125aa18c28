"""设置 → 备份与恢复: the list of backups, backing up now, restoring, the targets and the password.

Thin: every decision (who may, what is due, what is checked) is in core/app/backups.py. A
restore replaces the database under the window, so the window closes after it
(`restored` is emitted) and the program is opened again on the restored file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import backups
from core.app.storage import Database
from core.errors import SubsidyDeskError
from ui.dialog_service import DialogService
from ui.jobs import Job, Reporter, run_job
from ui.labels import error_label

TITLE = "备份与恢复"
COLUMNS = ["备份时间", "种类", "案件数", "大小", "加密", "位置"]


def size_text(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(1, size // 1024)} KB"


def _bytes_reporter(report: Reporter) -> Callable[[int], None]:
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        report("copy", done // 1048576, 0)

    return progress


class BackupDialog(QDialog):
    restored = Signal()  # the database was replaced: the window must close

    def __init__(
        self, db: Database, actor: Actor, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self.data_dir = db.path.parent
        self.view: backups.BackupOverview | None = None
        self.where = QLabel(wordWrap=True)
        self.missing = error_label(visible=False)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.backup_button = self._button("立即备份(&B)", self.backup_now)
        self.restore_button = self._button("用所选备份恢复(&R)…", self.restore_selected)
        self.restore_other = self._button("从其他文件夹恢复(&F)…", self.restore_from_folder)
        self.target_button = self._button("设置第二备份位置(&T)…", self.choose_target)
        self.clear_target_button = self._button("取消第二备份位置", self.clear_target)
        self.password_button = self._button("备份密码(&P)…", self.set_password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        grid = QGridLayout()
        for i, button in enumerate(
            (self.backup_button, self.restore_button, self.restore_other),
        ):
            grid.addWidget(button, 0, i)
        for i, button in enumerate((self.target_button, self.clear_target_button, self.password_button)):
            grid.addWidget(button, 1, i)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.missing)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.resize(860, 460)
        self.refresh()

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: self._guarded(slot))
        return button

    def _guarded(self, slot: Callable[[], object]) -> None:
        try:
            slot()
        except SubsidyDeskError as exc:
            self.dialogs.error(self, TITLE, exc.message_zh)

    def refresh(self) -> None:
        view = self.view = backups.overview(self.data_dir)
        second = [t for t in view.targets if not t.primary]
        lines = [f"本机备份位置：{view.targets[0].path}"]
        lines.append(
            f"第二备份位置：{second[0].path}" if second else "第二备份位置：未设置（建议设为U盘或另一块硬盘）"
        )
        lines.append("备份加密：已设置备份密码" if view.encrypted else "备份加密：未设置密码，备份不加密")
        if view.last_auto_at is not None:
            lines.append(f"上次自动备份：{view.last_auto_at:%Y-%m-%d %H:%M}")
        self.where.setText("\n".join(lines))
        absent = [t for t in second if not t.present]
        self.missing.setText("；".join(f"第二备份位置 {t.path} 现在不存在（U盘没有插上？）" for t in absent))
        self.missing.setVisible(bool(absent))
        self.clear_target_button.setEnabled(bool(second))
        self.table.setRowCount(len(view.backups))
        for row, info in enumerate(view.backups):
            cells = [
                f"{info.created_at:%Y-%m-%d %H:%M}",
                info.kind_label,
                f"{info.case_count:,}",
                size_text(info.size),
                "是" if info.encrypted else "否",
                str(info.target),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        if view.backups:
            self.table.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.view is None:
            return None
        return self.view.backups[rows[0].row()]

    def backup_now(self) -> Job:
        db, actor = self.db, self.actor
        return run_job(
            self, self.dialogs, lambda report: backups.backup_now(db, actor, progress=_bytes_reporter(report)),
            self._backed_up, title=TITLE, label="正在备份数据库和扫描件……",
            stages={"copy": "正在备份数据库和扫描件……"},
        )  # fmt: skip

    def _backed_up(self, run: backups.BackupRun) -> None:
        self.refresh()
        done = [f"已备份到 {i.target}：{i.case_count:,}件案件，{i.scan_count}个扫描件。" for i in run.written]
        if run.problems:
            self.dialogs.error(self, TITLE, "\n".join(done + run.problems))
        else:
            self.dialogs.info(self, TITLE, "\n".join(done))

    def restore_selected(self) -> Job | None:
        info = self.selected()
        return None if info is None else self._restore(info)

    def restore_from_folder(self) -> Job | None:
        backups.require_backup_admin(self.actor, "从备份恢复数据")
        folder = self.dialogs.choose_folder(self, "选择备份文件夹（名为 backup-日期-时间）")
        return None if not folder else self._restore(backups.backup_at(Path(folder)))

    def _restore(self, info: backups.BackupInfo) -> Job | None:
        backups.require_backup_admin(self.actor, "从备份恢复数据")
        text = (
            f"用 {info.created_at:%Y-%m-%d %H:%M} 的备份（{info.case_count:,}件案件）替换现在的数据？\n\n"
            "这个备份之后录入和修改的内容将不在恢复后的数据里；恢复前程序会先把现在的数据备份一份。"
            "恢复完成后程序会关闭，请再打开它。"
        )
        if not self.dialogs.confirm(self, TITLE, text):
            return None
        password = None
        if backups.needs_password(self.data_dir, info):
            password = self.dialogs.ask_password(
                self, TITLE, "这个备份是加密的，请输入制作它时设置的备份密码："
            )
            if password is None:
                return None
        data_dir, actor, db = self.data_dir, self.actor, self.db
        return run_job(
            self, self.dialogs,
            lambda report: backups.restore_backup(
                data_dir, actor, set_dir=info.path, password=password, db=db, progress=_bytes_reporter(report)
            ),
            self._restored, title=TITLE, label="正在检查备份并恢复……", stages={"copy": "正在检查备份并恢复……"},
        )  # fmt: skip

    def _restored(self, report: backups.RestoreReport) -> None:
        lines = [
            f"已从 {report.restored.created_at:%Y-%m-%d %H:%M} 的备份恢复：{report.case_count:,}件案件。"
        ]
        if report.safety is not None:
            lines.append(f"恢复前的数据已备份到 {report.safety.path}。")
        if report.set_aside is not None:
            lines.append(f"原来已损坏的数据库已移到 {report.set_aside}。")
        lines.append("程序现在关闭，请重新打开。")
        self.dialogs.info(self, TITLE, "\n".join(lines))
        self.restored.emit()
        self.accept()

    def choose_target(self) -> None:
        backups.require_backup_admin(self.actor, "设置备份位置")
        folder = self.dialogs.choose_folder(self, "选择第二备份位置（U盘或另一块硬盘上的文件夹）")
        if folder:
            backups.set_second_target(self.data_dir, self.actor, folder=Path(folder))
            self.refresh()

    def clear_target(self) -> None:
        backups.set_second_target(self.data_dir, self.actor, folder=None)
        self.refresh()

    def set_password(self) -> None:
        backups.require_backup_admin(self.actor, "设置备份密码")
        PasswordDialog(self.data_dir, self.actor, parent=self).exec()
        self.refresh()


class PasswordDialog(QDialog):
    """The backup password, typed twice; empty stops encrypting."""

    def __init__(self, data_dir: Path, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("备份密码")
        self.data_dir, self.actor = data_dir, actor
        self.first = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.again = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.problem = error_label(visible=False)
        form = QFormLayout()
        form.addRow("备份密码(&W)：", self.first)
        form.addRow("再输入一次(&A)：", self.again)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "设置后，备份（含身份证号和银行账号）加密保存，U盘丢了别人也打不开。"
                "请把密码抄在纸上锁好：换了电脑恢复备份时要输入它，忘了就无法恢复。留空则今后的备份不加密。",
                wordWrap=True,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(460, 220)

    def save(self) -> None:
        try:
            backups.set_backup_password(
                self.data_dir, self.actor, password=self.first.text(), repeated=self.again.text()
            )
        except SubsidyDeskError as exc:
            self.problem.setText(exc.message_zh)
            self.problem.setVisible(True)
            return
        self.accept()
