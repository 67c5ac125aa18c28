"""Backups and restore (设置 → 备份与恢复, and the `backup` / `restore` commands).

Who may do what: anyone named may back up now (it only adds a copy) and see the list; the
second target, the password and a restore belong to the administrator. Accounts with a 管理员
role are being built beside this; until they are merged the office head stands in for it, and
the one place that says so is `require_backup_admin`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from core.actor import Actor, Role
from core.backups import schedule
from core.backups.config import load_config, update_config
from core.backups.layout import KIND_AUTO, KIND_MANUAL, BackupInfo, list_sets, primary_target
from core.backups.restore import RestoreReport, load_set, restore
from core.backups.run import BackupRun, make_backup
from core.backups.write import Progress
from core.db import Database
from core.errors import ValidationError

PASSWORD_FIELD = "备份密码"
TARGET_FIELD = "第二备份位置"
MIN_PASSWORD = 8


def require_backup_admin(actor: Actor, action_zh: str) -> None:
    """Backups and restore are the 管理员's."""
    _named(actor)
    actor.require_role(Role.ADMIN, action_zh)


def _named(actor: Actor) -> str:
    return actor.audit_name  # an unnamed operator may not change anything


@dataclass(frozen=True)
class TargetState:
    path: Path
    primary: bool  # the data folder's own backups/
    present: bool  # False: the stick is not plugged in, or the disk is gone


@dataclass(frozen=True)
class BackupOverview:
    """What the dialog shows: every set on every target present, the targets, the settings."""

    backups: list[BackupInfo]
    targets: list[TargetState]
    encrypted: bool
    last_auto_at: dt.datetime | None


def overview(data_dir: Path) -> BackupOverview:
    config = load_config(data_dir)
    targets = [TargetState(primary_target(data_dir), True, True)]
    targets += [TargetState(t, False, t.is_dir()) for t in config.second_targets]
    sets = [i for t in targets if t.present for i in list_sets(t.path)]
    sets.sort(key=lambda i: i.created_at, reverse=True)
    return BackupOverview(sets, targets, config.encrypted, config.last_auto_at)


def backup_now(db: Database, actor: Actor, progress: Progress | None = None) -> BackupRun:
    """A backup the operator asked for (备份 now, or the `backup` command).

    On a PostgreSQL server there is no file to copy: the server is backed up with pg_dump
    (`backup-database`, core/db/pg_backup.py) by the county's technician, and this is refused
    with that said (the window makes no automatic backups there either)."""
    _named(actor)
    if db.is_postgres:
        from core.errors import SubsidyDeskError

        raise SubsidyDeskError(
            "BACKUP_ON_SERVER",
            "本处的数据保存在数据库服务器上，本机的备份不适用。请由县局技术人员用“备份数据库”"
            "任务备份服务器上的数据库（见说明书“县局使用 PostgreSQL”一节）。",
        )
    return make_backup(db.path.parent, KIND_MANUAL, progress=progress)


def auto_backup_due(data_dir: Path, *, on_exit: bool, now: dt.datetime | None = None) -> bool:
    now = now or dt.datetime.now()
    last = load_config(data_dir).last_auto_at
    return schedule.exit_backup_due(last, now) if on_exit else schedule.end_of_day_due(last, now)


def auto_backup(
    data_dir: Path, now: dt.datetime | None = None, progress: Progress | None = None
) -> BackupRun:
    """The program's own backup (end of the working day, on exit); the caller asked auto_backup_due."""
    run = make_backup(data_dir, KIND_AUTO, now=now, progress=progress)
    if run.written:
        update_config(data_dir, last_auto_at=run.created_at)
    return run


def set_second_target(data_dir: Path, actor: Actor, *, folder: Path | None) -> list[Path]:
    """The second target (a USB stick, another disk), or none; it must exist when it is set."""
    require_backup_admin(actor, "设置备份位置")
    if folder is None:
        return update_config(data_dir, second_targets=[]).second_targets
    folder = folder.expanduser()
    if not folder.is_dir():
        raise ValidationError(
            "BACKUP_TARGET_MISSING",
            TARGET_FIELD,
            f"文件夹 {folder} 不存在，请插上U盘或选择一个已有的文件夹。",
        )
    if _inside(folder, data_dir):
        raise ValidationError(
            "BACKUP_TARGET_INSIDE",
            TARGET_FIELD,
            "第二备份位置不能在数据文件夹里面：硬盘坏了它也一起坏。请选择U盘或另一块硬盘上的文件夹。",
        )
    return update_config(data_dir, second_targets=[folder.resolve()]).second_targets


def _inside(folder: Path, data_dir: Path) -> bool:
    folder, data_dir = folder.resolve(), data_dir.resolve()
    return folder == data_dir or data_dir in folder.parents


def set_backup_password(data_dir: Path, actor: Actor, *, password: str, repeated: str) -> bool:
    """Encrypt the backups from now on with `password` (empty: stop encrypting); returns whether
    they are encrypted. Backups made before keep the password they were made with."""
    from core.backups.crypt import derive

    require_backup_admin(actor, "设置备份密码")
    if password != repeated:
        raise ValidationError(
            "BACKUP_PASSWORD_MISMATCH", PASSWORD_FIELD, "两次输入的备份密码不一致，请重新输入。"
        )
    if not password:
        return update_config(data_dir, key=None).encrypted
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            "BACKUP_PASSWORD_SHORT",
            PASSWORD_FIELD,
            f"备份密码至少要{MIN_PASSWORD}个字符，请换一个更长的密码。",
        )
    return update_config(data_dir, key=derive(password)).encrypted


def backup_at(path: Path) -> BackupInfo:
    """A set chosen by its folder (the dialog's list, or a folder on a stick on a new PC)."""
    return load_set(path)


def needs_password(data_dir: Path, info: BackupInfo) -> bool:
    """Whether restoring `info` needs the password typed (an encrypted set this PC has no key for)."""
    enc = info.manifest.get("encryption")
    key = load_config(data_dir).key
    return isinstance(enc, dict) and (key is None or key.key_id != enc.get("key_id"))


def restore_backup(
    data_dir: Path,
    actor: Actor,
    *,
    set_dir: Path,
    password: str | None = None,
    progress: Progress | None = None,
    db: Database | None = None,
) -> RestoreReport:
    """Restore a set over `data_dir`. The database need not open (it may be the damaged file
    being replaced); a window passes its `db`, which is closed first and must not be used
    again: the window starts anew on the restored file."""
    require_backup_admin(actor, "从备份恢复数据")
    who = _named(actor)
    if db is not None:
        _release(db)

    def record_restore(candidate: Path) -> None:
        _record_restore(candidate, who, set_dir)

    return restore(data_dir, set_dir, password=password, before_swap=record_restore, progress=progress)


def _release(db: Database) -> None:
    """Close the window's connections; a damaged file may refuse even the closing pragma."""
    import sqlite3

    try:
        db.close()
    except sqlite3.DatabaseError:
        db.engine.dispose()


def _record_restore(candidate: Path, who: str, set_dir: Path) -> None:
    """The restore's audit event, written into the restored file before it is swapped in."""
    from core import audit
    from core.app.base import unit_of_work

    info = load_set(set_dir)
    restored = Database(path=candidate)
    try:
        with unit_of_work(restored) as s:
            changes = {"backup": set_dir.name, "made_at": info.created_at, "cases": info.case_count}
            audit.record(s, who, "restore", "database", set_dir.name, changes)
    finally:
        restored.close()
