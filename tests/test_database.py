"""Opening the database: pragmas, migrations, and files that must be refused but never replaced."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from core.db import open_database
from core.db.engine import DB_FILENAME
from core.db.migrate import MIGRATIONS_DIR, SCHEMA_HEAD, alembic_config, current_revision
from core.errors import EXIT_CORRUPT, EXIT_LOCKED, EXIT_READ_ONLY, EXIT_TOO_NEW, DatabaseUnavailable


def test_new_database_is_created_at_head_with_pragmas(data_dir: Path) -> None:
    db = open_database(data_dir)
    try:
        assert current_revision(db.path) == SCHEMA_HEAD
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert db.backup_path is None  # nothing to back up in a new file
    finally:
        db.close()


def test_migrations_have_one_head_which_the_code_knows() -> None:
    heads = ScriptDirectory(str(MIGRATIONS_DIR)).get_heads()
    assert heads == [SCHEMA_HEAD]


def test_models_and_migrations_do_not_drift(data_dir: Path) -> None:
    db = open_database(data_dir)
    try:
        command.check(alembic_config(db.engine))  # raises when autogenerate would find changes
    finally:
        db.close()


def test_reopening_does_not_migrate_or_back_up_again(data_dir: Path) -> None:
    open_database(data_dir).close()
    db = open_database(data_dir)
    db.close()
    assert db.backup_path is None


def test_old_schema_is_backed_up_before_migration(data_dir: Path) -> None:
    """A file from before the baseline (tables but no version) is copied aside, then upgraded."""
    data_dir.mkdir()
    con = sqlite3.connect(data_dir / DB_FILENAME)
    con.execute("CREATE TABLE legacy_note (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO legacy_note (body) VALUES ('旧数据')")
    con.commit()
    con.close()
    db = open_database(data_dir)
    try:
        assert db.backup_path is not None and db.backup_path.exists()
        backup = sqlite3.connect(db.backup_path)
        assert backup.execute("SELECT body FROM legacy_note").fetchone() == ("旧数据",)
        backup.close()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT body FROM legacy_note")).scalar() == "旧数据"
    finally:
        db.close()


def _refused(data_dir: Path) -> DatabaseUnavailable:
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(data_dir)
    return info.value


def test_corrupt_file_is_refused_and_left_untouched(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILENAME
    garbage = b"this is not a database, but it is somebody's file" * 100
    path.write_bytes(garbage)
    err = _refused(data_dir)
    assert (err.code, err.exit_code) == ("DB_CORRUPT", EXIT_CORRUPT)
    assert "备份" in err.message_zh
    assert path.read_bytes() == garbage


def test_damaged_pages_inside_a_real_database_are_refused(data_dir: Path) -> None:
    open_database(data_dir).close()
    path = data_dir / DB_FILENAME
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # the schema page, after the 100-byte header
    path.write_bytes(bytes(raw))
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    err = _refused(data_dir)
    assert err.code == "DB_CORRUPT"
    assert path.read_bytes() == bytes(raw)


def test_read_only_file_is_refused(data_dir: Path) -> None:
    open_database(data_dir).close()
    path = data_dir / DB_FILENAME
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        err = _refused(data_dir)
    finally:
        os.chmod(path, 0o644)
    assert (err.code, err.exit_code) == ("DB_READ_ONLY", EXIT_READ_ONLY)
    assert path.read_bytes() == before


def test_database_locked_by_another_program_is_refused(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(data_dir).close()
    monkeypatch.setattr("core.db.engine.BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(data_dir / DB_FILENAME, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        err = _refused(data_dir)
    finally:
        holder.rollback()
        holder.close()
    assert (err.code, err.exit_code) == ("DB_LOCKED", EXIT_LOCKED)
    assert "另一个" in err.message_zh


def test_newer_schema_is_refused_without_changes(data_dir: Path) -> None:
    open_database(data_dir).close()
    path = data_dir / DB_FILENAME
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    err = _refused(data_dir)
    assert (err.code, err.exit_code) == ("DB_TOO_NEW", EXIT_TOO_NEW)
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)
    con.close()


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("x")
    err = _refused(blocker)
    assert err.code == "DATA_DIR_UNUSABLE"


def test_two_threads_can_read_while_one_writes(db) -> None:
    errors: list[Exception] = []

    def read() -> None:
        try:
            with db.read_session() as s:
                s.execute(text("SELECT count(*) FROM person")).scalar_one()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with db.session() as s, s.begin():
        s.execute(
            text(
                "INSERT INTO office (county_code, town, name, phone, created_at, updated_at) "
                "VALUES ('610328', '水沟镇', '所', '', '2024-01-01', '2024-01-01')"
            )
        )
        t = threading.Thread(target=read)
        t.start()
        t.join()
    assert errors == []
