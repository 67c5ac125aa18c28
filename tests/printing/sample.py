"""Cases for the printing tests and the render script, written with the ORM into a real database.

Uses the real catalog qianyang-2021 (一次性求职补贴 job_seeking_once, 跨省就业一次性交通补助
transport_once).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.db.models import Case, CaseMaterial, Office, Organisation, Person
from core.identity.id_number import check_character
from core.policy.service import get_catalog

CATALOG = "qianyang-2021"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林"
GIVEN = "小国建秀丽军华明红梅兰强伟芳玉海燕平春"
VILLAGES = ("东街村", "西关村", "南寨村", "冯坊村", "宋家塬村", "闫家村", "高崖镇庄村")


def id_number(seq: int, birth: dt.date = dt.date(1988, 5, 17), male: bool = True) -> str:
    serial = (seq * 2 + (1 if male else 0)) % 1000
    first17 = f"610328{birth:%Y%m%d}{serial:03d}"
    return first17 + check_character(first17)


def add_office(session: Session) -> Office:
    office = Office(
        county_code="610328", town="城关镇", name="千阳县城关镇劳动保障事务所", phone="0917-4211234"
    )
    office.catalog_id = CATALOG
    session.add(office)
    session.flush()
    return office


def add_person(
    session: Session, seq: int, name: str = "王小梅", male: bool = False, village: str = "东街村"
) -> Person:
    number = id_number(seq, dt.date(1980 + seq % 20, 1 + seq % 12, 1 + seq % 28), male)
    person = Person(
        name=name, id_number=number, id_last4=number[-4:], sex="男" if male else "女",
        birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        registered_town="城关镇", registered_village=village, phone="13985901234",
        account_kind="social_security_card", account_number="6217995230012345678",
    )  # fmt: skip
    session.add(person)
    session.flush()
    return person


@dataclass(frozen=True)
class Checklist:
    received: tuple[str, ...] = ()
    originals_seen: tuple[str, ...] = ()


def add_case(
    session: Session,
    office: Office,
    person: Person | None,
    subsidy_id: str,
    facts: dict[str, object],
    amount_fen: int | None,
    number: str | None,
    status: str = "accepted",
    checklist: Checklist = Checklist(),
    materials_due_on: dt.date | None = None,
    organisation: Organisation | None = None,
) -> Case:
    catalog = get_catalog(CATALOG)
    applied = dt.date(2024, 3, 5)
    case = Case(
        office_id=office.id, person_id=person.id if person else None,
        organisation_id=organisation.id if organisation else None, catalog_id=CATALOG,
        catalog_version=catalog.version, catalog_hash=catalog.content_hash, subsidy_id=subsidy_id,
        status=status, application_date=applied, accepted_on=applied if number else None,
        case_number=number, facts=facts, amount_fen=amount_fen, materials_due_on=materials_due_on,
        created_by="张会计",
    )  # fmt: skip
    session.add(case)
    session.flush()
    for mid in checklist.received:
        seen = mid in checklist.originals_seen
        session.add(
            CaseMaterial(case_id=case.id, material_id=mid, received=True, original_seen=seen, copies_kept=1)
        )
    session.flush()
    return case


def transport_facts(cost_fen: int, employed: dt.date = dt.date(2024, 2, 20)) -> dict[str, object]:
    return {"employment_date": employed.isoformat(), "cross_province": True, "transport_cost_fen": cost_fen}


JOB_SEEKING_FACTS = {
    "employment_date": "2024-02-10",
    "is_transfer_employment": True,
    "contract_months": 12,
    "applicant_group": "labourer",
}


@dataclass(frozen=True)
class SampleCases:
    receipt: int  # accepted transport_once case, everything received
    notice: int  # job_seeking_once pending materials: employment proof and bank account missing
    form: int  # job_seeking_once accepted, some materials ticked


def add_samples(session: Session, office: Office) -> SampleCases:
    wang = add_person(session, 1, "王小梅", male=False)
    li = add_person(session, 2, "李国强", male=True, village="西关村")
    receipt = add_case(
        session, office, wang, "transport_once", transport_facts(43650), 43650, "610328-2024-0007",
        checklist=Checklist(("labour_contract", "transport_receipts", "id_card_copy", "bank_card_copy"),
                            ("labour_contract",)),
    )  # fmt: skip
    notice = add_case(
        session, office, li, "job_seeking_once", JOB_SEEKING_FACTS, 50000, None, status="pending_materials",
        checklist=Checklist(("id_card_copy",)),
    )  # fmt: skip
    form = add_case(
        session, office, li, "job_seeking_once", JOB_SEEKING_FACTS, 50000, "610328-2024-0008",
        checklist=Checklist(("labour_contract", "id_card_copy", "social_security_card_copy"), ("labour_contract",)),
    )  # fmt: skip
    return SampleCases(receipt.id, notice.id, form.id)


def add_roster_cases(session: Session, office: Office, count: int, seed: int = 5) -> list[int]:
    """`count` accepted transport_once cases with varied amounts (fen), for roster tests."""
    rng = random.Random(seed)
    ids = []
    for i in range(count):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        person = add_person(session, 100 + i, name, male=rng.random() < 0.6, village=rng.choice(VILLAGES))
        cost = rng.randrange(8000, 90000)
        amount = min(cost, 50000)
        employed = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(300))
        case = add_case(
            session, office, person, "transport_once", transport_facts(cost, employed), amount,
            f"610328-2024-{i + 101:04d}",
        )  # fmt: skip
        ids.append(case.id)
    return ids
