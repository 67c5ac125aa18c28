"""Applicants, cases and the audit trail, stored in a real SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from core import audit
from core.applicant_query import count_persons, fetch_persons
from core.applicants import (
    InvalidInput,
    OrganisationInput,
    PersonInput,
    create_organisation,
    create_person,
    update_person,
)
from core.cases.query import CaseFilter, SortKey, count_cases, fetch_cases
from core.cases.service import CaseDraft, create_case, update_case
from core.cases.states import CaseStatus
from core.db.models import AuditEvent, Case, Person
from core.errors import SubsidyDeskError
from core.settings import OfficeInput, save_office


def _id(first17: str) -> str:
    from core.identity.id_number import check_character

    return first17 + check_character(first17)


@pytest.fixture
def office_id(db) -> int:
    with db.session() as s, s.begin():
        return save_office(
            s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "0917-4212345"), "clerk"
        ).id


def _person(db, name: str = "张三", number: str | None = None, **kw) -> int:
    with db.session() as s, s.begin():
        return create_person(s, PersonInput(name, number or _id("61032819900101123"), **kw), "clerk").id


def test_person_round_trip_derives_birth_date_and_sex(db) -> None:
    pid = _person(
        db,
        categories=["poverty_alleviated", "monitored"],
        registered_village="柿沟村",
        phone="13912345678",
        account_kind="bank_card",
        account_number="4111111111111111",
    )
    with db.session() as s:
        p = s.get(Person, pid)
        assert p is not None
        assert p.birth_date == dt.date(1990, 1, 1)
        assert p.sex == "男"
        assert p.category_codes == ["monitored", "poverty_alleviated"]
        assert p.id_last4 == p.id_number[-4:]


def test_every_bad_field_is_reported_at_once_and_nothing_is_saved(db) -> None:
    bad = PersonInput(
        "", "110105194912310021", phone="123", account_kind="bank_card", account_number="4111111111111112"
    )
    with db.session() as s, pytest.raises(InvalidInput) as info, s.begin():
        create_person(s, bad, "clerk")
    assert set(info.value.codes) == {"NAME_EMPTY", "ID_CHECKSUM", "PHONE_FORMAT", "CARD_CHECKSUM"}
    with db.reader() as conn:
        assert count_persons(conn) == 0
    with db.session() as s:
        assert s.scalar(select(AuditEvent.id)) is None


def test_same_id_number_cannot_be_registered_twice(db) -> None:
    _person(db)
    with pytest.raises(InvalidInput) as info:
        _person(db, name="张叁")
    assert info.value.codes == ["ID_DUPLICATE"]
    assert "张三" in info.value.errors[0].message_zh


def test_update_is_audited_with_old_and_new_values(db) -> None:
    pid = _person(db, registered_village="柿沟村")
    with db.session() as s, s.begin():
        update_person(
            s,
            pid,
            PersonInput(
                "张三", _id("61032819900101123"), registered_village="南沟村", categories=["relocated"]
            ),
            "clerk",
        )
    with db.session() as s:
        events = audit.history(s, "person", _id("61032819900101123"))
        assert [e.action for e in events] == ["create", "update"]
        assert events[1].changes["registered_village"] == ["柿沟村", "南沟村"]
        assert events[1].changes["categories"] == [[], ["relocated"]]
        assert audit.verify_chain(s) is None


def test_audit_rows_cannot_be_changed_or_deleted(db) -> None:
    _person(db)
    with db.engine.connect() as conn:
        with pytest.raises(Exception, match="append-only"):
            conn.execute(text("UPDATE audit_event SET actor = 'x'"))
        conn.rollback()
        with pytest.raises(Exception, match="append-only"):
            conn.execute(text("DELETE FROM audit_event"))


def test_broken_chain_is_found(db) -> None:
    _person(db)
    _person(db, "李四", _id("61032819850615002"))
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        conn.exec_driver_sql("UPDATE audit_event SET actor = 'mallory' WHERE id = 1")
    with db.session() as s:
        assert audit.verify_chain(s) == 1


def test_organisation_needs_a_valid_credit_code(db) -> None:
    with db.session() as s, pytest.raises(InvalidInput) as info, s.begin():
        create_organisation(s, OrganisationInput("千阳县绣娘社区工厂", "91350100M000100Y44"), "clerk")
    assert info.value.codes == ["USCC_CHECKSUM"]
    with db.session() as s, s.begin():
        org = create_organisation(
            s,
            OrganisationInput("千阳县绣娘社区工厂", "91350100M000100Y43", org_type="community_factory"),
            "clerk",
        )
        assert org.id


def _case(db, office_id: int, person_id: int, **kw) -> int:
    fields = {
        "office_id": office_id,
        "catalog_id": "qianyang-2021",
        "catalog_version": "1.0.0",
        "subsidy_id": "job_seeking_once",
        "application_date": dt.date(2022, 3, 1),
        "person_id": person_id,
    } | kw
    with db.session() as s, s.begin():
        return create_case(s, CaseDraft(**fields), "clerk").id


def test_case_round_trip_keeps_uuid_money_and_dates(db, office_id: int) -> None:
    pid = _person(db)
    cid = _case(
        db,
        office_id,
        pid,
        amount_fen=50000,
        facts={"employment_date": "2022-01-10"},
        event_date=dt.date(2022, 1, 10),
    )
    with db.session() as s, s.begin():
        case = s.get(Case, cid)
        assert case is not None
        uuid = case.uuid
        assert case.amount_fen == 50000 and isinstance(case.amount_fen, int)
        assert case.event_date == dt.date(2022, 1, 10)
        update_case(s, cid, {"status": CaseStatus.ACCEPTED.value, "case_number": "2022-000001"}, "clerk")
    with db.session() as s:
        case = s.get(Case, cid)
        assert case is not None and case.uuid == uuid
        events = audit.history(s, "case", uuid)
        assert events[-1].changes["status"] == ["draft", "accepted"]


def test_illegal_status_move_is_refused(db, office_id: int) -> None:
    cid = _case(db, office_id, _person(db))
    with db.session() as s, pytest.raises(SubsidyDeskError) as info, s.begin():
        update_case(s, cid, {"status": CaseStatus.PAID.value}, "clerk")
    assert info.value.code == "CASE_BAD_TRANSITION"


def test_case_number_is_unique_within_the_office(db, office_id: int) -> None:
    pid = _person(db)
    _case(db, office_id, pid, case_number="2022-000001")
    with pytest.raises(IntegrityError):
        _case(db, office_id, pid, case_number="2022-000001")


def test_negative_amount_is_refused_by_the_database(db, office_id: int) -> None:
    with pytest.raises(IntegrityError):
        _case(db, office_id, _person(db), amount_fen=-1)


def test_case_search_by_name_id_last_four_and_case_number(db, office_id: int) -> None:
    zhang = _person(db, registered_village="柿沟村")
    li = _person(db, "李四", _id("61032819850615002"), registered_village="南沟村")
    _case(db, office_id, zhang, case_number="2022-000001", amount_fen=50000)
    _case(
        db,
        office_id,
        li,
        case_number="2022-000002",
        subsidy_id="transport_once",
        application_date=dt.date(2022, 4, 1),
    )
    with db.reader() as s:
        assert [r.applicant_name for r in fetch_cases(s, CaseFilter("张"))] == ["张三"]
        last4 = _id("61032819850615002")[-4:]
        assert [r.applicant_name for r in fetch_cases(s, CaseFilter(last4))] == ["李四"]
        assert [r.case_number for r in fetch_cases(s, CaseFilter("2022-000002"))] == ["2022-000002"]
        assert count_cases(s, CaseFilter(village="柿沟村")) == 1
        assert count_cases(s, CaseFilter(subsidy_id="transport_once")) == 1
        assert count_cases(s, CaseFilter(statuses=("draft",))) == 2
        rows = fetch_cases(s, CaseFilter(), SortKey.APPLICATION_DATE, descending=False)
        assert [r.applicant_name for r in rows] == ["张三", "李四"]
        assert rows[0].applicant_key_masked.count("*") == 8


def test_person_search_by_id_prefix(db) -> None:
    _person(db)
    with db.reader() as s:
        assert [p.name for p in fetch_persons(s, "61032819900101")] == ["张三"]
        assert [p.name for p in fetch_persons(s, _id("61032819900101123")[-4:])] == ["张三"]
        assert fetch_persons(s, "王") == []


def test_foreign_keys_are_enforced(db) -> None:
    with db.engine.connect() as conn, pytest.raises((IntegrityError, OperationalError)):
        conn.execute(text("INSERT INTO person_category (person_id, category) VALUES (999, 'x')"))
