"""Backups from the command line: `backup` (now, the list, the settings) and `restore`.

Exit codes: 0 done; 10 a backup was made but not to every target (the reason on stderr);
2 refused (a damaged or foreign backup, a wrong password: nothing changed), as every job.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.actor import Actor

from cli.common import EXIT_OK, actor, add, data_dir, database

EXIT_BACKUP_INCOMPLETE = 10
BACKUP_PASSWORD_ENV = "SUBSIDYDESK_BACKUP_PASSWORD"


def _admin(args: argparse.Namespace, restoring: bool = False) -> Actor:
    """The 管理员 logged in against the database. When restoring onto a database that no longer
    opens, or onto a new PC that has no account yet (the cases restore exists for), the person
    named by --user is taken as the PC's user and written into the restored audit trail."""
    from core.actor import Actor, Role
    from core.app.accounts import has_accounts
    from core.errors import DatabaseUnavailable, SubsidyDeskError
    from core.operator import load_station

    try:
        with database(args) as db:
            if has_accounts(db) or not restoring:
                return actor(args, db)
            # A new PC after a disk failure: no account exists until the backup brings them back.
    except DatabaseUnavailable:
        if not restoring:
            raise
    name = (getattr(args, "user", None) or "").strip()
    if not name:
        raise SubsidyDeskError(
            "ACTOR_UNNAMED", "数据库打不开时恢复备份，也要记下操作人：请加上 --user 姓名。"
        )
    return Actor(name, frozenset({Role.ADMIN}), load_station(data_dir(args)))


def _size(size: int) -> str:
    return f"{size / 1048576:.1f} MB"


def cmd_backup(args: argparse.Namespace) -> int:
    from core.app import backups

    folder = data_dir(args)
    if args.list:
        return _list(folder)
    if args.set_target is not None or args.no_target:
        target = None if args.no_target else Path(args.set_target)
        chosen = backups.set_second_target(folder, _admin(args), folder=target)
        print(f"第二备份位置：{chosen[0]}" if chosen else "已取消第二备份位置，只备份到数据文件夹。")
        return EXIT_OK
    if args.set_password:
        first, again = _new_password()
        encrypted = backups.set_backup_password(folder, _admin(args), password=first, repeated=again)
        print("今后的备份将用这个密码加密。" if encrypted else "今后的备份不再加密。")
        return EXIT_OK
    with database(args) as db:
        run = backups.backup_now(db, actor(args, db))
    for info in run.written:
        print(f"已备份：{info.case_count}件案件，{info.scan_count}个扫描件 → {info.path}")
    for problem in run.problems:
        print(problem, file=sys.stderr)
    return EXIT_OK if run.ok else EXIT_BACKUP_INCOMPLETE


def _list(folder: Path) -> int:
    from core.app import backups

    view = backups.overview(folder)
    for target in view.targets:
        if not target.present:
            print(f"备份位置 {target.path} 不存在（U盘没有插上？）", file=sys.stderr)
    for info in view.backups:
        lock = "  加密" if info.encrypted else ""
        print(
            f"{info.created_at:%Y-%m-%d %H:%M}  {info.kind_label}  {info.case_count}件  {_size(info.size)}{lock}  {info.path}"
        )
    if not view.backups:
        print("还没有备份。")
    return EXIT_OK


def _new_password() -> tuple[str, str]:
    import getpass

    if os.environ.get(BACKUP_PASSWORD_ENV) is not None:
        value = os.environ[BACKUP_PASSWORD_ENV]
        return value, value
    return getpass.getpass("备份密码（留空则不加密）："), getpass.getpass("再输入一次：")


def cmd_restore(args: argparse.Namespace) -> int:
    from core.app import backups

    folder = data_dir(args)
    info = backups.backup_at(Path(args.backup))
    password = None
    if backups.needs_password(folder, info):
        password = os.environ.get(BACKUP_PASSWORD_ENV) or _ask_password()
    report = backups.restore_backup(
        folder, _admin(args, restoring=True), set_dir=info.path, password=password
    )
    print(f"已从备份恢复（{report.restored.created_at:%Y-%m-%d %H:%M}）：{report.case_count}件案件。")
    if report.safety is not None:
        print(f"恢复前的数据已先备份到 {report.safety.path}")
    if report.set_aside is not None:
        print(f"原来已损坏的数据库已移到 {report.set_aside}")
    return EXIT_OK


def _ask_password() -> str:
    import getpass

    if not sys.stdin.isatty():
        return ""  # the use case says the password is needed
    return getpass.getpass("这个备份是加密的，请输入备份密码：")


def register(sub: Any) -> None:
    p = add(sub, "backup", "备份数据库和扫描件（或列出备份、设置第二备份位置和备份密码）", cmd_backup)
    p.add_argument("--list", action="store_true", help="列出所有备份：时间、种类、案件数、大小")
    p.add_argument("--set-target", metavar="文件夹", help="第二备份位置（U盘或另一块硬盘上的文件夹，管理员）")
    p.add_argument("--no-target", action="store_true", help="取消第二备份位置（管理员）")
    p.add_argument(
        "--set-password",
        action="store_true",
        help=f"设置备份密码，今后的备份加密（管理员；脚本可用环境变量 {BACKUP_PASSWORD_ENV}）",
    )
    p = add(sub, "restore", "从备份恢复（先自动备份当前数据；管理员）", cmd_restore)
    p.add_argument("backup", help="备份文件夹（名为 backup-日期-时间）")
