"""The county's list of imported cases: filters, paging, and the open duplicate flags of each row.

Written in SQL on a plain sqlite3 connection (Database.reader), like the town's case list, so
that the county screen and `county cases` show rows without loading the ORM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from core.db import ReadConnection
from core.db.pg import is_postgres
from core.identity import mask_id_number

# The open flags of a case, whichever side of the pair it is on.
_OPEN_FLAGS = (
    "SELECT group_concat(id) FROM (SELECT f.id FROM duplicate_flag AS f WHERE f.status = 'open' "
    "AND (f.case_uuid = c.uuid OR f.other_uuid = c.uuid) ORDER BY f.id)"
)
_HAS_OPEN_FLAG = (
    "EXISTS (SELECT 1 FROM duplicate_flag AS f WHERE f.status = 'open' "
    "AND (f.case_uuid = c.uuid OR f.other_uuid = c.uuid))"
)


_ASSESSED = (
    "CASE WHEN json_type(c.document, '$.assessment.amount_fen') = 'integer' "
    "THEN json_extract(c.document, '$.assessment.amount_fen') ELSE c.amount_fen END"
)
_COLUMNS = (
    "SELECT c.uuid, c.office_code, c.case_number, c.applicant_name, c.id_number, "
    "{kind}, {catalog}, "
    "c.subsidy_id, c.amount_fen, c.status, c.approved_fen, c.paid_fen, c.paid_on, c.decision_reason, "
    "({flags}), {assessed}, "
    "CASE WHEN c.status = 'paid' THEN c.paid_result_number ELSE c.result_number END, c.version "
    "FROM imported_case AS c"
)
_SELECT = _COLUMNS.format(
    kind="json_extract(c.document, '$.applicant.kind')",
    catalog="json_extract(c.document, '$.case.catalog_id')",
    flags=_OPEN_FLAGS,
    assessed=_ASSESSED,
)
# The same columns in PostgreSQL's words (core/db/pg.py): its JSON operators and string_agg.
_SELECT_PG = _COLUMNS.format(
    kind="c.document::json #>> '{applicant,kind}'",
    catalog="c.document::json #>> '{case,catalog_id}'",
    flags=_OPEN_FLAGS.replace("group_concat(id)", "string_agg(id::text, ',' ORDER BY id)").replace(
        " ORDER BY f.id)", ") AS open_flags"
    ),
    assessed=(
        "CASE WHEN json_typeof(c.document::json #> '{assessment,amount_fen}') = 'number' "
        "THEN (c.document::json #>> '{assessment,amount_fen}')::bigint ELSE c.amount_fen END"
    ),
)


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


def fetch_county_cases(
    conn: ReadConnection, flt: CountyCaseFilter, offset: int = 0, limit: int = 200
) -> list[CountyCaseRow]:
    """One page of rows in office and case-number order, ID numbers of persons masked."""
    where, params = _where(flt)
    sql = f"{_select(conn)}{where} ORDER BY c.office_code, c.case_number, c.uuid LIMIT ? OFFSET ?"
    return [_row(r) for r in conn.execute(sql, [*params, limit, offset])]


def fetch_county_case(conn: ReadConnection, uuid: str) -> CountyCaseRow | None:
    """One imported case's row, as the list shows it."""
    found = conn.execute(f"{_select(conn)} WHERE c.uuid = ?", [uuid]).fetchone()
    return _row(found) if found else None


def _row(r: tuple[Any, ...]) -> CountyCaseRow:
    number = str(r[4] or "")
    return CountyCaseRow(
        uuid=str(r[0]),
        office_code=str(r[1]),
        case_number=str(r[2] or ""),
        applicant_name=str(r[3] or ""),
        id_masked=number if r[5] == "organisation" else mask_id_number(number),
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
    """Every office the county has imported from, for the office filter."""
    return [r[0] for r in conn.execute("SELECT DISTINCT office_code FROM imported_case ORDER BY office_code")]
