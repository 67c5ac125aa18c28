"""统计 at the town: cases and amounts by month, subsidy, village, state and population group.

The statistics count exactly the cases the case list shows for the same filter: every query
here is a GROUP BY over the case list's own WHERE clause (`case_where`), so a figure can be
checked by filtering the list (tests/statistics). The amount is the case's assessed amount
(`amount_fen`, fen); cases without one count 0.

A person may belong to several population groups: a case then counts in each of them, so the
groups' figures may add up to more than the total (said under the table). Organisations'
cases and persons without a registered group have their own lines.

Plain SQL on a sqlite3 connection (Database.reader), like the list; one query per dimension,
each a single pass over the cases in the period (bench/bench_statistics.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from core.cases.query import CaseFilter, case_where
from core.db import ReadConnection
from core.db.pg import is_postgres

ProgressFn = Callable[[str, int, int], None]

NO_GROUP = "__none__"  # a person with no registered population group
ORGANISATION = "__organisation__"  # the case of an organisation: no village, no group


class Dimension(StrEnum):
    MONTH = "month"
    SUBSIDY = "subsidy"
    PLACE = "place"  # the registered village at a town, the town (office) at the county
    STATUS = "status"
    GROUP = "group"


@dataclass(frozen=True)
class Count:
    """One line before it is named: its key, the number of cases and the sums of its measures (fen)."""

    key: str
    cases: int
    sums: tuple[int, ...]


# Every query reads the covering index ix_case_statistics (migration 0005_statistics), never the
# wide case rows.
_CASES = "subsidy_case AS c INDEXED BY ix_case_statistics"
_CASES_PG = "subsidy_case AS c"  # PostgreSQL has no INDEXED BY; its planner picks the index
_MONTH = "substr(c.application_date, 1, 7)"
_MONTH_PG = "to_char(c.application_date, 'YYYY-MM')"  # a date column there, not ISO text
_SUMS = "count(*) AS n, coalesce(sum(c.amount_fen), 0) AS fen"


def town_counts(
    conn: ReadConnection, flt: CaseFilter, progress: ProgressFn | None = None
) -> dict[Dimension, list[Count]]:
    """Every dimension's lines for the filter; `progress` after each query (it may raise Cancelled)."""
    where, params = case_where(flt, is_postgres(conn))
    steps = (_by_month_subsidy_status, _by_group, _by_place)  # the groups, then those without one
    out: dict[Dimension, list[Count]] = {}
    for done, step in enumerate(steps, start=1):
        for dim, lines in step(conn, where, params).items():
            out.setdefault(dim, []).extend(lines)
        if progress is not None:
            progress("statistics", done, len(steps))
    return {dim: out[dim] for dim in Dimension}


def total_of(lines: list[Count]) -> Count:
    """The total of a dimension whose lines do not overlap (any but the population groups)."""
    width = len(lines[0].sums) if lines else 1
    sums = tuple(sum(line.sums[i] for line in lines) for i in range(width))
    return Count("", sum(line.cases for line in lines), sums)


def _and(where: str, clause: str) -> str:
    return f"{where} AND {clause}" if where else f" WHERE {clause}"


def _rolled(rows: list[tuple[str, int, int]]) -> list[Count]:
    acc: dict[str, list[int]] = {}
    for key, n, fen in rows:
        line = acc.setdefault(key, [0, 0])
        line[0] += n
        line[1] += fen
    return [Count(k, n, (fen,)) for k, (n, fen) in sorted(acc.items())]


def _by_month_subsidy_status(
    conn: ReadConnection, where: str, params: list[object]
) -> dict[Dimension, list[Count]]:
    pg = is_postgres(conn)
    month, cases = (_MONTH_PG, _CASES_PG) if pg else (_MONTH, _CASES)
    sql = f"SELECT {month}, c.subsidy_id, c.status, {_SUMS} FROM {cases}{where} GROUP BY 1, 2, 3"
    cube = [(str(m), str(sub), str(st), int(n), int(fen)) for m, sub, st, n, fen in conn.execute(sql, params)]
    return {
        Dimension.MONTH: _rolled([(m, n, f) for m, _s, _t, n, f in cube]),
        Dimension.SUBSIDY: _rolled([(s, n, f) for _m, s, _t, n, f in cube]),
        Dimension.STATUS: _rolled([(t, n, f) for _m, _s, t, n, f in cube]),
    }


def _per_person(where: str, pg: bool) -> str:
    """The cases of each person in the filter: a walk of the covering index in person order, so the
    person and the groups are then looked up once per person, not once per case."""
    return (
        f"SELECT c.person_id AS pid, {_SUMS} FROM {_CASES_PG if pg else _CASES}{_and(where, 'c.person_id IS NOT NULL')} "
        "GROUP BY c.person_id"
    )


def _by_place(conn: ReadConnection, where: str, params: list[object]) -> dict[Dimension, list[Count]]:
    """Villages of the persons, then organisations; and, for the population groups, the persons
    with none and the organisations."""
    pg = is_postgres(conn)
    grouped = "EXISTS (SELECT 1 FROM person_category AS pc WHERE pc.person_id = x.pid)"
    sql = (
        f"SELECT p.registered_village, {grouped}, sum(x.n), sum(x.fen) FROM ({_per_person(where, pg)}) AS x "
        "JOIN person AS p ON p.id = x.pid GROUP BY 1, 2"
    )
    rows = [(str(v or ""), bool(g), int(n), int(fen)) for v, g, n, fen in conn.execute(sql, params)]
    org_sql = f"SELECT {_SUMS} FROM {_CASES_PG if pg else _CASES}{_and(where, 'c.person_id IS NULL')}"
    org_n, org_fen = conn.execute(org_sql, params).fetchone()
    orgs = [Count(ORGANISATION, int(org_n), (int(org_fen),))] if org_n else []
    none = [c for c in _rolled([(NO_GROUP, n, f) for _v, g, n, f in rows if not g]) if c.cases]
    return {
        Dimension.PLACE: _rolled([(v, n, f) for v, _g, n, f in rows]) + orgs,
        Dimension.GROUP: none + orgs,
    }


def _by_group(conn: ReadConnection, where: str, params: list[object]) -> dict[Dimension, list[Count]]:
    sql = (
        f"SELECT pc.category, sum(x.n), sum(x.fen) FROM ({_per_person(where, is_postgres(conn))}) AS x "
        "JOIN person_category AS pc ON pc.person_id = x.pid GROUP BY 1 ORDER BY 1"
    )
    return {Dimension.GROUP: [Count(str(k), int(n), (int(fen),)) for k, n, fen in conn.execute(sql, params)]}
