"""Opening the data folder: the checked, migrated database beside the scans and keys."""

from __future__ import annotations

from pathlib import Path

from core.db import Database, default_data_dir, open_database
from core.errors import EXIT_LOCKED, DatabaseUnavailable
from core.instance import OPENING_FILENAME, InstanceLock
from core.policy.installed import set_process_data_folder

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


def self_check(db: Database) -> int:
    """The installed program's smoke test: the ORM loads and counts the cases."""
    from sqlalchemy import func, select

    from core.app.base import reading
    from core.db.models import Case

    with reading(db) as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


__all__ = ["Database", "default_data_dir", "open_data", "self_check"]
