"""The applicant list's queries: persons searched by name start, ID number start or last four."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.categories import category_label
from core.db.models import Person
from core.identity import mask_id_number

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


def _prefix(column: ColumnElement[Any] | InstrumentedAttribute[Any], text: str) -> ColumnElement[bool]:
    return (column >= text) & (column < text + _RANGE_END)


def _where(stmt: Select[Any], text: str) -> Select[Any]:
    term = "".join(text.split()).upper()
    if not term:
        return stmt
    if _ID_LIKE.fullmatch(term):
        if len(term) == 4:
            return stmt.where(Person.id_last4 == term)
        return stmt.where(_prefix(Person.id_number, term))
    return stmt.where(_prefix(Person.name, text.strip()))


def count_persons(session: Session, text: str = "") -> int:
    return session.scalar(_where(select(func.count(Person.id)), text)) or 0


def fetch_persons(session: Session, text: str = "", offset: int = 0, limit: int = 200) -> list[PersonRow]:
    stmt = _where(select(Person), text).order_by(Person.name, Person.id).offset(offset).limit(limit)
    return [
        PersonRow(
            id=p.id,
            name=p.name,
            id_number_masked=mask_id_number(p.id_number),
            sex=p.sex,
            birth_date=p.birth_date,
            registered_town=p.registered_town,
            registered_village=p.registered_village,
            categories="、".join(category_label(c) for c in p.category_codes),
            phone=p.phone,
        )
        for p in session.scalars(stmt)
    ]
