"""Moving a data folder's SQLite database onto a PostgreSQL server (`main.py move-database`).

Every table is copied row for row, ids included (cases, applicants, the audit trail, the
county's allow-list of office keys, the attachments' index, batches, decisions), in one
transaction on the server: cut short, the server is left empty. Then it is verified: the same
number of rows in every table, and the audit chain recomputed on the server, ending on the
same hash as the file's. The file itself is never changed; it stays in the data folder as
it was, as a copy of the day of the move.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.errors import SubsidyDeskError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

    from core.db.engine import Database

CHUNK = 2000
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int


@dataclass(frozen=True)
class MoveReport:
    counts: tuple[TableCount, ...]
    audit_events: int
    last_hash: str

    @property
    def rows(self) -> int:
        return sum(c.target for c in self.counts)


def _tables() -> list[Table]:
    import core.net.models
    import core.packages.models  # noqa: F401  (the batch and county tables)
    from core.db.models import Base

    return list(Base.metadata.sorted_tables)  # parents before children


def move(source: Database, target: Database, progress: Progress | None = None) -> MoveReport:
    """Copy `source` (a file at head) into the empty, migrated server `target`, then verify."""
    tables = _tables()
    with source.engine.connect() as src, target.engine.begin() as dst:
        _refuse_unless_empty(dst, tables)
        total = sum(_count(src, t) for t in tables)
        done = 0
        for table in tables:
            for rows in _chunks(src, table):
                dst.execute(table.insert(), rows)
                done += len(rows)
                if progress is not None:
                    progress("copy", done, total)
            _reset_sequence(dst, table)
    return verify(source, target, tables)


def verify(source: Database, target: Database, tables: list[Table] | None = None) -> MoveReport:
    """Row counts of every table, and both audit chains whole and ending on the same hash."""
    from sqlalchemy.orm import Session

    from core import audit

    tables = tables or _tables()
    with source.engine.connect() as src, target.engine.connect() as dst:
        counts = tuple(TableCount(t.name, _count(src, t), _count(dst, t)) for t in tables)
    wrong = [c for c in counts if c.source != c.target]
    if wrong:
        names = "、".join(f"{c.table}（原 {c.source} 行，现 {c.target} 行）" for c in wrong)
        raise SubsidyDeskError(
            "MOVE_COUNTS_DIFFER", f"迁移后的数据行数对不上：{names}。请不要使用新数据库，联系技术人员。"
        )
    with Session(source.engine) as s:
        before, first = audit.check_chain(s), audit.last_hash(s)
    with Session(target.engine) as s:
        after, last = audit.check_chain(s), audit.last_hash(s)
    if not before.ok:
        raise SubsidyDeskError(
            "MOVE_SOURCE_CHAIN_BROKEN",
            "原数据库的办理记录校验链本身对不上（请先做“审计核验”并报告县局），没有迁移。",
        )
    if not after.ok or last != first or after.total != before.total:
        raise SubsidyDeskError(
            "MOVE_CHAIN_DIFFERS", "迁移后的办理记录校验链与原数据库不一致。请不要使用新数据库，联系技术人员。"
        )
    return MoveReport(counts, after.total, last)


def _refuse_unless_empty(conn: Connection, tables: list[Table]) -> None:
    from sqlalchemy import select

    for table in tables:
        if conn.execute(select(1).select_from(table).limit(1)).first() is not None:
            raise SubsidyDeskError(
                "MOVE_TARGET_NOT_EMPTY",
                f"目标数据库里已经有数据（{table.name} 表不是空的），没有迁移，也没有改动它。"
                "请换一个新建的空数据库。",
            )


def _count(conn: Connection, table: Table) -> int:
    from sqlalchemy import func, select

    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _chunks(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    from sqlalchemy import select

    order = list(table.primary_key.columns)
    result = conn.execute(select(table).order_by(*order).execution_options(yield_per=CHUNK))
    for part in result.partitions(CHUNK):
        yield [dict(r._mapping) for r in part]


def _reset_sequence(conn: Connection, table: Table) -> None:
    """Ids were copied as they were: the server's counters start after the highest one."""
    from sqlalchemy import text

    if "id" not in table.c or not table.c.id.primary_key:
        return
    conn.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f'coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
        )
    )
