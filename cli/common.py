"""What every command shares: the data folder, the operator, the open database."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.actor import Actor
    from core.app.storage import Database

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_PACKAGE_REJECTED = 9  # kept equal to core.packages.errors.EXIT_PACKAGE_REJECTED
PASSWORD_ENV = "SUBSIDYDESK_KEY_PASSWORD"

Handler = Callable[[argparse.Namespace], int]


def resolve_data_dir(args: argparse.Namespace) -> Path:
    if getattr(args, "data_dir", None):
        return Path(args.data_dir)
    from core.app.storage import default_data_dir

    return default_data_dir()


def data_dir(args: argparse.Namespace) -> Path:
    """The data folder of a job, which from then on also keeps the log: jobs that open no data
    folder (catalogs, assess) start without one, and stay fast."""
    from core.logs import setup_logging

    path = resolve_data_dir(args)
    setup_logging(path)
    return path


def actor(args: argparse.Namespace, db: Database) -> Actor:
    """The account named by --user (or --operator), logged in with its password.

    The password is read from the file given by --password-file (its first line; for scripts,
    a file only its owner can read), else asked without echo. Never from an environment
    variable: a process's environment is readable by other programs of the same user.
    """
    from core.app.accounts import login, require_account
    from core.errors import SubsidyDeskError

    name = (getattr(args, "user", None) or "").strip()
    if not name:
        raise SubsidyDeskError(
            "ACTOR_UNNAMED",
            "命令行的每一项改动都要记下操作人：请加上 --user 姓名（也可写 --operator 姓名），"
            "密码在提示时输入，或用 --password-file 指定存放密码的文件。",
        )
    require_account(db, name)
    return login(db, name=name, password=account_password(args, f"{name}的登录密码："))


def account_password(args: argparse.Namespace, prompt: str) -> str:
    """The first line of --password-file, or typed without echo."""
    import getpass

    from core.errors import SubsidyDeskError

    source = getattr(args, "password_file", None)
    if not source:
        return getpass.getpass(prompt)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise SubsidyDeskError(
            "PASSWORD_FILE_UNREADABLE", f"无法读取密码文件 {source}：请检查路径，文件应为 UTF-8 文本。"
        ) from None
    return text.splitlines()[0] if text else ""


@contextmanager
def database(args: argparse.Namespace) -> Iterator[Database]:
    from core.app.storage import open_data

    db = open_data(data_dir(args), getattr(args, "database_url", None))
    try:
        yield db
    finally:
        db.close()


def password(confirm: bool) -> str:
    """The key backup password: from the environment (for scripts), else asked without echo."""
    import getpass

    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    first = getpass.getpass("备份密码：")
    if confirm and getpass.getpass("再输入一次：") != first:
        from core.errors import SubsidyDeskError

        raise SubsidyDeskError("KEY_PASSWORD_MISMATCH", "两次输入的密码不一致，请重新执行。")
    return first


def add(sub: Any, name: str, help_zh: str, func: Handler, dest: str = "func") -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_zh)
    p.set_defaults(**{dest: func})
    return p
