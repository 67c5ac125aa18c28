"""The two PCs of the whole-cycle test, the applicants, and the answers of the account screens:
the first 管理员, the accounts the 管理员 makes, and logging in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from core.actor import ROLE_LABELS, Role
from core.db import Database
from core.identity.id_number import check_character
from tests.cycle.screens import Modals, Printed, button, click, menu_item, replace_text
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.accounts import AccountForm, AccountsDialog
from ui.dialogs.login import FirstAdminDialog, LoginDialog, RecoveryCodeDialog
from ui.main_window import MainWindow

CODE = "533422101"  # 升平镇, 德钦县
TODAY = dt.date.today()  # the windows take today's date, as at the counter
SUBSIDY = "一次性外出务工交通补助"  # 德钦县: no materials beyond the facts, no period end


@dataclass
class Desk:
    """One PC: its window, its data folder, and the answers its person gives to message boxes."""

    window: MainWindow
    dialogs: ScriptedDialogs
    printed: Printed
    db: Database

    def said(self, kind: str = "info") -> list[str]:
        return [text for k, _title, text in self.dialogs.messages if k == kind]


@dataclass(frozen=True)
class Applicant:
    name: str
    first17: str
    village: str
    destination: str  # as the fact form lists it
    cost: str  # 元, as typed

    @property
    def id_number(self) -> str:
        return self.first17 + check_character(self.first17)


WANG = Applicant("王秀兰", "53342219880315102", "阿东村", "省外就业", "680")
ZHAO = Applicant("赵永福", "53342219920708201", "巴美村", "县外省内就业", "450")


PASSWORD = "办事公道-2026"  # everyone's, for the test; each types it at the login screen
Answer = tuple[type, Callable[[object], None]]


def first_admin(name: str, codes: list[str]) -> list[Answer]:
    """First start: the 管理员's name and password, then the recovery code written down."""

    def written_down(dialog: RecoveryCodeDialog) -> None:
        codes.append(dialog.code.text())
        assert not button(dialog, "确定").isEnabled()  # not before it is written down
        dialog.kept.setChecked(True)
        click(dialog, "确定")

    def create(dialog: FirstAdminDialog) -> None:
        replace_text(dialog.name, name)
        for field in (dialog.password, dialog.again):
            field.setText(PASSWORD)
        # the code is shown from inside the click: answered by a watcher of its own
        Modals().run(lambda: click(dialog, "建立"), (RecoveryCodeDialog, written_down))

    return [(FirstAdminDialog, create)]  # type: ignore[list-item]


def add_accounts(desk: Desk, modals: Modals, *people: tuple[str, tuple[Role, ...]]) -> None:
    """设置 → 账户管理: the 管理员 makes an account for each person, with their roles."""

    def manage(dialog: AccountsDialog) -> None:
        for name, roles in people:

            def fill(form: AccountForm, name: str = name, roles: tuple[Role, ...] = roles) -> None:
                replace_text(form.name, name)
                form.password.setText(PASSWORD)
                form.again.setText(PASSWORD)
                for role in roles:
                    form.roles[role].setChecked(True)
                click(form, "保存")

            modals.run(lambda: click(dialog, "新建账户"), (AccountForm, fill))
        listed = {
            dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
            for r in range(dialog.table.rowCount())
        }
        for name, roles in people:
            assert listed[name] == "、".join(ROLE_LABELS[r] for r in ROLE_LABELS if r in roles)
        click(dialog, "关闭")

    modals.run(menu_item(desk.window, "设置", "账户管理"), (AccountsDialog, manage))


def log_in(desk: Desk, modals: Modals, name: str) -> None:
    """设置 → 注销, then the next person picks their name and types the password."""

    def answer(dialog: LoginDialog) -> None:
        dialog.name.setCurrentIndex(dialog.name.findText(name))
        dialog.password.setText(PASSWORD)
        click(dialog, "登录")

    modals.run(menu_item(desk.window, "设置", "注销"), (LoginDialog, answer))
    assert desk.window.actor.name == name
