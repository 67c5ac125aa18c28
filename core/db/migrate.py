"""Schema migrations with Alembic, run from code at start-up after a backup of the file.

The migration scripts ship inside the program (core/db/migrations), so a clerk never runs
Alembic by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

from core.errors import EXIT_TOO_NEW, DatabaseUnavailable


def _migrations_dir() -> Path:
    """The migration scripts: Alembic loads them by path, so they ship as data files.

    In a PyInstaller bundle they are under sys._MEIPASS (packaging/subsidydesk.spec puts them
    there); the module's own __file__ is not a real file when frozen.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "core" / "db" / "migrations"
    return Path(__file__).resolve().with_name("migrations")


MIGRATIONS_DIR = _migrations_dir()
# The newest migration this program ships. Kept here so that start-up can compare versions
# without importing Alembic; tests/test_database.py checks it against the scripts.
SCHEMA_HEAD = "0005_pg"
BACKUP_DIRNAME = "backups"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(path: Path) -> str | None:
    """The schema version recorded in the file, read without SQLAlchemy or Alembic."""
    conn = sqlite3.connect(str(path))
    try:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None, "the program ships at least one migration"
    return head


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


def backup_database(path: Path, label: str) -> Path:
    """Copy the database aside with SQLite's backup API (consistent even with a WAL file)."""
    folder = path.parent / BACKUP_DIRNAME
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}-{label}.db"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def upgrade_to_head(path: Path) -> Path | None:
    """Bring the schema to this program's head; returns the backup made first, if any.

    The migration runs on a copy (`<file>.migrating`) that replaces the file in one atomic
    rename once it is complete: killed at any moment, the next start finds either the old file
    untouched or the new one whole, and a half-made copy is thrown away.
    """
    work = path.with_name(path.name + MIGRATING_SUFFIX)
    _remove_leftovers(work)
    current = current_revision(path)
    if current == SCHEMA_HEAD:
        return None  # the usual start: no Alembic import at all
    head = head_revision()
    if current is not None and current not in _known_revisions():
        raise DatabaseUnavailable(
            "DB_TOO_NEW",
            f"数据库 {path} 由更新版本的 SubsidyDesk 创建（结构版本 {current}），"
            "本程序无法使用它。请安装最新版本的程序后再打开。",
            EXIT_TOO_NEW,
        )
    # No version and no rows: a new file, or one whose creation an older version of the program
    # was killed in the middle of; it is made again from nothing.
    fresh = current is None and not _has_rows(path)
    backup = None if fresh else backup_database(path, f"before-{head}")
    if not fresh:
        _copy(path, work)
    try:
        _migrate(work, backup)
    except BaseException:
        _remove_leftovers(work)  # the file itself was never touched
        raise
    _swap_in(work, path)
    return backup


MIGRATING_SUFFIX = ".migrating"


def _remove_leftovers(work: Path) -> None:
    """A copy left by a migration that was killed: the file itself was never touched."""
    for leftover in (work, *(work.with_name(work.name + s) for s in ("-wal", "-shm", "-journal"))):
        leftover.unlink(missing_ok=True)


def _has_rows(path: Path) -> bool:
    """Whether the file holds any data; a file with empty tables only is a new database whose
    creation was cut short by an older version of the program, and is simply made again."""
    conn = sqlite3.connect(str(path))
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return any(conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in tables)
    finally:
        conn.close()


def _copy(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _migrate(work: Path, backup: Path | None) -> None:
    from alembic import command
    from sqlalchemy.exc import SQLAlchemyError

    from core.db.engine import make_engine

    engine = make_engine(work)
    try:
        try:
            command.upgrade(alembic_config(engine), "head")
        except SQLAlchemyError as exc:  # e.g. a file an older version left half-migrated
            raise _failed(work, backup) from exc
    finally:
        engine.dispose()
    conn = sqlite3.connect(work, isolation_level=None)
    try:  # one self-contained file, with nothing left in a write-ahead log beside it
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _failed(work: Path, backup: Path | None) -> DatabaseUnavailable:
    from core.errors import EXIT_UNUSABLE

    where = f"升级前的备份在 {backup}。" if backup else ""
    return DatabaseUnavailable(
        "DB_MIGRATION_FAILED",
        f"数据库 {work.with_suffix('')} 无法升级到本版本的结构，程序没有改动它。{where}"
        "请联系县局技术人员处理。",
        EXIT_UNUSABLE,
    )


def _swap_in(work: Path, path: Path) -> None:
    """Replace the file with its migrated copy, after emptying the file's own write-ahead log
    (a log left beside the new file would be replayed into it)."""
    from core.db.engine import _locked

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as exc:
        raise _locked(path) from exc
    finally:
        conn.close()
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise _locked(path)  # another program still has the file open
    try:
        os.replace(work, path)
    except PermissionError as exc:  # Windows: the file is open in another program
        raise _locked(path) from exc
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself survive a power cut (POSIX; Windows has no folder handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
