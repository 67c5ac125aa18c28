"""Schema migrations with Alembic, run from code at start-up after a backup of the file.

The migration scripts ship inside the program (core/db/migrations), so a clerk never runs
Alembic by hand.
"""

from __future__ import annotations

import datetime as dt
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
SCHEMA_HEAD = "0004_county_results"
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


def _has_tables(path: Path) -> bool:
    conn = sqlite3.connect(str(path))
    try:
        return bool(conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0])
    finally:
        conn.close()


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
    """Bring the schema to this program's head; returns the backup made first, if any."""
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
    backup = None
    if current is not None or _has_tables(path):
        backup = backup_database(path, f"before-{head}")
    from alembic import command

    from core.db.engine import make_engine

    engine = make_engine(path)
    try:
        command.upgrade(alembic_config(engine), "head")
    finally:
        engine.dispose()
    return backup
