"""统计 at the county: imported cases by month, subsidy, town (office), decision and population group,
with what was asked (申报), approved (核定) and paid (拨付), in fen; and the 拨付汇总表's lines.

Like the town's (core/cases/statistics.py), each dimension is one GROUP BY over the filter the
county's case list uses, so that the figures can be checked against the list. The month and the
population groups come from each case's document (the application date the town recorded, the
applicant's groups), copied out of it at import into `application_date` and `categories`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.cases.statistics import NO_GROUP, ORGANISATION, Count, Dimension, ProgressFn
from core.db import ReadConnection
from core.db.pg import is_postgres
from core.packages.decision_rules import PAID

_APPLIED = "c.application_date"  # copied from the document at import (migration 0005_statistics)
_CASES = "imported_case AS c INDEXED BY ix_imported_case_statistics"
_CASES_PG = "imported_case AS c"  # PostgreSQL: no INDEXED BY (see _pg)
_SUMS = (
    "count(*), coalesce(sum(c.amount_fen), 0), coalesce(sum(c.approved_fen), 0), coalesce(sum(c.paid_fen), 0)"
)
_KEYS = {
    Dimension.MONTH: f"substr({_APPLIED}, 1, 7)",
    Dimension.SUBSIDY: "c.subsidy_id",
    Dimension.PLACE: "c.office_code",
    Dimension.STATUS: "c.status",
}


@dataclass(frozen=True)
class CountyStatsFilter:
    applied_from: dt.date | None = None
    applied_to: dt.date | None = None
    office_code: str | None = None
    status: str | None = None  # received | approved | rejected | paid


def _where(flt: CountyStatsFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if flt.applied_from:
        clauses.append(f"{_APPLIED} >= ?")
        params.append(flt.applied_from.isoformat())
    if flt.applied_to:
        clauses.append(f"{_APPLIED} <= ?")
        params.append(flt.applied_to.isoformat())
    if flt.office_code:
        clauses.append("c.office_code = ?")
        params.append(flt.office_code)
    if flt.status:
        clauses.append("c.status = ?")
        params.append(flt.status)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _line(row: tuple[object, ...]) -> Count:
    key, n, *sums = row
    return Count(str(key or ""), int(str(n)), tuple(int(str(s)) for s in sums))


def county_counts(
    conn: ReadConnection, flt: CountyStatsFilter, progress: ProgressFn | None = None
) -> dict[Dimension, list[Count]]:
    out: dict[Dimension, list[Count]] = {}
    where, params = _where(flt)
    for done, dim in enumerate(Dimension, start=1):
        if dim is Dimension.GROUP:
            out[dim] = _group_counts(conn, where, params)
        else:
            sql = f"SELECT {_KEYS[dim]}, {_SUMS} FROM {_CASES}{where} GROUP BY 1 ORDER BY 1"
            out[dim] = [_line(r) for r in conn.execute(_pg(conn, sql), params)]
        if progress is not None:
            progress("statistics", done, len(Dimension))
    return out


def county_total(conn: ReadConnection, flt: CountyStatsFilter) -> Count:
    where, params = _where(flt)
    return _line(("", *conn.execute(_pg(conn, f"SELECT {_SUMS} FROM {_CASES}{where}"), params).fetchone()))


def _pg(conn: ReadConnection, sql: str) -> str:
    """The query in PostgreSQL's words on a server: no INDEXED BY, the month of a date column,
    the groups of a json column (json_array_elements_text for json_each)."""
    if not is_postgres(conn):
        return sql
    return (
        sql.replace(_CASES, _CASES_PG)
        .replace(_KEYS[Dimension.MONTH], f"to_char({_APPLIED}, 'YYYY-MM')")
        .replace(_GROUPS, _GROUPS_PG)
    )


_GROUPS = "json_each(c.categories) AS g"
_GROUPS_PG = "json_array_elements_text(c.categories) AS g(value)"


def _group_counts(conn: ReadConnection, where: str, params: list[object]) -> list[Count]:
    """Per population group (a case in each of its applicant's), then persons with none, then
    organisations (whose `categories` is NULL)."""
    sql = f"SELECT g.value, {_SUMS} FROM {_CASES}, {_GROUPS}{where} GROUP BY 1 ORDER BY 1"
    lines = [_line(r) for r in conn.execute(_pg(conn, sql), params)]
    none = "(c.categories IS NULL OR json_array_length(c.categories) = 0)"
    rest = (
        f"SELECT CASE WHEN c.categories IS NULL THEN '{ORGANISATION}' ELSE '{NO_GROUP}' END, {_SUMS} "
        f"FROM {_CASES}{where}{' AND ' if where else ' WHERE '}{none} GROUP BY 1 ORDER BY 1"
    )
    return lines + [_line(r) for r in conn.execute(_pg(conn, rest), params)]


@dataclass(frozen=True)
class PaymentLine:
    """One line of the 拨付汇总表: a town's payments of one subsidy in the period."""

    office_code: str
    subsidy_id: str
    cases: int
    paid_fen: int


def payment_lines(conn: ReadConnection, paid_from: dt.date, paid_to: dt.date) -> list[PaymentLine]:
    """What the county paid (拨付), by town and subsidy, by the payment date, both ends included."""
    sql = (
        "SELECT office_code, subsidy_id, count(*), coalesce(sum(paid_fen), 0) FROM imported_case "
        "WHERE status = ? AND paid_on >= ? AND paid_on <= ? GROUP BY 1, 2 ORDER BY 1, 2"
    )
    rows = conn.execute(sql, [PAID, paid_from.isoformat(), paid_to.isoformat()])
    return [PaymentLine(str(o), str(s), int(n), int(fen)) for o, s, n, fen in rows]
