"""Logging in: the login at start, the first 管理员 and its recovery code, the idle lock.

Each dialog takes the use case to call; a refusal (wrong password, locked account) is shown in
the dialog in red and the dialog stays open. No password is kept after the call.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app.accounts import FirstAdmin
from core.errors import InvalidInput, SubsidyDeskError
from ui.labels import error_label
from ui.shield import shielded


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _buttons(dialog: QDialog, ok: str, cancel: str | None = "取消") -> QDialogButtonBox:
    flags = QDialogButtonBox.StandardButton.Ok
    if cancel:
        flags |= QDialogButtonBox.StandardButton.Cancel
    buttons = QDialogButtonBox(flags)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    if cancel:
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
        buttons.rejected.connect(dialog.reject)
    return buttons


def _say(label: QLabel, exc: SubsidyDeskError) -> None:
    label.setText(exc.errors[0].message_zh if isinstance(exc, InvalidInput) else exc.message_zh)
    label.setVisible(True)


class LoginDialog(QDialog):
    """Pick the name from the list, type the password; `actor` is set once logged in."""

    def __init__(
        self,
        names: list[str],
        login: Callable[[str, str], Actor],
        recover: Callable[[str, str, str], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("登录 SubsidyDesk")
        self.setMinimumWidth(360)
        self._login, self._recover = login, recover
        self.actor: Actor | None = None
        self.name = QComboBox()
        self.name.addItems(names)
        self.password = password_field()
        self.error = error_label(visible=False)
        form = QFormLayout()
        form.addRow("姓名(&N)", self.name)
        form.addRow("密码(&P)", self.password)
        self.forgot = QPushButton("忘记密码(&F)…")
        self.forgot.setFlat(True)
        self.forgot.setAutoDefault(False)  # Enter in the password field logs in
        self.forgot.clicked.connect(self.forgotten)
        buttons = _buttons(self, "登录", "退出")
        buttons.accepted.connect(self.try_login)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("请选择您的姓名，输入密码。"))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.forgot, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(buttons)
        self.password.setFocus()

    def try_login(self) -> None:
        try:
            self.actor = self._login(self.name.currentText(), self.password.text())
        except SubsidyDeskError as exc:
            _say(self.error, exc)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()

    def forgotten(self) -> None:
        if self._recover is None:
            return
        RecoverDialog(self.name.currentText(), self._recover, parent=self).exec()


class RecoverDialog(QDialog):
    """恢复码: a new password for the first 管理员; the new code is shown once."""

    def __init__(
        self, name: str, recover: Callable[[str, str, str], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("忘记密码")
        self._recover, self._name = recover, name
        self.code = QLineEdit()
        self.code.setPlaceholderText("恢复码：四组，每组五个字符，照首次使用时抄下的填写")
        self.new, self.again = password_field(), password_field()
        self.error = error_label(visible=False)
        form = QFormLayout()
        form.addRow("恢复码(&C)", self.code)
        form.addRow("新密码(&P)", self.new)
        form.addRow("再输入一次(&A)", self.again)
        buttons = _buttons(self, "重设密码")
        buttons.accepted.connect(self.try_recover)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "经办员、所长等忘记密码的，请找管理员重设。\n第一个管理员忘记密码的，可凭首次使用时抄下的"
                f"恢复码重设“{name}”的密码：",
                wordWrap=True,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.fresh_code = ""

    def try_recover(self) -> None:
        if self.new.text() != self.again.text():
            self.error.setText("两次输入的新密码不一致，请重新输入。")
            self.error.setVisible(True)
            return
        try:
            self.fresh_code = self._recover(self._name, self.code.text(), self.new.text())
        except SubsidyDeskError as exc:
            _say(self.error, exc)
            return
        RecoveryCodeDialog(self.fresh_code, renewed=True, parent=self).exec()
        self.accept()


class FirstAdminDialog(QDialog):
    """First start: the first 管理员's name and password; `first` is set once made."""

    def __init__(self, create: Callable[[str, str], FirstAdmin], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("首次使用：建立管理员账户")
        self._create = create
        self.first: FirstAdmin | None = None
        self.name = QLineEdit()
        self.password, self.again = password_field(), password_field()
        self.error = error_label(visible=False)
        form = QFormLayout()
        form.addRow("管理员姓名(&N)", self.name)
        form.addRow("密码(&P)", self.password)
        form.addRow("再输入一次(&A)", self.again)
        buttons = _buttons(self, "建立")
        buttons.accepted.connect(self.try_create)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "管理员建立其他人的账户、设定角色、重设密码，并管理本机设置、密钥和备份。\n密码至少8个字符。",
                wordWrap=True,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_create(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText("两次输入的密码不一致，请重新输入。")
            self.error.setVisible(True)
            return
        try:
            self.first = self._create(self.name.text(), self.password.text())
        except SubsidyDeskError as exc:
            _say(self.error, exc)
            return
        RecoveryCodeDialog(self.first.recovery_code, parent=self).exec()
        self.accept()


class RecoveryCodeDialog(QDialog):
    """The recovery code, shown once; 确定 only after the person says it is written down."""

    def __init__(self, code: str, renewed: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("恢复码")
        self.code = QLabel(code)
        font = QFont(self.code.font())
        font.setPointSize(font.pointSize() + 8)
        font.setFamily("monospace")
        self.code.setFont(font)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        intro = "原恢复码已作废。新的恢复码：" if renewed else "管理员账户已建立。这是它的恢复码："
        self.kept = QCheckBox("我已把恢复码抄在纸上（或打印出来），并会锁好保管(&K)")
        buttons = _buttons(self, "确定", cancel=None)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.kept.toggled.connect(ok.setEnabled)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(intro))
        layout.addWidget(self.code, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(
            QLabel(
                "忘记管理员密码时，凭恢复码在登录画面的“忘记密码”中重设。恢复码只显示这一次，"
                "程序不保存它的原文；请不要把它存在这台电脑上。",
                wordWrap=True,
            )
        )
        layout.addWidget(self.kept)
        layout.addWidget(buttons)

    @shielded(None)
    def reject(self) -> None:
        if self.kept.isChecked():  # Esc before it is written down would lose the code
            super().reject()


class LockDialog(QDialog):
    """The idle lock: the same person's password again; what was open beneath stays as it was."""

    def __init__(self, actor: Actor, unlock: Callable[[str], Actor], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("已锁定")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._unlock = unlock
        self.actor: Actor | None = None
        self.password = password_field()
        self.error = error_label(visible=False)
        form = QFormLayout()
        form.addRow("密码(&P)", self.password)
        buttons = _buttons(self, "解锁", cancel=None)
        buttons.accepted.connect(self.try_unlock)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"程序已锁定，打开的工作都保留着。\n{actor.label}，请输入密码继续：", wordWrap=True)
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_unlock(self) -> None:
        try:
            self.actor = self._unlock(self.password.text())
        except SubsidyDeskError as exc:
            _say(self.error, exc)
            self.password.clear()
            return
        self.accept()

    @shielded(None)
    def reject(self) -> None:
        """Esc and the close button do not unlock."""
