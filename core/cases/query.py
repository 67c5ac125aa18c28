"""The case list's queries: search as you type, filters, sorting and paging.

Search reads what a clerk types: digits (and X) are an ID number (from its start, or its
last four digits) or a case number; anything else is the start of a person's or an
organisation's name. Each of these is an index range lookup, so a search stays fast on
hundreds of thousands of cases (bench/bench_search.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.db.models import Case, Organisation, Person
from core.identity import mask_id_number

_ID_LIKE = re.compile(r"[0-9X\-]+")
_RANGE_END = "\U0010ffff"


class SortKey(StrEnum):
    CASE_NUMBER = "case_number"
    APPLICANT = "applicant"
    APPLICATION_DATE = "application_date"
    SUBSIDY = "subsidy"
    STATUS = "status"
    AMOUNT = "amount"


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    statuses: tuple[str, ...] = ()
    subsidy_id: str | None = None
    village: str | None = None


@dataclass(frozen=True)
class CaseRow:
    id: int
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


def _prefix(column: ColumnElement[Any] | InstrumentedAttribute[Any], text: str) -> ColumnElement[bool]:
    return (column >= text) & (column < text + _RANGE_END)


# Digits are only searched as an ID number once they narrow the field: every applicant of a
# county shares the first six digits, so "610328" alone would match everyone. Twelve digits
# reach the birth month. A case number is searched once it has its year and a dash.
ID_PREFIX_MIN = 12
CASE_NUMBER_MIN = 5


def _search_condition(text: str) -> ColumnElement[bool] | None:
    term = "".join(text.split()).upper()
    if not term:
        return None
    if _ID_LIKE.fullmatch(term):
        return or_(*_id_like_conditions(term))
    name = text.strip()
    return _cases_of(
        select(Person.id).where(_prefix(Person.name, name)),
        select(Organisation.id).where(_prefix(Organisation.name, name)),
    )


def _cases_of(person_ids: Select[Any], org_ids: Select[Any]) -> ColumnElement[bool]:
    """Cases of the matching persons or organisations.

    Written as a union of two index lookups: an OR across the two applicant columns makes
    SQLite scan every case instead (organisation_id is NULL for most rows).
    """
    return Case.id.in_(
        union_all(
            select(Case.id).where(Case.person_id.in_(person_ids)),
            select(Case.id).where(Case.organisation_id.in_(org_ids)),
        )
    )


def _id_like_conditions(term: str) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if len(term) == 4:
        conds.append(Case.person_id.in_(select(Person.id).where(Person.id_last4 == term)))
    if len(term) >= ID_PREFIX_MIN:
        conds.append(
            _cases_of(
                select(Person.id).where(_prefix(Person.id_number, term)),
                select(Organisation.id).where(_prefix(Organisation.uscc, term)),
            )
        )
    if ("-" in term and len(term) >= CASE_NUMBER_MIN) or len(term) >= ID_PREFIX_MIN:
        conds.append(_prefix(Case.case_number, term))
    if not conds:
        conds.append(false())  # too short to mean anything yet; keep typing
    return conds


def _filtered(stmt: Select, flt: CaseFilter) -> Select:
    cond = _search_condition(flt.text)
    if cond is not None:
        stmt = stmt.where(cond)
    if flt.statuses:
        stmt = stmt.where(Case.status.in_(flt.statuses))
    if flt.subsidy_id:
        stmt = stmt.where(Case.subsidy_id == flt.subsidy_id)
    if flt.village:
        stmt = stmt.where(
            Case.person_id.in_(select(Person.id).where(Person.registered_village == flt.village))
        )
    return stmt


def count_cases(session: Session, flt: CaseFilter) -> int:
    return session.scalar(_filtered(select(func.count(Case.id)), flt)) or 0


_APPLICANT_NAME = func.coalesce(Person.name, Organisation.name)

_SORT_COLUMNS: dict[SortKey, ColumnElement[Any] | InstrumentedAttribute[Any]] = {
    SortKey.CASE_NUMBER: Case.case_number,
    SortKey.APPLICANT: _APPLICANT_NAME,
    SortKey.APPLICATION_DATE: Case.application_date,
    SortKey.SUBSIDY: Case.subsidy_id,
    SortKey.STATUS: Case.status,
    SortKey.AMOUNT: Case.amount_fen,
}


def fetch_cases(
    session: Session,
    flt: CaseFilter,
    sort: SortKey = SortKey.APPLICATION_DATE,
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
) -> list[CaseRow]:
    """One page of rows, already shaped for display (ID numbers masked)."""
    column = _SORT_COLUMNS[sort]
    order = [column.desc(), Case.id.desc()] if descending else [column.asc(), Case.id.asc()]
    stmt = (
        select(
            Case.id,
            Case.uuid,
            Case.case_number,
            _APPLICANT_NAME,
            Person.id_number,
            Organisation.uscc,
            Person.registered_village,
            Case.catalog_id,
            Case.subsidy_id,
            Case.status,
            Case.application_date,
            Case.amount_fen,
        )
        .select_from(Case)
        .outerjoin(Person, Case.person_id == Person.id)
        .outerjoin(Organisation, Case.organisation_id == Organisation.id)
    )
    stmt = _filtered(stmt, flt).order_by(*order).offset(offset).limit(limit)
    rows = []
    for r in session.execute(stmt):
        key: str = mask_id_number(r[4]) if r[4] else (r[5] or "")
        rows.append(
            CaseRow(
                id=r[0],
                uuid=r[1],
                case_number=r[2],
                applicant_name=r[3] or "",
                applicant_key_masked=key,
                village=r[6] or "",
                catalog_id=r[7],
                subsidy_id=r[8],
                status=r[9],
                application_date=r[10],
                amount_fen=r[11],
            )
        )
    return rows


def villages(session: Session) -> list[str]:
    stmt = select(Person.registered_village).where(Person.registered_village != "").distinct()
    return sorted(session.scalars(stmt))


__all__ = ["CaseFilter", "CaseRow", "SortKey", "count_cases", "fetch_cases", "villages"]
