from __future__ import annotations

from typing import TYPE_CHECKING

from core.applicant_query import PersonRow, count_persons, fetch_persons
from core.db import Database
from ui.paging import PagedRows

if TYPE_CHECKING:
    from core.applicants import OrganisationInput, PersonInput


def person_rows(db: Database, text: str) -> PagedRows[PersonRow]:
    def count() -> int:
        with db.reader() as conn:
            return count_persons(conn, text)

    def fetch(offset: int, limit: int) -> list[PersonRow]:
        with db.reader() as conn:
            return fetch_persons(conn, text, offset, limit)

    return PagedRows(count, fetch)


def save_person(db: Database, person_id: int | None, data: PersonInput, actor: str) -> int:
    """Create or update; returns the person's id. Raises InvalidInput with every field problem."""
    from core.applicants import create_person, update_person

    with db.session() as s, s.begin():
        if person_id is None:
            return create_person(s, data, actor).id
        return update_person(s, person_id, data, actor).id


def load_person(db: Database, person_id: int) -> PersonInput | None:
    from core.applicants import PersonInput
    from core.db.models import Person

    with db.session() as s:
        p = s.get(Person, person_id)
        if p is None:
            return None
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


def save_organisation(db: Database, data: OrganisationInput, actor: str) -> int:
    from core.applicants import create_organisation

    with db.session() as s, s.begin():
        return create_organisation(s, data, actor).id
