"""The county's list of imported cases: filters, paging, and the open duplicate flags of each row.

Written in SQL on a plain sqlite3 connection (Database.reader), like the town's case list, so
that the county screen and `county cases` show rows without loading the ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from core.db import ReadConnection
from core.db.keyset import Keyset, Listing
from core.db.pg import is_postgres
from core.identity import mask_id_number

# The open flags of a case, whichever side of the pair it is on.
_OPEN_FLAGS = (
    "SELECT group_concat(id) FROM (SELECT f.id FROM duplicate_flag AS f WHERE f.status = 'open' "
    "AND (f.case_uuid = c.uuid OR f.other_uuid = c.uuid) ORDER BY f.id)"
)
# Driven from the flags (few) through the uuid index, not an EXISTS tried on every case.
_HAS_OPEN_FLAG = (
    "c.uuid IN (SELECT f.case_uuid FROM duplicate_flag AS f WHERE f.status = 'open' "
    "UNION SELECT f.other_uuid FROM duplicate_flag AS f WHERE f.status = 'open')"
)


# No JSON is read per row: the applicant's kind, the catalog and the town's assessment are
# columns filled at import (migration 0005_perf).
_COLUMNS_OF = (
    "c.uuid, c.office_code, c.case_number, c.applicant_name, c.id_number, c.applicant_kind, c.catalog_id, "
    "c.subsidy_id, c.amount_fen, c.status, c.approved_fen, c.paid_fen, c.paid_on, c.decision_reason, "
    "({flags}), c.assessed_fen, "
    "CASE WHEN c.status = 'paid' THEN c.paid_result_number ELSE c.result_number END, c.version"
)
_COLUMNS = _COLUMNS_OF.format(flags=_OPEN_FLAGS)
# The same columns in PostgreSQL's words (core/db/pg.py): string_agg for group_concat.
_COLUMNS_PG = _COLUMNS_OF.format(
    flags=_OPEN_FLAGS.replace("group_concat(id)", "string_agg(id::text, ',' ORDER BY id)").replace(
        " ORDER BY f.id)", ") AS open_flags"
    )
)
_SELECT = f"SELECT {_COLUMNS} FROM imported_case AS c"
_SELECT_PG = f"SELECT {_COLUMNS_PG} FROM imported_case AS c"
# The list's order, served by ix_imported_case_list (and ix_imported_case_status_list).
_ORDER = ("c.office_code", "c.case_number", "c.uuid")


def _select(conn: ReadConnection) -> str:
    return _SELECT_PG if is_postgres(conn) else _SELECT


@dataclass(frozen=True)
class CountyCaseFilter:
    office_code: str | None = None
    status: str | None = None  # received | approved | rejected | paid
    duplicates_only: bool = False


@dataclass(frozen=True)
class CountyCaseRow:
    uuid: str
    office_code: str
    case_number: str
    applicant_name: str
    id_masked: str
    catalog_id: str
    subsidy_id: str
    amount_fen: int
    status: str
    approved_fen: int | None
    paid_fen: int | None
    paid_on: dt.date | None
    reason: str
    open_flags: tuple[int, ...]
    assessed_fen: int = 0  # what the town's assessment came to: the approval form's default
    result_number: int | None = None  # the result package that carried the current decision to the town
    version: int = 1  # imported_case.version, which a decision taken from this row must still find

    @property
    def short_uuid(self) -> str:
        return self.uuid[:8]

    @property
    def decided_fen(self) -> int | None:
        """What the county approved or paid, when it has decided an amount."""
        return self.paid_fen if self.paid_fen is not None else self.approved_fen


def _where(flt: CountyCaseFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if flt.office_code:
        clauses.append("c.office_code = ?")
        params.append(flt.office_code)
    if flt.status:
        clauses.append("c.status = ?")
        params.append(flt.status)
    if flt.duplicates_only:
        clauses.append(_HAS_OPEN_FLAG)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def count_county_cases(conn: ReadConnection, flt: CountyCaseFilter) -> int:
    where, params = _where(flt)
    return int(conn.execute(f"SELECT count(*) FROM imported_case AS c{where}", params).fetchone()[0])


def county_listing(flt: CountyCaseFilter, pg: bool = False) -> Listing[CountyCaseRow]:
    """The county's list as a keyset listing, in office and case-number order (`pg`: the
    columns and paging in PostgreSQL's words)."""
    where, params = _where(flt)
    clauses = [where.removeprefix(" WHERE ")] if where else []
    return Listing(
        columns=_COLUMNS_PG if pg else _COLUMNS,
        source="imported_case AS c",
        table="imported_case AS c",
        where=clauses,
        params=params,
        order=_ORDER,
        make=_row,
        ident="c.uuid",
        pg=pg,
    )


def county_keyset(
    connect: Callable[[], Any], flt: CountyCaseFilter, pg: bool = False
) -> Keyset[CountyCaseRow]:
    return Keyset(county_listing(flt, pg), connect)


def fetch_county_cases(
    conn: ReadConnection, flt: CountyCaseFilter, offset: int = 0, limit: int = 200
) -> list[CountyCaseRow]:
    """Rows by position in office and case-number order, ID numbers of persons masked."""
    return Keyset(county_listing(flt, is_postgres(conn)), lambda: nullcontext(conn)).select(offset, limit)


def fetch_county_case(conn: ReadConnection, uuid: str) -> CountyCaseRow | None:
    """One imported case's row, as the list shows it."""
    found = conn.execute(f"{_select(conn)} WHERE c.uuid = ?", [uuid]).fetchone()
    return _row(found) if found else None


def iter_county_cases_full(conn: ReadConnection, flt: CountyCaseFilter) -> Iterator[CountyCaseRow]:
    """Every row of the list in its order, with full ID numbers (the county's own export)."""
    where, params = _where(flt)
    sql = f"{_select(conn)}{where} ORDER BY c.office_code, c.case_number, c.uuid"
    for r in conn.execute(sql, params):
        yield _row(r, full=True)


def _row(r: tuple[Any, ...], full: bool = False) -> CountyCaseRow:
    number = str(r[4] or "")
    return CountyCaseRow(
        uuid=str(r[0]),
        office_code=str(r[1]),
        case_number=str(r[2] or ""),
        applicant_name=str(r[3] or ""),
        id_masked=number if full or r[5] == "organisation" else mask_id_number(number),
        catalog_id=str(r[6] or ""),
        subsidy_id=str(r[7]),
        amount_fen=int(r[8] or 0),
        status=str(r[9]),
        approved_fen=r[10],
        paid_fen=r[11],
        paid_on=dt.date.fromisoformat(r[12]) if r[12] else None,
        reason=str(r[13] or ""),
        open_flags=tuple(int(x) for x in str(r[14]).split(",")) if r[14] else (),
        assessed_fen=int(r[15] or 0),
        result_number=r[16],
        version=int(r[17] or 1),
    )


def county_offices(conn: ReadConnection) -> list[str]:
    """Every office the county has imported from, for the office filter: read from the packages
    (a few thousand) rather than the cases (a million); every case came in one of them."""
    return [
        r[0] for r in conn.execute("SELECT DISTINCT office_code FROM imported_package ORDER BY office_code")
    ]
