"""The case list's queries: search as you type, filters, sorting and paging.

Search reads what a clerk types: digits (and X) are an ID number (from its start, or its
last four digits) or a case number; anything else is the start of a person's or an
organisation's name. Each of these is an index range lookup, so a search stays fast on
hundreds of thousands of cases (bench/bench_search.py).

Written in SQL on a plain sqlite3 connection (Database.reader): the first page of the list
is shown before SQLAlchemy has finished importing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.db import ReadConnection
from core.db.keyset import Keyset, Listing, nulls_as_sqlite
from core.db.pg import is_postgres
from core.identity import mask_id_number
from core.identity.text import fold_code, fold_width
from core.ids import CaseId

_ID_LIKE = re.compile(r"[0-9X\-]+")
_RANGE_END = "\U0010ffff"
# Digits are only searched as an ID number once they narrow the field: every applicant of a
# county shares the first six digits, so "610328" alone would match everyone. Twelve digits
# reach the birth month. A case number is searched once it has its year and a dash.
ID_PREFIX_MIN = 12
CASE_NUMBER_MIN = 5


class SortKey(StrEnum):
    CASE_NUMBER = "case_number"
    APPLICANT = "applicant"
    APPLICATION_DATE = "application_date"
    SUBSIDY = "subsidy"
    STATUS = "status"
    AMOUNT = "amount"


# The sort column of each key, indexed, and whether it may be NULL; the case id breaks ties.
_SORT_SQL = {
    SortKey.CASE_NUMBER: ("c.case_number", True),
    SortKey.APPLICANT: ("c.applicant_pinyin", False),  # by pinyin (core/pinyin.py, 0006_case_pinyin)
    SortKey.APPLICATION_DATE: ("c.application_date", False),
    SortKey.SUBSIDY: ("c.subsidy_id", False),
    SortKey.STATUS: ("c.status", False),
    SortKey.AMOUNT: ("c.amount_fen", True),
}
# Up to this many matches are collected through the filter's index and sorted; more are found
# by walking the sort's index (bench/bench_lists.py measured where the two cross).
FEW_MATCHES = 5000
# A name search ordered by date reads its matches' dates from the (name, date) index: sorting
# is cheap there (0.16 µs a match) until walking the date index finds 200 sooner.
FEW_NAME_MATCHES = 50_000


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    statuses: tuple[str, ...] = ()
    subsidy_id: str | None = None
    village: str | None = None
    # The period of the statistics (统计), by application date, both ends included.
    applied_from: dt.date | None = None
    applied_to: dt.date | None = None
    category: str | None = None  # a population group of the applicant (person_category)


@dataclass(frozen=True)
class CaseRow:
    id: CaseId
    uuid: str
    case_number: str | None
    applicant_name: str
    applicant_key_masked: str
    village: str
    catalog_id: str
    subsidy_id: str
    status: str
    application_date: dt.date
    amount_fen: int | None


Where = tuple[list[str], list[object]]


def _col(column: str, walk: bool) -> str:
    """A filter's column; `+column` keeps SQLite from using its index (see `Listing.walk_where`)."""
    return f"+{column}" if walk else column


def _search(text: str, walk: bool) -> Where:
    term = fold_code(text)  # １２３４ from a full-width input method finds 1234
    if not term:
        return [], []
    if not _ID_LIKE.fullmatch(term):
        name = fold_width(text).strip()
        column = _col("c.applicant_name", walk)  # the applicant's name, stored on the case
        return [f"{column} >= ? AND {column} < ?"], [name, name + _RANGE_END]
    parts: list[str] = []
    params: list[object] = []
    person = _col("c.person_id", walk)
    if len(term) == 4:
        parts.append(f"{person} IN (SELECT id FROM person WHERE id_last4 = ?)")
        params.append(term)
    if len(term) >= ID_PREFIX_MIN:
        # A UNION of two index lookups: an OR across the two applicant columns makes SQLite
        # scan every case instead (organisation_id is NULL for most rows).
        parts.append(
            f"{_col('c.id', walk)} IN (SELECT id FROM subsidy_case WHERE person_id IN (SELECT id FROM person "
            "WHERE id_number >= ? AND id_number < ?) UNION ALL SELECT id FROM subsidy_case WHERE "
            "organisation_id IN (SELECT id FROM organisation WHERE uscc >= ? AND uscc < ?))"
        )
        params += [term, term + _RANGE_END, term, term + _RANGE_END]
    if ("-" in term and len(term) >= CASE_NUMBER_MIN) or len(term) >= ID_PREFIX_MIN:
        number = _col("c.case_number", walk)
        parts.append(f"({number} >= ? AND {number} < ?)")
        params += [term, term + _RANGE_END]
    if not parts:
        return ["0"], []  # too short to mean anything yet; keep typing
    return ["(" + " OR ".join(parts) + ")"], params


def _search_pg(text: str) -> Where:
    """The same search for PostgreSQL: a name as on SQLite; an ID or case number as the ids of
    each kind of match, UNIONed. Its planner
    cannot combine an OR of an IN (subquery) with an index range (it reads every case), and
    estimates `organisation_id IN (...)` as most of the table when organisations are few; a
    join from the applicant's side is estimated from the applicants found."""
    term = fold_code(text)
    if not term:
        return [], []
    ids: list[str] = []
    params: list[object] = []

    def of(table: str, column: str, where: str, values: list[object]) -> None:
        ids.append(
            f"SELECT x.id FROM {table} AS a JOIN subsidy_case AS x ON x.{column} = a.id "
            f"WHERE {where} AND x.{column} IS NOT NULL"  # the estimate: see above
        )
        params.extend(values)

    if not _ID_LIKE.fullmatch(term):
        return _search(text, walk=False)  # the applicant's name on the case: one index range
    if len(term) == 4:
        of("person", "person_id", "a.id_last4 = ?", [term])
    if len(term) >= ID_PREFIX_MIN:
        of("person", "person_id", "a.id_number >= ? AND a.id_number < ?", [term, term + _RANGE_END])
        of("organisation", "organisation_id", "a.uscc >= ? AND a.uscc < ?", [term, term + _RANGE_END])
    if ("-" in term and len(term) >= CASE_NUMBER_MIN) or len(term) >= ID_PREFIX_MIN:
        ids.append("SELECT id FROM subsidy_case WHERE case_number >= ? AND case_number < ?")
        params += [term, term + _RANGE_END]
    if not ids:
        return ["1 = 0"], []  # too short to mean anything yet; keep typing
    return [f"c.id IN ({' UNION '.join(ids)})"], params


def _clauses(flt: CaseFilter, walk: bool = False, sort: SortKey | None = None, pg: bool = False) -> Where:
    """The filter as WHERE clauses. With `walk`, the filter's own indexes are not used, so
    that SQLite walks the sort's index (the status index also serves the date order). With
    `pg`, PostgreSQL's search (no `+column` hints: its planner chooses by itself)."""
    clauses, params = _search_pg(flt.text) if pg else _search(flt.text, walk)
    if flt.statuses:
        status = _col("c.status", walk and sort != SortKey.APPLICATION_DATE)
        clauses.append(f"{status} IN ({','.join('?' * len(flt.statuses))})")
        params += list(flt.statuses)
    if flt.subsidy_id:
        clauses.append(f"{_col('c.subsidy_id', walk)} = ?")
        params.append(flt.subsidy_id)
    if flt.village:
        clauses.append(f"{_col('c.person_id', walk)} IN (SELECT id FROM person WHERE registered_village = ?)")
        params.append(flt.village)
    if flt.applied_from:
        clauses.append(f"{_col('c.application_date', walk and sort != SortKey.APPLICATION_DATE)} >= ?")
        params.append(flt.applied_from.isoformat())
    if flt.applied_to:
        clauses.append(f"{_col('c.application_date', walk and sort != SortKey.APPLICATION_DATE)} <= ?")
        params.append(flt.applied_to.isoformat())
    if flt.category:
        column = _col("c.person_id", walk)
        clauses.append(f"{column} IN (SELECT person_id FROM person_category WHERE category = ?)")
        params.append(flt.category)
    return clauses, params


def case_where(flt: CaseFilter, pg: bool = False) -> tuple[str, list[object]]:
    """The filter as one WHERE clause, for the statistics' GROUP BY over the very same cases."""
    return _where(flt, pg)


def _where(flt: CaseFilter, pg: bool = False) -> tuple[str, list[object]]:
    clauses, params = _clauses(flt, pg=pg)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def count_cases(conn: ReadConnection, flt: CaseFilter) -> int:
    where, params = _where(flt, is_postgres(conn))
    return int(conn.execute(f"SELECT count(*) FROM subsidy_case AS c{where}", params).fetchone()[0])


_COLUMNS = (
    "c.id, c.uuid, c.case_number, c.applicant_name, p.id_number, o.uscc, p.registered_village, "
    "c.catalog_id, c.subsidy_id, c.status, c.application_date, c.amount_fen"
)
_SOURCE = (
    "subsidy_case AS c LEFT JOIN person AS p ON c.person_id = p.id "
    "LEFT JOIN organisation AS o ON c.organisation_id = o.id"
)


def case_listing(flt: CaseFilter, sort: SortKey, descending: bool, pg: bool = False) -> Listing[CaseRow]:
    """The case list as a keyset listing; its plan (sort the matches or walk the sort's index)
    is chosen when it is counted. On PostgreSQL (`pg`) its planner chooses: the pages are the
    same keyset pages, a search's matches sorted (see Keyset._order_by)."""
    column, nullable = _SORT_SQL[sort]
    order = (column, "c.application_date", "c.id") if sort == SortKey.APPLICANT else (column, "c.id")
    if pg:
        where, params = _clauses(flt, pg=True)
        return Listing(
            columns=_COLUMNS,
            source=_SOURCE,
            table="subsidy_case AS c",
            where=where,
            params=params,
            order=order,
            make=_row,
            descending=descending,
            nullable=nullable,
            sort_matches=bool(flt.text.strip()),
            ident="c.id",
            pg=True,
        )
    where, params = _clauses(flt)
    walk, walk_params = _clauses(flt, walk=True, sort=sort)
    assert walk_params == params
    by_name = bool(flt.text.strip()) and not _ID_LIKE.fullmatch(fold_code(flt.text) or "0")
    # A name search by name reads one index (name, date): nothing to choose. By date, up to
    # FEW_NAME_MATCHES matches are ordered from that index alone (SQLite keeps only the top of
    # them); more (王 alone: 15% of a county) are found walking the date index, and a jump
    # still finds its place among the matches sorted from the name index.
    plain = not where or (by_name and sort == SortKey.APPLICANT)
    by_name_date = by_name and sort == SortKey.APPLICATION_DATE
    return Listing(
        columns=_COLUMNS,
        source=_SOURCE,
        table="subsidy_case AS c",
        where=where,
        params=params,
        order=(column, "c.application_date", "c.id") if sort == SortKey.APPLICANT else (column, "c.id"),
        make=_row,
        descending=descending,
        nullable=nullable,
        walk_where=None if plain else walk,
        few=FEW_NAME_MATCHES if by_name_date else FEW_MATCHES,
        ident="c.id",
        jump_by_matches=by_name_date,
    )


def case_keyset(
    connect: Callable[[], Any], flt: CaseFilter, sort: SortKey, descending: bool, pg: bool = False
) -> Keyset[CaseRow]:
    return Keyset(case_listing(flt, sort, descending, pg), connect)


def fetch_cases(
    conn: ReadConnection,
    flt: CaseFilter,
    sort: SortKey = SortKey.APPLICATION_DATE,
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
) -> list[CaseRow]:
    """Rows by position, shaped for display (ID numbers masked): short lists read whole."""
    keyset = case_keyset(lambda: nullcontext(conn), flt, sort, descending, is_postgres(conn))
    total = keyset.count()
    return [row for _, row in keyset.read(offset, min(limit, max(total - offset, 0)), total, None, None)]


def iter_cases_full(
    conn: ReadConnection, flt: CaseFilter, sort: SortKey, descending: bool
) -> Iterator[CaseRow]:
    """Every row of the list in its order, with the full ID number (for the office's own export)."""
    pg = is_postgres(conn)
    where, params = _where(flt, pg)
    column, _nullable = _SORT_SQL[sort]
    direction = "DESC" if descending else "ASC"
    nulls = nulls_as_sqlite(descending) if pg else ""
    sql = f"SELECT {_COLUMNS} FROM {_SOURCE}{where} ORDER BY {column} {direction}{nulls}, c.id {direction}"
    for r in conn.execute(sql, params):
        yield _case_row(r, r[4] or r[5] or "")


def _row(r: tuple[Any, ...]) -> CaseRow:
    return _case_row(r, mask_id_number(r[4]) if r[4] else (r[5] or ""))


def _case_row(r: tuple[Any, ...], key: str) -> CaseRow:
    return CaseRow(
        id=CaseId(r[0]),
        uuid=r[1],
        case_number=r[2],
        applicant_name=r[3] or "",
        applicant_key_masked=key,
        village=r[6] or "",
        catalog_id=r[7],
        subsidy_id=r[8],
        status=r[9],
        application_date=dt.date.fromisoformat(r[10]),
        amount_fen=r[11],
    )


# Each village found by one seek in the village index, from the one before: DISTINCT read the
# whole index (660,000 persons: 50 ms at start-up, more with the file not in the page cache).
_VILLAGES = (
    "WITH RECURSIVE v(name) AS (SELECT min(registered_village) FROM person WHERE registered_village > '' "
    "UNION ALL SELECT (SELECT min(registered_village) FROM person WHERE registered_village > v.name) "
    "FROM v WHERE v.name IS NOT NULL) SELECT name FROM v WHERE name IS NOT NULL"
)


def villages(conn: ReadConnection) -> list[str]:
    return sorted(r[0] for r in conn.execute(_VILLAGES))
