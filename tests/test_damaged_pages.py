"""A database with a damaged page inside (not its header) is refused at open with a message that
points to the newest good backup; the full check in the background finds it too."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.app.storage import check_integrity
from core.db import open_database
from core.db.engine import DB_FILENAME
from core.errors import EXIT_CORRUPT, DatabaseUnavailable

PAGE = 4096


def _with_filler(data_dir: Path) -> Path:
    open_database(data_dir).close()
    path = data_dir / DB_FILENAME
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB)")
    con.executemany("INSERT INTO filler (body) VALUES (?)", [(bytes([n % 251]) * 300,) for n in range(3000)])
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


def _damage_page(path: Path, page: int) -> bytes:
    raw = bytearray(path.read_bytes())
    raw[page * PAGE : (page + 1) * PAGE] = bytes([0x5A]) * PAGE
    path.write_bytes(bytes(raw))
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    return bytes(raw)


def test_a_damaged_page_is_refused_and_the_newest_backup_named(tmp_path: Path) -> None:
    data_dir = tmp_path / "office"
    path = _with_filler(data_dir)
    backup = data_dir / "backups" / "subsidydesk-20261201-180000-daily.db"
    backup.parent.mkdir(exist_ok=True)
    backup.write_bytes(b"a backup")
    pages = path.stat().st_size // PAGE
    damaged = _damage_page(path, pages - 40)  # a page of the filler table, far from the header
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(data_dir)
    assert (info.value.code, info.value.exit_code) == ("DB_DAMAGED", EXIT_CORRUPT)
    assert "损坏的数据页" in info.value.message_zh and str(backup) in info.value.message_zh
    assert path.read_bytes() == damaged  # never changed


def test_without_a_backup_the_message_says_so(tmp_path: Path) -> None:
    data_dir = tmp_path / "office"
    path = _with_filler(data_dir)
    _damage_page(path, path.stat().st_size // PAGE - 40)
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(data_dir)
    assert "没有找到可用的备份" in info.value.message_zh


def test_the_full_check_in_the_background_finds_damage_that_appears_later(tmp_path: Path) -> None:
    data_dir = tmp_path / "office"
    path = _with_filler(data_dir)
    db = open_database(data_dir)
    try:
        assert check_integrity(db) is None
        _damage_page(path, path.stat().st_size // PAGE - 40)  # the disk fails while the program runs
        message = check_integrity(db)
        assert message is not None and "损坏的数据页" in message
    finally:
        db.close()
