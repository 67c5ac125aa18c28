"""Accounts for tests: one call makes a person with roles and hands back their Actor.

The hash is real Argon2id (core/accounts.py); tests that log in use PASSWORD.
"""

from __future__ import annotations

from pathlib import Path

from core.accounts import actor_of, create
from core.actor import Actor, Role
from core.db import Database
from core.operator import load_station

PASSWORD = "办事公道-2026"


def add_account(db: Database, name: str, *roles: Role, password: str = PASSWORD) -> Actor:
    station = load_station(db.path.parent)
    with db.session() as s, s.begin():
        account = create(s, name=name, password=password, roles=roles, station=station, by="测试")
        return actor_of(account, station)


def password_file(folder: Path, password: str = PASSWORD) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "password.txt"
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def answer_login(name: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """The login screen's answer, for tests.cycle.screens.Modals: the name picked, the password typed."""
    from tests.cycle.screens import click
    from ui.dialogs.login import LoginDialog

    def answer(dialog: LoginDialog) -> None:
        dialog.name.setCurrentIndex(dialog.name.findText(name))
        dialog.password.setText(password)
        click(dialog, "登录")

    return LoginDialog, answer
