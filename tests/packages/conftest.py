"""A town office and a county, each with its own data directory, database and keys."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.actor import STATION_ROLES, Actor, Station
from core.applicants import PersonInput, create_person
from core.attachments import AttachmentStore
from core.cases.service import CaseDraft, create_case
from core.cases.states import CaseStatus
from core.db import Database, open_database
from core.db.models import Attachment
from core.identity.id_number import check_character
from core.operator import save_station
from core.packages.identity import set_office_code
from core.packages.keys import KeyStore, public_pem
from core.packages.registry import register_office_key
from core.settings import OfficeInput, save_office
from tests.logins import add_account, password_file

CATALOG, SUBSIDY = "deqin-2021", "transport_once"


def id_number(first17: str) -> str:
    return first17 + check_character(first17)


@dataclass
class Site:
    """One installation: a town office or the county."""

    data_dir: Path
    db: Database
    code: str = ""
    office_id: int = 0
    persons: dict[str, int] = field(default_factory=dict)
    # Every role of its station, so that a test does each step of the exchange as one person;
    # the refusals of a missing role are tested with actors of their own.
    actor: Actor = field(default_factory=lambda: Actor("李经办", STATION_ROLES[Station.TOWN], Station.TOWN))
    password_file: Path | None = None

    def cli(self, *argv: str) -> list[str]:
        """The command line as this site's person runs it: logged in with a password file."""
        login = ["--user", self.actor.name, "--password-file", str(self.password_file)]
        return ["--data-dir", str(self.data_dir), *login, *argv]

    @property
    def keys(self) -> KeyStore:
        return KeyStore(self.data_dir)

    def public_key_file(self) -> bytes:
        return public_pem(self.keys.office_key().public_key())

    def add_case(
        self, name: str, first17: str, amount_fen: int = 50000, attachments: tuple[bytes, ...] = (b"scan",),
        year: int = 2024,
    ) -> int:  # fmt: skip
        with self.db.session() as s, s.begin():
            number = id_number(first17)
            if number not in self.persons:
                self.persons[number] = create_person(s, PersonInput(name, number), "clerk").id
            draft = CaseDraft(
                office_id=self.office_id, catalog_id=CATALOG, catalog_version="1.0.0", subsidy_id=SUBSIDY,
                application_date=dt.date(year, 3, 1), person_id=self.persons[number], amount_fen=amount_fen,
                status=CaseStatus.REVIEW_PASSED, case_number=f"{self.code}-{len(self.persons):04d}-{first17[-3:]}",
                facts={"destination": "广东省"},
            )  # fmt: skip
            case = create_case(s, draft, "clerk")
            case.assessment = {
                "decision": "eligible",
                "amount_fen": amount_fen,
                "trace": [{"rule": "r1", "ok": True}],
            }
            for i, data in enumerate(attachments):
                self._attach(s, case.id, data, f"scan{i}.pdf")
            return case.id

    def _attach(self, s: object, case_id: int, data: bytes, filename: str) -> None:
        sha = hashlib.sha256(data).hexdigest()
        path = AttachmentStore(self.data_dir / "attachments").path_for(sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        s.add(  # type: ignore[attr-defined]
            Attachment(
                case_id=case_id, sha256=sha, filename=filename, size=len(data), media_type="application/pdf"
            )
        )


def make_town(root: Path, code: str, town: str) -> Site:
    data_dir = root / code
    db = open_database(data_dir)
    actor = add_account(db, "李经办", *STATION_ROLES[Station.TOWN])  # whom the command line logs in as
    with db.session() as s, s.begin():
        office = save_office(s, OfficeInput("533422", town, f"{town}劳动保障事务所"), "clerk")
        set_office_code(s, code, "clerk")
        office_id = office.id
    return Site(data_dir, db, code, office_id, actor=actor, password_file=password_file(root / f"pw-{code}"))


@pytest.fixture
def town(tmp_path: Path) -> Iterator[Site]:
    site = make_town(tmp_path, "533422101", "升平镇")
    yield site
    site.db.close()


@pytest.fixture
def county(tmp_path: Path, town: Site) -> Iterator[Site]:
    data_dir = tmp_path / "county"
    save_station(data_dir, "county")
    db = open_database(data_dir)
    officer = add_account(db, "王审核", *STATION_ROLES[Station.COUNTY])
    site = Site(data_dir, db, "county", actor=officer, password_file=password_file(tmp_path / "pw-county"))
    with site.db.session() as s, s.begin():
        register_office_key(s, town.code, town.public_key_file(), "county-admin", "升平镇劳动保障事务所")
    town.keys.set_county_public(public_pem(site.keys.county_key().public_key()))
    yield site
    site.db.close()


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def _both_backends(backend: str) -> str:
    """These tests run on SQLite and on PostgreSQL (tests/conftest.py)."""
    return backend
