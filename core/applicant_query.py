"""The applicant lists' queries: persons searched by name start, ID number start or last four;
organisations by any part of the name or the start of the credit code.

Plain SQL on a sqlite3 connection, like the case list (core/cases/query.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.categories import ORGANISATION_TYPES, category_label
from core.db import ReadConnection
from core.db.pg import is_postgres
from core.identity import mask_id_number
from core.identity.text import fold_code, fold_width

_ID_LIKE = re.compile(r"[0-9X]+")
_RANGE_END = "\U0010ffff"


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    id_number_masked: str
    sex: str
    birth_date: dt.date
    registered_town: str
    registered_village: str
    categories: str
    phone: str


def _where(text: str) -> tuple[str, list[object]]:
    term = fold_code(text)  # full-width digits from a Chinese input method
    if not term:
        return "", []
    if _ID_LIKE.fullmatch(term):
        if len(term) == 4:
            return " WHERE id_last4 = ?", [term]
        return " WHERE id_number >= ? AND id_number < ?", [term, term + _RANGE_END]
    name = fold_width(text).strip()
    return " WHERE name >= ? AND name < ?", [name, name + _RANGE_END]


def count_persons(conn: ReadConnection, text: str = "") -> int:
    where, params = _where(text)
    return int(conn.execute(f"SELECT count(*) FROM person{where}", params).fetchone()[0])


def fetch_persons(conn: ReadConnection, text: str = "", offset: int = 0, limit: int = 200) -> list[PersonRow]:
    where, params = _where(text)
    rows = conn.execute(
        "SELECT id, name, id_number, sex, birth_date, registered_town, registered_village, phone "
        f"FROM person{where} ORDER BY name_pinyin, name, id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    labels = _categories(conn, [r[0] for r in rows])
    return [
        PersonRow(
            id=r[0],
            name=r[1],
            id_number_masked=mask_id_number(r[2]),
            sex=r[3],
            birth_date=dt.date.fromisoformat(r[4]),
            registered_town=r[5],
            registered_village=r[6],
            categories=labels.get(r[0], ""),
            phone=r[7],
        )
        for r in rows
    ]


def _categories(conn: ReadConnection, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    sql = f"SELECT person_id, category FROM person_category WHERE person_id IN ({','.join('?' * len(ids))})"
    for pid, code in conn.execute(sql, ids):
        found.setdefault(pid, []).append(category_label(code))
    return {pid: "、".join(sorted(labels)) for pid, labels in found.items()}


@dataclass(frozen=True)
class OrganisationListRow:
    id: int
    name: str
    uscc: str  # a credit code is public: shown in full
    org_type: str  # as the clerk reads it
    legal_representative: str
    town: str
    phone: str


def _org_where(text: str, pg: bool = False) -> tuple[str, list[object]]:
    term = text.strip()
    if not term:
        return "", []
    code = "".join(term.split()).upper()
    # instr, not LIKE: a name may hold % or _; the code part uses the unique index's order.
    found = "strpos(name, ?)" if pg else "instr(name, ?)"  # PostgreSQL's name for it
    return f" WHERE {found} > 0 OR (uscc >= ? AND uscc < ?)", [term, code, code + _RANGE_END]


def count_organisations(conn: ReadConnection, text: str = "") -> int:
    where, params = _org_where(text, is_postgres(conn))
    return int(conn.execute(f"SELECT count(*) FROM organisation{where}", params).fetchone()[0])


def fetch_organisations(
    conn: ReadConnection, text: str = "", offset: int = 0, limit: int = 200
) -> list[OrganisationListRow]:
    where, params = _org_where(text, is_postgres(conn))
    rows = conn.execute(
        "SELECT id, name, uscc, org_type, legal_representative, town, phone "
        f"FROM organisation{where} ORDER BY name_pinyin, name, id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [
        OrganisationListRow(r[0], r[1], r[2], ORGANISATION_TYPES.get(r[3], ""), r[4], r[5], r[6])
        for r in rows
    ]


# ---------------------------------------------------------------- the lists as exported


@dataclass(frozen=True)
class PersonExportRow:
    """A person as the office's own export lists them: the full ID number and account."""

    name: str
    id_number: str
    sex: str
    birth_date: dt.date
    registered_town: str
    registered_village: str
    categories: str
    phone: str
    account_number: str


def iter_persons_full(conn: ReadConnection, text: str = "") -> Iterator[PersonExportRow]:
    """Every person the search finds, in the list's order, read in chunks."""
    where, params = _where(text)
    sql = (
        "SELECT id, name, id_number, sex, birth_date, registered_town, registered_village, phone, "
        f"account_number FROM person{where} ORDER BY name, id"
    )
    cursor = conn.execute(sql, params)
    while chunk := cursor.fetchmany(500):
        labels = _categories(conn, [r[0] for r in chunk])
        for r in chunk:
            birth = dt.date.fromisoformat(r[4])
            yield PersonExportRow(r[1], r[2], r[3], birth, r[5], r[6], labels.get(r[0], ""), r[7], r[8])


def iter_organisations_full(
    conn: ReadConnection, text: str = ""
) -> Iterator[tuple[OrganisationListRow, str, str]]:
    """Every organisation the search finds, with its bank and account."""
    where, params = _org_where(text, is_postgres(conn))
    sql = (
        "SELECT id, name, uscc, org_type, legal_representative, town, phone, bank_name, bank_account "
        f"FROM organisation{where} ORDER BY name, id"
    )
    for r in conn.execute(sql, params):
        row = OrganisationListRow(r[0], r[1], r[2], ORGANISATION_TYPES.get(r[3], ""), r[4], r[5], r[6])
        yield row, r[7], r[8]
