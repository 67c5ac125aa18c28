"""PostgreSQL: the county's (or a several-PC office's) database server, in place of the file.

The same models and the same Alembic migrations run on both. What differs is kept here:

- **Writers take turns**, as on SQLite (BEGIN IMMEDIATE): every writing transaction takes one
  transaction-level advisory lock (`WRITER_LOCK`) as its first statement, so the next case
  number, batch number and result number are read after the last writer committed (unique and
  gap-free per office), and the audit chain is appended one event after another (one chain,
  checked whole, as on SQLite). Readers never take it and never wait. A decision holds the
  lock for a few milliseconds (bench/README.md), far below what officers notice.
- **Binary collation**: the lists' searches are index range lookups (`name >= ? AND name < ?`),
  and sorting must match SQLite's; the database must be created with LC_COLLATE 'C'
  (README: 县局使用 PostgreSQL). Another collation is refused at start with the fix.
- **The list reader** (`PgReader`) takes the lists' hand-written SQL with SQLite's `?`
  placeholders, and reads dates, times and JSON as the text SQLite returns, so the list
  queries' row code is one for both; where the SQL itself differs, the query module asks
  `is_postgres(conn)`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from core.errors import EXIT_TOO_NEW, EXIT_UNUSABLE, DatabaseUnavailable

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Engine

# pg_advisory_xact_lock's key: "SD" "WR" as two 16-bit halves, unlikely to meet another program's.
WRITER_LOCK = 0x5344_5752
# A writer waits this long for the one before it (a migration, a big import) before it is told.
LOCK_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 10
_BINARY_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8"}
SCHEMES = ("postgresql+psycopg://", "postgresql://", "postgres://")


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(SCHEMES)


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as libpq reads it (no driver name)."""
    return "postgresql://" + url.split("://", 1)[1]


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def shown_url(url: str) -> str:
    """The URL with any password hidden, for messages and the log."""
    scheme, rest = url.split("://", 1)
    if "@" not in rest:
        return url
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}@{host}" if user else f"{scheme}://{host}"


# --- the SQLAlchemy engine -------------------------------------------------------------------


def make_pg_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine(
        sqlalchemy_url(url),
        pool_pre_ping=True,  # a server restarted overnight: the first click does not fail
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "SubsidyDesk"},
    )
    event.listen(engine, "begin", _begin)
    return engine


def _begin(conn: Any) -> None:
    """A writing transaction waits for the one before it (see the module's note)."""
    from core.db.engine import READ_ONLY

    if conn.get_execution_options().get(READ_ONLY, False):
        return
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}")
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")


# --- the list reader -------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def pyformat(sql: str) -> str:
    """SQLite's `?` placeholders as psycopg's `%s` (a literal `%` doubled); quoted text is kept."""
    out: list[str] = []
    quoted = False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        if ch == "%":
            out.append("%%")
        elif ch == "?" and not quoted:
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


class PgReader:
    """A read-only connection answering `execute(sql, params)` like sqlite3's."""

    dialect = "postgresql"

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[object] = ()) -> psycopg.Cursor[Any]:
        return self.conn.execute(pyformat(sql), list(params))


def is_postgres(conn: object) -> bool:
    """Whether a list query runs on PostgreSQL (its SQL differs in a few functions)."""
    return getattr(conn, "dialect", "") == "postgresql"


def connect_reader(url: str) -> psycopg.Connection[Any]:
    import psycopg
    from psycopg.types.string import TextLoader

    conn = psycopg.connect(
        libpq_url(url), autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name="SubsidyDesk"
    )
    conn.execute("SET default_transaction_read_only = on")
    conn.execute("SET DateStyle = 'ISO'")
    # Dates, times and JSON as SQLite hands them over: ISO text and JSON text.
    for name in ("date", "timestamp", "json", "jsonb"):
        conn.adapters.register_loader(name, TextLoader)
    return conn


class ReaderPool:
    """A few idle reader connections, kept: connecting to a server costs more than a query."""

    KEEP = 4

    def __init__(self, url: str, idle: list[psycopg.Connection[Any]] | None = None) -> None:
        self.url = url
        self._idle: list[psycopg.Connection[Any]] = list(idle or [])
        self._lock = threading.Lock()

    @contextmanager
    def reader(self) -> Iterator[PgReader]:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None or conn.closed:
            conn = connect_reader(self.url)
        ok = False
        try:
            yield PgReader(conn)
            ok = True
        finally:
            self._put_back(conn, ok)

    def _put_back(self, conn: psycopg.Connection[Any], ok: bool) -> None:
        with self._lock:
            if ok and not conn.closed and len(self._idle) < self.KEEP:
                self._idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


# --- opening: the checks and the migration ---------------------------------------------------


def probe_pg(url: str) -> tuple[str | None, psycopg.Connection[Any]]:
    """Connect once, check the database's collation and read its schema version (without
    SQLAlchemy: the window's start does not wait for it); the server's refusal in Chinese.

    The connection is handed back to become the lists' first reader (one connection less at start).
    """
    import psycopg

    try:
        conn = connect_reader(url)
    except psycopg.Error as exc:
        raise unreachable(url, exc) from exc
    try:
        row = conn.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()").fetchone()
        versioned = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
        found = (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if versioned and versioned[0]
            else None
        )
        collation = str(row[0]) if row else ""
        if collation not in _BINARY_COLLATIONS:
            raise DatabaseUnavailable(
                "DB_PG_COLLATION",
                f"PostgreSQL 数据库 {shown_url(url)} 的排序规则是 {collation}，本程序需要 C 排序规则"
                "（否则按姓名查找会漏掉案件）。请按说明书“县局使用 PostgreSQL”一节，用 "
                "LC_COLLATE 'C' 新建数据库后再连接。",
                EXIT_UNUSABLE,
            )
    except BaseException:
        conn.close()
        raise
    return (str(found[0]) if found else None), conn


def unreachable(url: str, exc: Exception) -> DatabaseUnavailable:
    message = str(exc).lower()
    if "password" in message or "authentication" in message:
        why = "用户名或密码不对"
    elif "does not exist" in message:
        why = "服务器上没有这个数据库或用户"
    else:
        why = "服务器没有应答（未启动、地址或端口不对，或网络不通）"
    return DatabaseUnavailable(
        "DB_PG_UNREACHABLE",
        f"无法连接 PostgreSQL 数据库 {shown_url(url)}：{why}。请检查数据库地址设置，"
        "或联系县局技术人员确认数据库服务器正在运行。",
        EXIT_UNUSABLE,
    )


def current_revision_pg(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_rows_pg(engine: Engine) -> bool:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        return any(conn.execute(text(f'SELECT 1 FROM "{t}" LIMIT 1')).first() for t in tables)


def upgrade_pg(engine: Engine, backup: Any) -> Any:
    """Bring the server's schema to head in one transaction (PostgreSQL's DDL is transactional:
    a migration cut short leaves the old schema whole). `backup()` is called first when the
    database already holds data; its result (the dump's path) is returned."""
    from alembic import command
    from sqlalchemy.exc import SQLAlchemyError

    from core.db.migrate import SCHEMA_HEAD, _known_revisions, alembic_config

    current = current_revision_pg(engine)
    if current == SCHEMA_HEAD:
        return None
    if current is not None and current not in _known_revisions():
        raise DatabaseUnavailable(
            "DB_TOO_NEW",
            f"数据库由更新版本的 SubsidyDesk 创建（结构版本 {current}），本程序无法使用它。"
            "请安装最新版本的程序后再打开。",
            EXIT_TOO_NEW,
        )
    made = backup() if current is not None or has_rows_pg(engine) else None
    try:
        command.upgrade(alembic_config(engine), "head")
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(
            "DB_MIGRATION_FAILED",
            "PostgreSQL 数据库无法升级到本版本的结构，程序没有改动它。请联系县局技术人员处理。",
            EXIT_UNUSABLE,
        ) from exc
    return made
