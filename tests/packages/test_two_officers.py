"""Two officers deciding the same case from two PCs on one database: the second is told who
changed it and when, and nothing is overwritten (core/cases/versions.py). Both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.actor import Actor, Role, Station
from core.app import county as ops
from core.app.batches import export_batch
from core.app.review import review_case
from core.cases.versions import CHANGED_MEANWHILE, ChangedMeanwhile
from core.db import open_database
from core.packages.county_query import CountyCaseFilter
from core.packages.decision_rules import Approval, Rejection
from tests.packages.conftest import Site

OTHER = Actor("陈复核", (Role.REVIEWER, Role.FINANCE), Station.COUNTY)  # the other PC's officer


@pytest.fixture
def imported(town: Site, county: Site, usb: Path) -> str:
    town.add_case("张三", "53342219900101123", 50000)
    result = export_batch(town.db, town.actor, folder=usb)
    return ops.import_package(county.db, county.actor, path=result.path).cases[0].uuid


def _row(site_db, uuid: str):
    return next(r for r in ops.all_county_rows(site_db, filter=CountyCaseFilter()) if r.uuid == uuid)


def test_the_second_decider_is_told_who_and_when_and_nothing_is_overwritten(
    county: Site, imported: str
) -> None:
    second_pc = open_database(county.data_dir)  # another PC on the same database
    try:
        mine, theirs = _row(county.db, imported), _row(second_pc, imported)
        assert mine.version == theirs.version
        ops.decide(
            county.db, county.actor, uuid=imported, decision=Approval(None, ""), seen_version=mine.version
        )
        with pytest.raises(ChangedMeanwhile) as info:
            ops.decide(
                second_pc, OTHER, uuid=imported, decision=Rejection("材料不全"), seen_version=theirs.version
            )
        assert info.value.code == CHANGED_MEANWHILE
        assert "王审核" in info.value.message_zh and "修改" in info.value.message_zh
        now = _row(second_pc, imported)
        assert (now.status, now.reason) == ("approved", "")
        assert now.version == mine.version + 1
    finally:
        second_pc.close()


def test_a_decision_on_what_the_screen_shows_now_goes_through(county: Site, imported: str) -> None:
    ops.approve(county.db, county.actor, uuid=imported)
    fresh = _row(county.db, imported)
    paid = ops.mark_paid(county.db, OTHER, uuid=imported, seen_version=fresh.version)
    assert paid.status == "paid"


def test_a_town_review_from_a_stale_screen_is_refused(town: Site) -> None:
    from core.app.cases import case_view
    from core.app.corrections import withdraw_case
    from core.cases.states import CaseStatus
    from core.db.models import Case

    case_id = town.add_case("李四", "53342219910202123", 30000)
    with town.db.session() as s, s.begin():
        s.get(Case, case_id).status = CaseStatus.ACCEPTED.value
    head = Actor("赵所长", Role.HEAD, Station.TOWN)
    seen = case_view(town.db, head, case_id=case_id).detail.version
    withdraw_case(town.db, town.actor, case_id=case_id, reason="申请人主动撤回")
    with pytest.raises(ChangedMeanwhile) as info:
        review_case(town.db, head, case_id=case_id, passed=True, note="", today=dt.date(2024, 3, 2),
                    seen_version=seen)  # fmt: skip
    assert "李经办" in info.value.message_zh
    with town.db.session() as s:
        assert s.get(Case, case_id).status == CaseStatus.WITHDRAWN.value
