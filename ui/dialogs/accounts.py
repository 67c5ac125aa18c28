"""设置 → 账户管理 (管理员): accounts and their roles, password resets, disabling; 单人办公 and
the idle lock's minutes. Every change is the use case's (core/app/accounts.py), which checks
the role again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.actor import ROLE_LABELS, STATION_ROLES, Actor, Role, Station, roles_label
from core.app import accounts as account_ops
from core.app.storage import Database
from core.errors import InvalidInput, SubsidyDeskError
from ui.dialog_service import DialogService
from ui.dialogs.login import password_field
from ui.labels import error_label


class AccountForm(QDialog):
    """One account: a new one (name, password, roles), its roles, or a new password."""

    def __init__(
        self,
        title: str,
        save: Callable[[AccountForm], None],
        *,
        roles: tuple[Role, ...] = (),
        chosen: frozenset[Role] = frozenset(),
        with_name: bool = False,
        with_password: bool = False,
        with_old: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        form = QFormLayout()
        self.name = QLineEdit()
        if with_name:
            form.addRow("姓名(&N)", self.name)
        self.old, self.password, self.again = password_field(), password_field(), password_field()
        if with_old:
            form.addRow("原密码(&O)", self.old)
        if with_password:
            form.addRow("密码(&P)", self.password)
            form.addRow("再输入一次(&A)", self.again)
        self.roles: dict[Role, QCheckBox] = {}
        for role in roles:
            box = QCheckBox(ROLE_LABELS[role])
            box.setChecked(role in chosen)
            self.roles[role] = box
            form.addRow("角色" if len(self.roles) == 1 else "", box)
        self.error = error_label(visible=False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen_roles(self) -> list[Role]:
        return [role for role, box in self.roles.items() if box.isChecked()]

    def try_save(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText("两次输入的密码不一致，请重新输入。")
            self.error.setVisible(True)
            return
        try:
            self._save(self)
        except InvalidInput as exc:
            self.error.setText("\n".join(f"{e.field}：{e.message_zh}" for e in exc.errors))
            self.error.setVisible(True)
            return
        except SubsidyDeskError as exc:
            self.error.setText(exc.message_zh)
            self.error.setVisible(True)
            return
        self.accept()


class AccountsDialog(QDialog):
    COLUMNS = ("姓名", "角色", "状态")

    def __init__(
        self, db: Database, actor: Actor, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("账户管理")
        self.resize(620, 420)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self.station_roles = STATION_ROLES[actor.station]
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        for text, slot in (
            ("新建账户(&N)…", self.new_account),
            ("设置角色(&R)…", self.edit_roles),
            ("重设密码(&P)…", self.reset_password),
            ("停用 / 启用(&D)", self.toggle_disabled),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        self.single_staff = QCheckBox(
            "本所只有一名工作人员（单人办公）：允许经办人本人初审，每次都记入办理记录并随上报批次告知县局"
        )
        self.single_staff.setVisible(actor.station == Station.TOWN)
        self.idle = QSpinBox()
        self.idle.setRange(1, account_ops.MAX_IDLE_MINUTES)
        self.idle.setSuffix(" 分钟")
        self.error = error_label(visible=False)
        save = QPushButton("保存设置(&S)")
        save.clicked.connect(self.save_settings)
        settings = QFormLayout()
        settings.addRow("无操作自动锁定(&L)", self.idle)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(QLabel("本机设置：", wordWrap=True))
        layout.addWidget(self.single_staff)
        layout.addLayout(settings)
        layout.addWidget(save)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.refresh()
        self.single_staff.setChecked(account_ops.single_staff(db))
        self.idle.setValue(account_ops.idle_minutes(db))

    def refresh(self) -> None:
        rows = account_ops.account_rows(self.db, self.actor)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            state = "已停用" if row.disabled else ("已锁定（密码输错）" if row.locked else "正常")
            for j, text in enumerate((row.name, roles_label(row.roles), state)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.rows = rows

    def selected(self) -> account_ops.AccountRow | None:
        index = self.table.currentRow()
        if index < 0 or index >= len(self.rows):
            self.dialogs.info(self, "账户管理", "请先在列表中选中一个账户。")
            return None
        return self.rows[index]

    def new_account(self) -> None:
        def save(form: AccountForm) -> None:
            account_ops.create_account(
                self.db,
                self.actor,
                name=form.name.text(),
                password=form.password.text(),
                roles=form.chosen_roles(),
            )

        AccountForm(
            "新建账户", save, roles=self.station_roles, with_name=True, with_password=True, parent=self
        ).exec()
        self.refresh()

    def edit_roles(self) -> None:
        row = self.selected()
        if row is None:
            return

        def save(form: AccountForm) -> None:
            account_ops.set_roles(self.db, self.actor, name=row.name, roles=form.chosen_roles())

        AccountForm(
            f"设置角色：{row.name}", save, roles=self.station_roles, chosen=row.roles, parent=self
        ).exec()
        self.refresh()

    def reset_password(self) -> None:
        row = self.selected()
        if row is None:
            return

        def save(form: AccountForm) -> None:
            account_ops.reset_password(self.db, self.actor, name=row.name, password=form.password.text())

        if AccountForm(f"重设密码：{row.name}", save, with_password=True, parent=self).exec():
            self.dialogs.info(
                self, "重设密码", f"已重设{row.name}的密码，并解除锁定。请当面把新密码告诉本人。"
            )
        self.refresh()

    def toggle_disabled(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            account_ops.set_disabled(self.db, self.actor, name=row.name, disabled=not row.disabled)
        except SubsidyDeskError as exc:
            self.dialogs.error(self, "账户管理", exc.message_zh)
        self.refresh()

    def save_settings(self) -> None:
        try:
            if self.actor.station == Station.TOWN:
                account_ops.set_single_staff(self.db, self.actor, on=self.single_staff.isChecked())
            account_ops.set_idle_minutes(self.db, self.actor, minutes=self.idle.value())
        except InvalidInput as exc:
            self.error.setText(exc.errors[0].message_zh)
            self.error.setVisible(True)
            return
        except SubsidyDeskError as exc:
            self.error.setText(exc.message_zh)
            self.error.setVisible(True)
            return
        self.error.setVisible(False)
        self.dialogs.info(self, "账户管理", "已保存。")
