"""Opening the data folder: the checked, migrated database beside the scans and keys."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.db import Database, default_data_dir, open_database
from core.errors import EXIT_LOCKED, DatabaseUnavailable
from core.instance import OPENING_FILENAME, InstanceLock
from core.policy.installed import set_process_data_folder

if TYPE_CHECKING:
    from core.actor import Actor
    from core.db.move import MoveReport

ProgressFn = Callable[[str, int, int], None]

log = logging.getLogger(__name__)

# A migration after an upgrade backs the file up first: on a big database that takes a while.
OPENING_WAIT_S = 120.0


def open_data(data_dir: Path, database_url: str | None = None) -> Database:
    """Open (or create) the database of `data_dir`; DatabaseUnavailable says why it cannot be used.

    An unusable file (locked, read-only, damaged, newer) is never replaced. Programs open the
    folder one at a time, so a job started while the window migrates the file waits for it.
    The database is a PostgreSQL server when `database_url`, SUBSIDYDESK_DATABASE_URL or the
    folder's setting names one (core/db/location.py).
    """
    from core.db.location import resolve_url

    url = resolve_url(data_dir, database_url)
    lock = InstanceLock(data_dir, OPENING_FILENAME)
    try:
        taken = lock.acquire(wait_s=OPENING_WAIT_S)
    except OSError:  # no lock file can be made here: the database checks say why
        db = open_database(data_dir, url=url)
        set_process_data_folder(data_dir)
        return db
    if not taken:
        raise DatabaseUnavailable(
            "DB_OPENING",
            f"数据文件夹 {data_dir} 正由另一个 SubsidyDesk 程序打开（可能正在升级数据库），请稍后再试。",
            EXIT_LOCKED,
        )
    with lock:
        db = open_database(data_dir, url=url)
    set_process_data_folder(data_dir)  # its installed catalog updates apply (core/policy/installed.py)
    return db


def settle_interrupted(db: Database) -> list[str]:
    """At start-up, in the window that holds the data folder: what a kill or a power cut left.

    Temporary files of scans being attached are removed (logged; the scan was never recorded),
    a catalog update install cut short is kept or undone as its transaction went, and exports cut
    short are completed or undone (core/packages/export_journal.py); returns
    what the clerk must be told, one sentence each."""
    from core.app.batches import recover_exports
    from core.app.catalog_updates import recover_installs
    from core.files import remove_temp_files

    data_dir = db.path.parent
    for path in remove_temp_files(data_dir / "attachments"):
        log.info("已删除中断的附件写入留下的临时文件 %s", path)
    for path in _inbox_leftovers(data_dir):  # a sealed batch opened for a county import that was killed
        log.info("已删除中断的导入留下的解密副本 %s", path)
    return recover_installs(db) + recover_exports(db)


def _inbox_leftovers(data_dir: Path) -> list[Path]:
    """The county opens a sealed batch into <data>/inbox for one import and removes it after; a
    kill leaves it (ID numbers in the clear), so the next start removes it."""
    inbox = data_dir / "inbox"
    removed = []
    if inbox.is_dir():
        for path in sorted(inbox.iterdir()):
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed


def check_integrity(db: Database) -> str | None:
    """The full integrity check (every index against its table), run in the background after
    start-up: None when the file is sound, else what to tell the clerk (the newest good backup).
    A PostgreSQL server checks its own pages (and is backed up by its technician): None."""
    import sqlite3

    from core.db.damage import damaged, find_damage

    if db.is_postgres:
        return None
    with db.reader() as conn:
        assert isinstance(conn, sqlite3.Connection)
        complaint = find_damage(conn, full=True)
    if complaint is None:
        return None
    log.error("数据库 %s 的完整性检查未通过：%s", db.path, complaint)
    return damaged(db.path).message_zh


def self_check(db: Database) -> int:
    """The installed program's smoke test: the ORM loads and counts the cases."""
    from sqlalchemy import func, select

    from core.app.base import reading
    from core.db.models import Case

    with reading(db) as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


def move_database(
    data_dir: Path, actor: Actor, *, to_url: str, progress: ProgressFn | None = None
) -> MoveReport:
    """Copy the folder's SQLite file onto an empty PostgreSQL database, verify it (every table's
    rows, the audit chain), and from then on use the server for this folder (its database.json).
    The 管理员's, as backups are (`actor` logged in on the file).

    The file is left as it was. The window must be closed meanwhile: nothing may be written
    to the file while it is copied.
    """
    from core.app.backups import require_backup_admin
    from core.db.location import resolve_url, save_url
    from core.db.move import move
    from core.db.pg import is_postgres_url, shown_url
    from core.errors import SubsidyDeskError

    require_backup_admin(actor, "迁移数据库到服务器")
    if not is_postgres_url(to_url):
        raise SubsidyDeskError(
            "MOVE_BAD_URL", "--to 应当是 postgresql+psycopg://用户@服务器:端口/数据库名，请改正。"
        )
    current = resolve_url(data_dir)
    if current is not None:
        raise SubsidyDeskError(
            "MOVE_ALREADY_SERVER",
            f"数据文件夹 {data_dir} 已经在使用数据库服务器 {shown_url(current)}，没有可迁移的数据库文件。",
        )
    lock = InstanceLock(data_dir)
    if not lock.acquire():
        raise SubsidyDeskError(
            "MOVE_WINDOW_OPEN", "SubsidyDesk 的窗口还开着：请先关闭所有使用这个数据文件夹的窗口，再迁移。"
        )
    with lock:
        source = open_data(data_dir)
        try:
            target = open_database(data_dir, url=to_url)
            try:
                report = move(source, target, progress)
            finally:
                target.close()
        finally:
            source.close()
        save_url(data_dir, to_url)
    return report


def backup_server(db: Database, actor: Actor) -> Path:
    """A pg_dump of the server's database into the data folder's backups (core/db/pg_backup.py);
    the 管理员's, as backups are."""
    from core.app.backups import require_backup_admin
    from core.db.migrate import BACKUP_DIRNAME
    from core.db.pg_backup import dump
    from core.errors import SubsidyDeskError

    if db.url is None:
        raise SubsidyDeskError("BACKUP_NOT_SERVER", "这个数据文件夹使用本机的数据库文件，不是数据库服务器。")
    require_backup_admin(actor, "备份数据库服务器")
    return dump(db.url, db.data_dir / BACKUP_DIRNAME, "manual")


__all__ = ["Database", "backup_server", "default_data_dir", "move_database", "open_data", "self_check"]
