"""The county's decisions through core/app: the defaults a county officer expects, checked in core."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.app import county as decide
from core.app.batches import export_batch
from core.app.county import Decision, decisions_allowed
from core.errors import InvalidInput
from core.packages.county_query import CountyCaseFilter
from tests.packages.conftest import Site


@pytest.fixture
def imported(town: Site, county: Site, usb: Path) -> dict[str, str]:
    town.add_case("张三", "53342219900101123", 50000)
    town.add_case("李四", "53342219910202123", 30000)
    result = export_batch(town.db, town.actor, folder=usb)
    report = decide.import_package(county.db, county.actor, path=result.path)
    return {c.applicant: c.uuid for c in report.cases}


def row(site: Site, uuid: str):
    return next(r for r in decide.all_county_rows(site.db, filter=CountyCaseFilter()) if r.uuid == uuid)


def test_approve_defaults_to_the_assessed_amount_and_pay_to_the_approved_one(county: Site, imported) -> None:
    uuid = imported["张三"]
    assert decisions_allowed(row(county, uuid)) == {Decision.APPROVE, Decision.REJECT}
    decided = decide.approve(county.db, county.actor, uuid=uuid[:8])
    assert (decided.status, decided.amount_fen) == ("approved", 50000)
    assert decided.sentence.endswith("审核通过，500.00 元。")
    assert decisions_allowed(row(county, uuid)) == {Decision.PAID, Decision.CORRECT}
    paid = decide.mark_paid(county.db, county.actor, uuid=uuid, today=dt.date(2024, 6, 1))
    assert (paid.status, paid.amount_fen) == ("paid", 50000)
    assert row(county, uuid).paid_on == dt.date(2024, 6, 1)


def test_paid_more_than_approved_or_in_the_future_is_refused(county: Site, imported) -> None:
    uuid = imported["李四"]
    decide.approve(county.db, county.actor, uuid=uuid, amount_fen=25000)
    with pytest.raises(InvalidInput) as info:
        decide.mark_paid(county.db, county.actor, uuid=uuid, amount_fen=30000)
    assert info.value.codes == ["COUNTY_PAID_OVER_APPROVED"] and info.value.errors[0].field == "拨付金额"
    with pytest.raises(InvalidInput) as info:
        decide.mark_paid(
            county.db, county.actor, uuid=uuid, paid_on=dt.date(2024, 6, 2), today=dt.date(2024, 6, 1)
        )
    assert info.value.codes == ["COUNTY_PAID_DATE"] and info.value.errors[0].field == "拨付日期"
    with pytest.raises(InvalidInput) as info:  # both at once, each naming its field
        decide.mark_paid(
            county.db,
            county.actor,
            uuid=uuid,
            amount_fen=0,
            paid_on=dt.date(2024, 6, 2),
            today=dt.date(2024, 6, 1),
        )
    assert info.value.codes == ["COUNTY_PAID_AMOUNT", "COUNTY_PAID_DATE"]
    assert row(county, uuid).status == "approved"  # nothing half-changed


def test_the_decisions_name_the_officer(county: Site, imported) -> None:
    from sqlalchemy import select

    from core.db.models import AuditEvent

    decide.reject(county.db, county.actor, uuid=imported["张三"], reason="外出务工时间不足3个月")
    with county.db.session() as s:
        actors = set(s.scalars(select(AuditEvent.actor).where(AuditEvent.action == "decide")))
    assert actors == {"王审核"}
