"""Accounts from the command line: the first 管理员 (`account-init`), new accounts (`account-add`),
and a password reset with the recovery code (`account-recover`).

Passwords come from --password-file (the caller's own login) and --new-password-file (the
account being made or reset), or are typed at a prompt without echo; never from the environment.
"""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import EXIT_OK, account_password, actor, add, database


def _new_password(args: argparse.Namespace, name: str) -> str:
    import getpass

    from core.errors import SubsidyDeskError

    if getattr(args, "new_password_file", None):
        ns = argparse.Namespace(password_file=args.new_password_file)
        return account_password(ns, "")
    first = getpass.getpass(f"{name}的新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise SubsidyDeskError("PASSWORD_MISMATCH", "两次输入的密码不一致，请重新执行。")
    return first


def _print_code(code: str) -> None:
    print(f"恢复码：{code}")
    print("请把恢复码抄在纸上或打印出来，锁进柜子：忘记管理员密码时凭它重设。它只显示这一次。")


def cmd_account_init(args: argparse.Namespace) -> int:
    """The first 管理员 of this data folder; its password is --password-file or typed."""
    from core.app.accounts import create_first_admin
    from core.errors import SubsidyDeskError

    name = (args.user or "").strip()
    if not name:
        raise SubsidyDeskError("ACTOR_UNNAMED", "请用 --user 姓名 指定第一个管理员的姓名。")
    with database(args) as db:
        password = (
            account_password(args, f"{name}的密码：") if args.password_file else _new_password(args, name)
        )
        first = create_first_admin(db, name=name, password=password)
    print(f"已建立管理员账户：{first.actor.name}")
    _print_code(first.recovery_code)
    return EXIT_OK


def cmd_account_add(args: argparse.Namespace) -> int:
    from core.actor import Role
    from core.app.accounts import create_account

    with database(args) as db:
        admin = actor(args, db)
        password = _new_password(args, args.name)
        create_account(db, admin, name=args.name, password=password, roles=[Role(r) for r in args.role])
    print(f"已建立账户：{args.name.strip()}")
    return EXIT_OK


def cmd_account_recover(args: argparse.Namespace) -> int:
    import getpass

    from core.app.accounts import recover_with_code

    with database(args) as db:
        code = getpass.getpass("恢复码：")
        fresh = recover_with_code(db, name=args.name, code=code, new_password=_new_password(args, args.name))
    print(f"已重设{args.name.strip()}的密码，原恢复码作废。")
    _print_code(fresh)
    return EXIT_OK


ROLE_CHOICES = ["clerk", "head", "admin", "reviewer", "finance"]
ROLE_HELP = "角色，可重复：clerk 经办员、head 所长、admin 管理员（乡镇）；reviewer 审核员、finance 财务、admin 管理员（县局）"


def register(sub: Any) -> None:
    add(sub, "account-init", "建立第一个管理员账户（--user 姓名），并显示恢复码", cmd_account_init)
    p = add(sub, "account-add", "管理员建立账户", cmd_account_add)
    p.add_argument("name", help="新账户的姓名")
    p.add_argument("--role", action="append", choices=ROLE_CHOICES, required=True, help=ROLE_HELP)
    p.add_argument("--new-password-file", help="存放新账户密码的文件（第一行）；不给时在提示后输入")
    p = add(sub, "account-recover", "凭恢复码重设第一个管理员的密码", cmd_account_recover)
    p.add_argument("name", help="管理员的姓名")
    p.add_argument("--new-password-file", help="存放新密码的文件（第一行）；不给时在提示后输入")
