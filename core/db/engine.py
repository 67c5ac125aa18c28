"""Opening the database: pragmas, the checks that protect a clerk's data, migration at start.

An existing file that cannot be used (locked, read-only, corrupt, newer than this program) is
reported with a clear message and an exit code; it is never replaced by a new empty database.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from core.db.damage import QUICK_CHECK_AT_OPEN_BYTES, damaged, find_damage
from core.db.migrate import upgrade_to_head
from core.errors import EXIT_CORRUPT, EXIT_LOCKED, EXIT_READ_ONLY, EXIT_UNUSABLE, DatabaseUnavailable

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

DB_FILENAME = "subsidydesk.db"


class ReadCursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class ReadConnection(Protocol):
    """What the lists' hand-written SQL runs on: sqlite3's connection, or core/db/pg.PgReader."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


# Waiting this long for another program (a second SubsidyDesk, a backup tool) to release the
# file is enough for any of our own transactions, and short enough that a clerk is not left
# staring at a frozen window.
BUSY_TIMEOUT_MS = 3000


@dataclass
class Database:
    """An opened, checked and migrated database.

    The window's first page is read with the standard sqlite3 module (`reader`), so showing
    the case list does not wait for SQLAlchemy to import; the ORM (`session`) is set up on
    first use, which the program starts in the background once the window is up.
    """

    path: Path
    backup_path: Path | None = None
    # A PostgreSQL server's URL (core/db/pg.py), or None for the file at `path`; `path`'s folder
    # is the data folder either way (scans, keys, installed catalogs stay there).
    url: str | None = None
    _engine: Engine | None = field(default=None, repr=False)
    _sessions: sessionmaker[Session] | None = field(default=None, repr=False)
    _read_sessions: sessionmaker[Session] | None = field(default=None, repr=False)

    _readers: Any = field(default=None, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.path.parent

    @property
    def is_postgres(self) -> bool:
        return self.url is not None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.url is not None:
                from core.db.pg import make_pg_engine

                self._engine = make_pg_engine(self.url)
            else:
                self._engine = make_engine(self.path)
        return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions

    def session(self) -> Session:
        """A session whose transaction takes the write lock when it begins."""
        return self.sessions()

    def read_session(self) -> Session:
        """A session that only reads: it never waits for, nor holds up, a writer."""
        if self._read_sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._read_sessions = sessionmaker(
                self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
            )
        return self._read_sessions()

    @contextmanager
    def reader(self) -> Iterator[ReadConnection]:
        """A plain connection for read-only list queries (sqlite3, or psycopg on a server)."""
        if self.url is not None:
            if self._readers is None:
                from core.db.pg import ReaderPool

                self._readers = ReaderPool(self.url)
            with self._readers.reader() as pg:
                yield pg
            return
        conn = connect(self.path)
        try:
            yield conn
        finally:
            conn.close()

    def close(self) -> None:
        if self._readers is not None:
            self._readers.close()
        if self.url is None:
            # SQLite's advice: let it refresh the planner's statistics when a connection closes.
            with self.reader() as conn:
                conn.execute("PRAGMA optimize")
        if self._engine is not None:
            self._engine.dispose()


def _apply_pragmas(conn: Any) -> None:
    cur = conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # WAL lets the case list read while a save is being written.
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL, not NORMAL: offices lose power often, and a case whose receipt was handed over
    # must still be there after the lights come back. In WAL mode NORMAL could drop the
    # last commits on power loss; FULL costs one fsync per commit (measured in bench/).
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module's own implicit BEGIN is turned off: _begin says which kind.
    dbapi_connection.isolation_level = None
    _apply_pragmas(dbapi_connection)


def connect(path: Path) -> sqlite3.Connection:
    """A stdlib connection with the program's pragmas, in autocommit mode."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        _apply_pragmas(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def make_engine(path: Path) -> Engine:
    from sqlalchemy import URL, create_engine, event

    # URL.create, not an f-string URL: a folder name with "%" (legal on Windows) or "?" (on
    # Linux) would otherwise be decoded or cut off, opening the wrong file or none at all.
    engine = create_engine(URL.create("sqlite", database=str(path)), future=True)
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


READ_ONLY = "subsidydesk_read_only"  # execution option of the sessions that only read


def _begin(conn: Any) -> None:
    """A writing transaction takes SQLite's write lock at its start (BEGIN IMMEDIATE).

    With a plain BEGIN two writers both read (the last case number, the last batch number),
    and the second one's write then fails at once instead of waiting: 119 of 1,595 concurrent
    acceptances did. Taking the lock first makes the second writer wait (busy_timeout) and
    then read what the first one wrote.
    """
    read_only = conn.get_execution_options().get(READ_ONLY, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def check_file_usable(path: Path) -> None:
    """Refuse, with a reason, a database file that we must not touch."""
    if path.exists() and not path.is_file():
        raise DatabaseUnavailable(
            "DB_NOT_A_FILE", f"数据库位置 {path} 不是一个文件，请检查数据目录设置。", EXIT_UNUSABLE
        )
    if path.exists() and not (path.stat().st_mode & stat.S_IWUSR):
        raise DatabaseUnavailable(
            "DB_READ_ONLY",
            f"数据库文件 {path} 是只读的，程序不能保存数据。请取消该文件的“只读”属性后再启动。",
            EXIT_READ_ONLY,
        )
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as f:
            header = f.read(16)
        if header != b"SQLite format 3\x00":
            raise _corrupt(path)


def _corrupt(path: Path) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        "DB_CORRUPT",
        f"数据库文件 {path} 已损坏或不是本程序的数据库，程序没有改动它。"
        "请联系县局技术人员，用备份目录中的备份恢复。",
        EXIT_CORRUPT,
    )


def _locked(path: Path) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        "DB_LOCKED",
        f"数据库文件 {path} 正被另一个程序使用（可能已打开了一个 SubsidyDesk 窗口）。"
        "请关闭另一个窗口后再试。",
        EXIT_LOCKED,
    )


def probe(path: Path) -> None:
    """Open, read and take the write lock once, turning SQLite's errors into our own."""
    try:
        conn = connect(path)
    except sqlite3.OperationalError as exc:
        raise _classify(exc, path) from exc
    except sqlite3.DatabaseError as exc:
        raise _corrupt(path) from exc
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # Every page read once: damage inside the file, not only its header. A big file is left to
        # the background check that follows start-up (bench/README.md: seconds on 200,000 cases).
        complaint = find_damage(conn) if path.stat().st_size <= QUICK_CHECK_AT_OPEN_BYTES else None
        if complaint is not None:
            log.error("数据库 %s 的快速完整性检查未通过：%s", path, complaint)
            raise damaged(path)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "malformed" in str(exc).lower():
            raise damaged(path) from exc
        raise _classify(exc, path) from exc
    except sqlite3.DatabaseError as exc:
        raise (damaged(path) if "malformed" in str(exc).lower() else _corrupt(path)) from exc
    finally:
        conn.close()


def _classify(exc: sqlite3.OperationalError, path: Path) -> DatabaseUnavailable:
    orig = exc
    message = str(orig).lower()
    if "locked" in message or "busy" in message:
        return _locked(path)
    if "readonly" in message or "read-only" in message:
        return DatabaseUnavailable(
            "DB_READ_ONLY",
            f"数据库文件 {path} 或其所在文件夹不可写，程序不能保存数据。请检查文件夹权限。",
            EXIT_READ_ONLY,
        )
    if "not a database" in message or "malformed" in message:
        return _corrupt(path)
    return DatabaseUnavailable(
        "DB_UNUSABLE", f"无法打开数据库文件 {path}：{orig}。请检查磁盘和文件夹权限。", EXIT_UNUSABLE
    )


def open_database(data_dir: Path, migrate: bool = True, url: str | None = None) -> Database:
    """Open (or create) the database of `data_dir`, check it, back it up and migrate it.

    `url` names a PostgreSQL server instead of the file; without it the data folder's choice
    applies (SUBSIDYDESK_DATABASE_URL, or its setting: core/db/location.py).
    """
    from core.db.location import resolve_url

    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnavailable(
            "DATA_DIR_UNUSABLE", f"无法创建数据目录 {data_dir}：{exc.strerror}。请换一个位置。", EXIT_UNUSABLE
        ) from exc
    path = data_dir / DB_FILENAME
    url = url or resolve_url(data_dir)
    if url is not None:
        return _open_server(data_dir, url, migrate)
    check_file_usable(path)
    probe(path)
    backup = upgrade_to_head(path) if migrate else None
    return Database(path=path, backup_path=backup)


def _open_server(data_dir: Path, url: str, migrate: bool) -> Database:
    from core.db.migrate import BACKUP_DIRNAME, SCHEMA_HEAD
    from core.db.pg import ReaderPool, probe_pg, upgrade_pg
    from core.db.pg_backup import dump

    revision, first_reader = probe_pg(url)
    db = Database(path=data_dir / DB_FILENAME, url=url, _readers=ReaderPool(url, [first_reader]))
    if migrate and revision != SCHEMA_HEAD:  # the usual start: no SQLAlchemy nor Alembic import
        label = f"before-{SCHEMA_HEAD}"
        db.backup_path = upgrade_pg(db.engine, lambda: dump(url, data_dir / BACKUP_DIRNAME, label))
    return db


def default_data_dir() -> Path:
    """Where the data lives unless --data-dir or SUBSIDYDESK_DATA_DIR says otherwise."""
    override = os.environ.get("SUBSIDYDESK_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("SubsidyDesk", appauthor=False))
