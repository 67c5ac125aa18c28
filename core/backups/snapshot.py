"""The database side of a backup: a consistent snapshot, what it holds, and its check.

The snapshot is taken with SQLite's online backup API in one step (never a file copy of a live
database): it reads one consistent state, even while the window saves cases (WAL lets the
writer go on meanwhile), and the case count is read from that same snapshot.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.db.engine import BUSY_TIMEOUT_MS, DB_FILENAME, open_database
from core.db.migrate import current_revision
from core.errors import SubsidyDeskError


@dataclass(frozen=True)
class Facts:
    """What a database holds, as a backup's manifest records it."""

    case_count: int
    office_name: str
    office_code: str
    schema: str


def take_snapshot(source: Path, target: Path) -> Facts:
    """Copy the database `source` into the new file `target` in one consistent step."""
    src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)  # all pages in one step: one read transaction, one state
        dst.execute("PRAGMA journal_mode=DELETE")  # a single file, no -wal beside it
    finally:
        dst.close()
        src.close()
    return read_facts(target)


def read_facts(path: Path) -> Facts:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        count = con.execute("SELECT count(*) FROM subsidy_case").fetchone()[0]
        office = con.execute("SELECT name FROM office ORDER BY id LIMIT 1").fetchone()
        code = _scalar(con, "SELECT value FROM package_setting WHERE name = 'office_code'")
        schema = _scalar(con, "SELECT version_num FROM alembic_version")
    finally:
        con.close()
    return Facts(int(count), office[0] if office else "", code, schema)


def _scalar(con: sqlite3.Connection, sql: str) -> str:
    try:
        row = con.execute(sql).fetchone()
    except sqlite3.OperationalError:  # a table an older schema did not have yet
        return ""
    return str(row[0]) if row else ""


class CheckFailed(Exception):
    """The file is not a whole SubsidyDesk database; the reason is in Chinese."""


def check_database(path: Path, expected: Facts | None, every_row: bool = False) -> Facts:
    """Whether `path` is a whole SubsidyDesk database holding what `expected` says (see _check)."""
    try:
        return _check(path, expected, every_row)
    except UnicodeDecodeError:  # SQLite's own error message quoted a damaged name
        raise CheckFailed("数据库的结构已损坏") from None


def _check(path: Path, expected: Facts | None, every_row: bool) -> Facts:
    """integrity_check, opened as the program opens a data folder, the counts as recorded.

    `path` is a private copy (it may be given the program's pragmas); CheckFailed says why not.
    `every_row` (before a restore) also reads every row: integrity_check checks the pages and
    the indexes, not what the rows hold, and a text that is not UTF-8 would stop the program
    the first time a screen showed it.
    """
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        con.text_factory = bytes  # its report quotes damaged names, which may not be UTF-8
        try:
            result = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        raise CheckFailed("数据库文件无法打开") from None
    if result != [(b"ok",)]:
        raise CheckFailed("数据库完整性检查未通过")
    if every_row:
        _read_every_row(path)
    with _as_data_folder(path) as folder:
        try:
            open_database(folder, migrate=False).close()
        except SubsidyDeskError:
            raise CheckFailed("程序无法打开这个数据库") from None
        if current_revision(folder / DB_FILENAME) is None:
            raise CheckFailed("不是 SubsidyDesk 的数据库")
    try:
        facts = read_facts(path)
    except sqlite3.DatabaseError:
        raise CheckFailed("不是 SubsidyDesk 的数据库") from None
    except UnicodeDecodeError:
        raise CheckFailed("数据库里有无法读取的文字") from None
    if expected is not None and facts.case_count != expected.case_count:
        raise CheckFailed(f"案件数 {facts.case_count} 与备份时记录的 {expected.case_count} 不符")
    return facts


def _read_every_row(path: Path) -> None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for _row in con.execute(f'SELECT * FROM "{table}"'):
                pass
    except UnicodeDecodeError:
        raise CheckFailed("数据库里有无法读取的文字") from None
    except sqlite3.DatabaseError:
        raise CheckFailed("数据库内容无法读取") from None
    finally:
        con.close()


@contextlib.contextmanager
def _as_data_folder(path: Path) -> Iterator[Path]:
    """The program opens a data folder, not a file: a hard link (or a copy) of `path` in a
    private folder beside it, removed afterwards with whatever the opening added."""
    with tempfile.TemporaryDirectory(prefix=".check-", dir=path.parent) as tmp:
        folder = Path(tmp)
        try:
            (folder / DB_FILENAME).hardlink_to(path)
        except OSError:
            import shutil

            shutil.copyfile(path, folder / DB_FILENAME)
        yield folder
