"""Applicants: finding, registering and correcting persons and organisations."""

from __future__ import annotations

from dataclasses import dataclass

from core.actor import Actor, Role
from core.app.base import reading, unit_of_work
from core.app.paging import PagedRows
from core.applicant_query import (
    OrganisationListRow,
    PersonRow,
    count_organisations,
    count_persons,
    fetch_organisations,
    fetch_persons,
)
from core.applicant_types import OrganisationInput, PersonInput
from core.db import Database
from core.errors import NotFoundError

SEARCH_LIMIT = 50  # matches offered while a clerk types a name in the intake wizard


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str
    uscc: str


def person_rows(db: Database, *, text: str) -> PagedRows[PersonRow]:
    """The applicant list for a search, read page by page."""

    def count() -> int:
        with db.reader() as conn:
            return count_persons(conn, text)

    def fetch(offset: int, limit: int) -> list[PersonRow]:
        with db.reader() as conn:
            return fetch_persons(conn, text, offset, limit)

    return PagedRows(count, fetch)


def organisation_rows(db: Database, *, text: str) -> PagedRows[OrganisationListRow]:
    """The organisation list for a search (any part of the name, or the start of the credit code)."""

    def count() -> int:
        with db.reader() as conn:
            return count_organisations(conn, text)

    def fetch(offset: int, limit: int) -> list[OrganisationListRow]:
        with db.reader() as conn:
            return fetch_organisations(conn, text, offset, limit)

    return PagedRows(count, fetch)


def find_persons(db: Database, *, text: str) -> list[PersonRow]:
    with db.reader() as conn:
        return fetch_persons(conn, text, 0, SEARCH_LIMIT)


def find_organisations(db: Database, *, text: str) -> list[OrganisationRow]:
    """By the start of the name anywhere in it, or the start of the credit code."""
    from sqlalchemy import select

    from core.db.models import Organisation

    stmt = select(Organisation).order_by(Organisation.name).limit(SEARCH_LIMIT)
    term = text.strip()
    if term:
        stmt = stmt.where(Organisation.name.contains(term) | Organisation.uscc.startswith(term.upper()))
    with reading(db) as s:
        return [OrganisationRow(o.id, o.name, o.uscc) for o in s.scalars(stmt)]


def person_town(db: Database, *, person_id: int) -> str:
    """The town of the person's household registration (户籍所在镇)."""
    with db.reader() as conn:
        row = conn.execute("SELECT registered_town FROM person WHERE id = ?", [person_id]).fetchone()
    return str(row[0]) if row else ""


def load_person(db: Database, *, person_id: int) -> PersonInput:
    from core.db.models import Person

    with reading(db) as s:
        p = s.get(Person, person_id)
        if p is None:
            raise NotFoundError("PERSON_NOT_FOUND", "找不到该人员，可能已被合并或删除，请刷新列表。")
        return PersonInput(
            name=p.name,
            id_number=p.id_number,
            registered_town=p.registered_town,
            registered_village=p.registered_village,
            categories=p.category_codes,
            phone=p.phone,
            account_kind=p.account_kind,
            account_number=p.account_number,
        )


def save_person(db: Database, actor: Actor, *, person_id: int | None, data: PersonInput) -> int:
    """Register (person_id None) or correct a person; InvalidInput lists every field to fix."""
    from core.applicants import create_person, update_person

    actor.require_role(Role.CLERK, "登记或更正人员")
    with unit_of_work(db) as s:
        if person_id is None:
            return create_person(s, data, actor.audit_name).id
        return update_person(s, person_id, data, actor.audit_name).id


def load_organisation(db: Database, *, organisation_id: int) -> OrganisationInput:
    from core.db.models import Organisation

    with reading(db) as s:
        o = s.get(Organisation, organisation_id)
        if o is None:
            raise NotFoundError("ORGANISATION_NOT_FOUND", "找不到该单位，可能已被删除，请刷新列表。")
        return OrganisationInput(
            name=o.name,
            uscc=o.uscc,
            org_type=o.org_type,
            legal_representative=o.legal_representative,
            town=o.town,
            address=o.address,
            phone=o.phone,
            bank_name=o.bank_name,
            bank_account=o.bank_account,
        )


def save_organisation(
    db: Database, actor: Actor, *, data: OrganisationInput, organisation_id: int | None = None
) -> int:
    """Register (organisation_id None) or correct an organisation; InvalidInput lists every field to fix."""
    from core.applicants import create_organisation, update_organisation

    actor.require_role(Role.CLERK, "登记或更正单位")
    with unit_of_work(db) as s:
        if organisation_id is None:
            return create_organisation(s, data, actor.audit_name).id
        return update_organisation(s, organisation_id, data, actor.audit_name).id
