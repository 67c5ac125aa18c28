"""The login at start, 注销, the idle lock and the 管理员's account screen, from the screens (#13).

The idle lock is driven by a fake clock handed to the window: no sleeps."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from core.actor import Actor, Role
from core.app import accounts
from core.app.catalogs import CatalogChoices
from tests.cycle.screens import Modals, click, menu_item
from tests.logins import PASSWORD, add_account, answer_login
from ui.app import sign_in
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.accounts import AccountForm, AccountsDialog
from ui.dialogs.login import LockDialog, LoginDialog
from ui.dialogs.person import PersonDialog
from ui.main_window import MainWindow

T0 = dt.datetime(2026, 12, 2, 8, 0)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)


def _window(qtbot: QtBot, db, actor: Actor | None = None, clock: Clock | None = None) -> MainWindow:
    window = MainWindow(db, CatalogChoices(), ScriptedDialogs(), actor=actor, clock=clock or Clock())
    qtbot.addWidget(window)
    return window


def _visible(window: MainWindow, menu: str, item: str) -> bool:
    bar = window.menuBar()
    for action in bar.actions():
        if action.text().startswith(menu) and action.menu() is not None:
            return any(a.isVisible() for a in action.menu().actions() if a.text().startswith(item))
    return False


def test_the_login_at_start_refuses_a_wrong_password_in_the_dialog(qtbot: QtBot, db) -> None:
    add_account(db, "李经办", Role.CLERK)
    add_account(db, "赵所长", Role.HEAD)
    window = _window(qtbot, db)
    said: list[str] = []

    def wrong_then_right(dialog: LoginDialog) -> None:
        assert [dialog.name.itemText(i) for i in range(dialog.name.count())] == ["李经办", "赵所长"]
        dialog.name.setCurrentIndex(1)
        dialog.password.setText("不是这个密码啊")
        click(dialog, "登录")
        said.append(dialog.error.text())
        assert dialog.isVisible() and dialog.password.text() == ""
        dialog.password.setText(PASSWORD)
        click(dialog, "登录")

    Modals().run(lambda: sign_in(window), (LoginDialog, wrong_then_right))
    assert "密码不对" in said[0]
    assert window.actor == Actor("赵所长", Role.HEAD)
    assert window.operator_label.text() == "操作人：赵所长（所长）"


def test_leaving_the_login_screen_leaves_the_program(qtbot: QtBot, db) -> None:
    add_account(db, "李经办", Role.CLERK)
    window = _window(qtbot, db)
    ok: list[bool] = []
    Modals().run(lambda: ok.append(sign_in(window)), (LoginDialog, lambda d: click(d, "退出")))
    assert ok == [False] and window.actor.name == ""


def test_the_menus_follow_the_roles(qtbot: QtBot, db) -> None:
    clerk = _window(qtbot, db, Actor("李经办", Role.CLERK))
    assert _visible(clerk, "案件", "受理新申请") and not _visible(clerk, "上报", "导出上报批次")
    assert not _visible(clerk, "设置", "账户管理") and not _visible(clerk, "上报", "本所密钥")
    head = _window(qtbot, db, Actor("赵所长", Role.HEAD))
    assert _visible(head, "上报", "导出上报批次") and not _visible(head, "案件", "受理新申请")
    admin = _window(qtbot, db, Actor("周管理", Role.ADMIN))
    assert _visible(admin, "设置", "账户管理") and _visible(admin, "上报", "本所密钥")
    assert not _visible(admin, "上报", "导出上报批次")
    for window in (clerk, head, admin):
        assert _visible(window, "设置", "注销") and _visible(window, "设置", "锁定")


def test_log_out_and_in_as_another(qtbot: QtBot, db) -> None:
    clerk = add_account(db, "李经办", Role.CLERK)
    add_account(db, "赵所长", Role.HEAD)
    window = _window(qtbot, db, clerk)
    Modals().run(menu_item(window, "设置", "注销"), answer_login("赵所长"))
    assert window.actor == Actor("赵所长", Role.HEAD) and window.cases.model.state.is_queue


def test_the_idle_lock_asks_the_password_and_keeps_the_open_work(qtbot: QtBot, db) -> None:
    clerk = add_account(db, "李经办", Role.CLERK)
    clock = Clock()
    window = _window(qtbot, db, clerk, clock)
    window.show()
    kept: list[str] = []
    said: list[str] = []

    def half_typed(dialog: PersonDialog) -> None:
        dialog.name.setText("王秀兰")
        clock.advance(9)
        window.check_idle()  # not yet
        clock.advance(1)  # ten minutes without input
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.check_idle)

    def unlock(dialog: LockDialog) -> None:
        dialog.reject()  # Esc does not unlock
        assert dialog.isVisible()
        dialog.password.setText("不是这个密码啊")
        click(dialog, "解锁")
        said.append(dialog.error.text())
        dialog.password.setText(PASSWORD)
        click(dialog, "解锁")
        from PySide6.QtCore import QTimer

        def look_beneath() -> None:
            person = next(w for w in window.findChildren(PersonDialog) if w.isVisible())
            kept.append(person.name.text())
            person.reject()

        QTimer.singleShot(0, look_beneath)

    Modals().run(window.new_person, (PersonDialog, half_typed), (LockDialog, unlock))
    assert kept == ["王秀兰"] and "密码不对" in said[0]
    assert window.actor == clerk and not window.locked


def test_input_resets_the_idle_clock(qtbot: QtBot, db) -> None:
    clock = Clock()
    window = _window(qtbot, db, add_account(db, "李经办", Role.CLERK), clock)
    window.show()
    clock.advance(9)
    qtbot.keyClick(window.cases.search, "a")
    clock.advance(9)
    window.check_idle()  # 9 minutes since the key: no lock dialog, nothing modal waits
    assert not window.locked


def test_the_admin_makes_an_account_from_the_screen(qtbot: QtBot, db) -> None:
    admin = accounts.create_first_admin(db, name="周管理", password=PASSWORD).actor
    window = _window(qtbot, db, admin)

    def manage(dialog: AccountsDialog) -> None:
        assert dialog.table.rowCount() == 1
        from PySide6.QtCore import QTimer

        def fill(form: AccountForm) -> None:
            form.name.setText("李经办")
            form.password.setText(PASSWORD)
            form.again.setText(PASSWORD)
            form.roles[Role.CLERK].setChecked(True)
            click(form, "保存")

        def after() -> None:
            assert dialog.table.rowCount() == 2
            assert dialog.table.item(1, 1).text() == "经办员"
            dialog.single_staff.setChecked(True)
            dialog.idle.setValue(5)
            click(dialog, "保存设置")
            dialog.reject()

        Modals().run(lambda: click(dialog, "新建账户"), (AccountForm, fill))
        QTimer.singleShot(0, after)

    Modals().run(menu_item(window, "设置", "账户管理"), (AccountsDialog, manage))
    assert accounts.login(db, name="李经办", password=PASSWORD).roles == {Role.CLERK}
    assert accounts.single_staff(db) and accounts.idle_minutes(db) == 5
    assert window.idle.timeout == dt.timedelta(minutes=5)
