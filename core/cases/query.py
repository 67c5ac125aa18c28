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
from dataclasses import dataclass
from enum import StrEnum

from core.db import ReadConnection
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


_SORT_SQL = {
    SortKey.CASE_NUMBER: "c.case_number",
    SortKey.APPLICANT: "coalesce(p.name, o.name)",
    SortKey.APPLICATION_DATE: "c.application_date",
    SortKey.SUBSIDY: "c.subsidy_id",
    SortKey.STATUS: "c.status",
    SortKey.AMOUNT: "c.amount_fen",
}


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    statuses: tuple[str, ...] = ()
    subsidy_id: str | None = None
    village: str | None = None


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


def _cases_of(person_where: str, org_where: str, params: list[object]) -> Where:
    """Cases of matching persons or organisations: a UNION of two index lookups.

    An OR across the two applicant columns makes SQLite scan every case instead
    (organisation_id is NULL for most rows).
    """
    sql = (
        "c.id IN (SELECT id FROM subsidy_case WHERE person_id IN (SELECT id FROM person WHERE "
        f"{person_where}) UNION ALL SELECT id FROM subsidy_case WHERE organisation_id IN "
        f"(SELECT id FROM organisation WHERE {org_where}))"
    )
    return [sql], params


def _search(text: str) -> Where:
    term = fold_code(text)  # １２３４ from a full-width input method finds 1234
    if not term:
        return [], []
    if not _ID_LIKE.fullmatch(term):
        name = fold_width(text).strip()
        return _cases_of(
            "name >= ? AND name < ?",
            "name >= ? AND name < ?",
            [name, name + _RANGE_END, name, name + _RANGE_END],
        )
    parts: list[str] = []
    params: list[object] = []
    if len(term) == 4:
        parts.append("c.person_id IN (SELECT id FROM person WHERE id_last4 = ?)")
        params.append(term)
    if len(term) >= ID_PREFIX_MIN:
        sql, more = _cases_of(
            "id_number >= ? AND id_number < ?",
            "uscc >= ? AND uscc < ?",
            [term, term + _RANGE_END, term, term + _RANGE_END],
        )
        parts += sql
        params += more
    if ("-" in term and len(term) >= CASE_NUMBER_MIN) or len(term) >= ID_PREFIX_MIN:
        parts.append("(c.case_number >= ? AND c.case_number < ?)")
        params += [term, term + _RANGE_END]
    if not parts:
        return ["0"], []  # too short to mean anything yet; keep typing
    return ["(" + " OR ".join(parts) + ")"], params


def _search_pg(text: str) -> Where:
    """The same search for PostgreSQL: the ids of each kind of match, UNIONed. Its planner
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
        name = fold_width(text).strip()
        of("person", "person_id", "a.name >= ? AND a.name < ?", [name, name + _RANGE_END])
        of("organisation", "organisation_id", "a.name >= ? AND a.name < ?", [name, name + _RANGE_END])
        return [f"c.id IN ({' UNION '.join(ids)})"], params
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


def _where(flt: CaseFilter, pg: bool = False) -> tuple[str, list[object]]:
    clauses, params = _search_pg(flt.text) if pg else _search(flt.text)
    if flt.statuses:
        clauses.append(f"c.status IN ({','.join('?' * len(flt.statuses))})")
        params += list(flt.statuses)
    if flt.subsidy_id:
        clauses.append("c.subsidy_id = ?")
        params.append(flt.subsidy_id)
    if flt.village:
        clauses.append("c.person_id IN (SELECT id FROM person WHERE registered_village = ?)")
        params.append(flt.village)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def count_cases(conn: ReadConnection, flt: CaseFilter) -> int:
    where, params = _where(flt, is_postgres(conn))
    return int(conn.execute(f"SELECT count(*) FROM subsidy_case AS c{where}", params).fetchone()[0])


def fetch_cases(
    conn: ReadConnection,
    flt: CaseFilter,
    sort: SortKey = SortKey.APPLICATION_DATE,
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
) -> list[CaseRow]:
    """One page of rows, already shaped for display (ID numbers masked)."""
    pg = is_postgres(conn)
    where, params = _where(flt, pg)
    direction = "DESC" if descending else "ASC"
    order = _SORT_SQL[sort]
    if flt.text.strip() and pg:
        # PostgreSQL's form of the same hint: a leading key no index has (NULLs stay where
        # PostgreSQL puts them), so the few matches are sorted instead of the index walked.
        order = f"({order}) IS NULL {direction}, {order}"
    elif flt.text.strip():
        # With a search the matches are few: collect them through the name or ID indexes and
        # sort them. The unary + keeps SQLite from walking the whole date index instead, which
        # it sometimes prefers and which costs ~100 ms when a name matches a handful of cases.
        order = f"+{order}"
    sql = (
        "SELECT c.id, c.uuid, c.case_number, coalesce(p.name, o.name), p.id_number, o.uscc, "
        "p.registered_village, c.catalog_id, c.subsidy_id, c.status, c.application_date, c.amount_fen "
        "FROM subsidy_case AS c LEFT JOIN person AS p ON c.person_id = p.id "
        f"LEFT JOIN organisation AS o ON c.organisation_id = o.id{where} "
        f"ORDER BY {order} {direction}, c.id {direction} LIMIT ? OFFSET ?"
    )
    rows = []
    for r in conn.execute(sql, [*params, limit, offset]):
        rows.append(
            CaseRow(
                id=CaseId(r[0]),
                uuid=r[1],
                case_number=r[2],
                applicant_name=r[3] or "",
                applicant_key_masked=mask_id_number(r[4]) if r[4] else (r[5] or ""),
                village=r[6] or "",
                catalog_id=r[7],
                subsidy_id=r[8],
                status=r[9],
                application_date=dt.date.fromisoformat(r[10]),
                amount_fen=r[11],
            )
        )
    return rows


def villages(conn: ReadConnection) -> list[str]:
    rows = conn.execute("SELECT DISTINCT registered_village FROM person WHERE registered_village != ''")
    return sorted(r[0] for r in rows)
