from __future__ import annotations

import pytest

from core.applicants import PersonInput, create_person
from core.identity.id_number import check_character
from core.settings import OfficeInput, save_office


def id_number(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.fixture
def office(db):
    with db.session() as s, s.begin():
        return save_office(
            s,
            OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "0917-4212345", "qianyang-2021"),
            "clerk",
        )


@pytest.fixture
def person_id(db) -> int:
    with db.session() as s, s.begin():
        return create_person(
            s,
            PersonInput("王秀兰", id_number("61032819900101124"), categories=["poverty_alleviated"]),
            "clerk",
        ).id


@pytest.fixture(autouse=True)
def _both_backends(backend: str) -> str:
    """These tests run on SQLite and on PostgreSQL (tests/conftest.py)."""
    return backend
