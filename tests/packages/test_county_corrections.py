"""The county's decision rules in core: approving against the assessment, the common rejection
reasons, payment checked by field, and corrections until the result package is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from core.app import county as ops
from core.app.batches import export_batch
from core.app.county import Decision, decisions_allowed
from core.db.models import AuditEvent
from core.errors import InvalidInput, SubsidyDeskError
from core.packages.county_query import CountyCaseFilter
from core.packages.decision_rules import (
    OTHER_REASON,
    REJECTION_REASONS,
    Approval,
    Correction,
    Payment,
    Rejection,
    Undo,
    compose_reason,
    split_reason,
)
from core.packages.registry import register_office_key
from tests.packages.conftest import Site, make_town

TODAY = dt.date(2024, 6, 1)


@pytest.fixture
def imported(town: Site, county: Site, usb: Path) -> dict[str, str]:
    town.add_case("张三", "53342219900101123", 50000)
    town.add_case("李四", "53342219910202123", 30000)
    report = ops.import_package(
        county.db, county.actor, path=export_batch(town.db, town.actor, folder=usb).path
    )
    return {c.applicant: c.uuid for c in report.cases}


def row(site: Site, uuid: str):
    return ops.county_row(site.db, uuid=uuid)


def events(site: Site, uuid: str) -> list[AuditEvent]:
    with site.db.session() as s:
        return list(
            s.scalars(select(AuditEvent).where(AuditEvent.entity_key == uuid).order_by(AuditEvent.id))
        )


def export_results(county: Site, usb: Path) -> int:
    folder = usb / f"results{len(list(usb.iterdir()))}"
    folder.mkdir()
    return ops.export_results(county.db, county.actor, office_code="533422101", folder=folder).number


def test_more_than_assessed_needs_a_note_for_the_town(county: Site, imported) -> None:
    uuid = imported["张三"]
    with pytest.raises(InvalidInput) as info:
        ops.approve(county.db, county.actor, uuid=uuid, amount_fen=60000)
    assert info.value.codes == ["COUNTY_APPROVED_OVER_ASSESSED"] and info.value.errors[0].field == "核定说明"
    assert "500.00" in info.value.errors[0].message_zh and row(county, uuid).status == "received"
    ops.approve(county.db, county.actor, uuid=uuid, amount_fen=60000, note="交通票据复核为600元")
    assert (row(county, uuid).approved_fen, row(county, uuid).reason) == (60000, "交通票据复核为600元")
    ops.approve(county.db, county.actor, uuid=imported["李四"], amount_fen=20000)  # less needs no note
    assert row(county, imported["李四"]).approved_fen == 20000


def test_the_common_rejection_reasons() -> None:
    assert REJECTION_REASONS == (
        "材料不全",
        "不符合补贴对象条件",
        "超过申请时限",
        "重复申报",
        "已享受同类补贴",
    )
    assert compose_reason("材料不全", " 缺劳动合同 ") == "材料不全：缺劳动合同"
    assert compose_reason("超过申请时限", "") == "超过申请时限"
    assert compose_reason(OTHER_REASON, "户籍不在本县") == "户籍不在本县"
    assert compose_reason(OTHER_REASON, "  ") == compose_reason("", "") == ""
    assert split_reason("材料不全：缺劳动合同") == ("材料不全", "缺劳动合同")
    assert split_reason("户籍不在本县") == (OTHER_REASON, "户籍不在本县")
    assert split_reason("重复申报") == ("重复申报", "")


def test_propose_checks_every_field_and_words_the_confirmation(county: Site, imported) -> None:
    uuid = imported["张三"]
    proposal = ops.propose(county.db, uuid=uuid, decision=Approval())
    assert proposal.problems == ()
    assert proposal.question.startswith(
        "确认将升平镇劳动保障事务所（533422101）的案件 533422101-0001-123（张三"
    )
    assert proposal.question.endswith("审核通过，核定金额 500.00 元？")
    rejection = ops.propose(county.db, uuid=uuid, decision=Rejection(""))
    assert [p.field for p in rejection.problems] == ["不予通过理由"] and rejection.question == ""
    ops.approve(county.db, county.actor, uuid=uuid)
    paid = ops.propose(county.db, uuid=uuid, decision=Payment(0, dt.date(2099, 1, 1)))
    assert [p.code for p in paid.problems] == ["COUNTY_PAID_AMOUNT", "COUNTY_PAID_DATE"]
    with pytest.raises(SubsidyDeskError) as info:  # the state, not a field: refused outright
        ops.propose(county.db, uuid=uuid, decision=Approval())
    assert info.value.code == "COUNTY_BAD_DECISION"
    assert row(county, uuid).status == "approved"  # proposing changes nothing


def test_a_correction_before_the_result_package_is_audited_with_old_new_and_reason(
    county: Site, imported
) -> None:
    uuid = imported["张三"]
    ops.approve(county.db, county.actor, uuid=uuid)
    assert Decision.CORRECT in decisions_allowed(row(county, uuid))
    with pytest.raises(InvalidInput) as info:
        ops.correct(county.db, county.actor, uuid=uuid, correction=Correction(Approval(45000), " "))
    assert info.value.codes == ["COUNTY_CORRECTION_REASON"] and row(county, uuid).approved_fen == 50000
    question = ops.propose(
        county.db, uuid=uuid, decision=Correction(Approval(45000), "票据金额录入有误")
    ).question
    assert "由“审核通过，核定金额 500.00 元”更正为“审核通过，核定金额 450.00 元”" in question
    decided = ops.correct(
        county.db, county.actor, uuid=uuid, correction=Correction(Approval(45000), "票据金额录入有误")
    )
    assert (decided.status, decided.amount_fen) == ("approved", 45000)
    last = events(county, uuid)[-1]
    assert (last.action, last.actor) == ("correct", "王审核")
    assert last.changes["approved_fen"] == [50000, 45000]
    assert last.changes["correction_reason"] == [None, "票据金额录入有误"]
    lines = [h.what for h in ops.case_view(county.db, uuid=uuid).county_history]
    assert lines[-1] == "更正决定：核定金额：500.00 元 → 450.00 元；更正理由：票据金额录入有误"
    with pytest.raises(SubsidyDeskError) as same:
        ops.correct(county.db, county.actor, uuid=uuid, correction=Correction(Approval(45000), "再改一次"))
    assert same.value.code == "COUNTY_CORRECTION_SAME"


def test_a_decision_in_a_written_result_package_cannot_be_corrected(
    county: Site, imported, usb: Path
) -> None:
    uuid = imported["张三"]
    ops.approve(county.db, county.actor, uuid=uuid)
    assert export_results(county, usb) == 1
    assert row(county, uuid).result_number == 1
    assert Decision.CORRECT not in decisions_allowed(row(county, uuid))
    with pytest.raises(SubsidyDeskError) as info:
        ops.correct(
            county.db, county.actor, uuid=uuid, correction=Correction(Rejection("材料不全"), "看错了")
        )
    assert info.value.code == "COUNTY_CORRECTION_EXPORTED" and "第1号结果包" in info.value.message_zh
    assert row(county, uuid).status == "approved"
    told = {i.label: i.value for i in ops.case_view(county.db, uuid=uuid).decision}
    assert told["结果包"] == "已随第1号结果包告知站所，不能再更正"
    # Paying is a new decision, not yet told: it can be corrected, or taken back to the approval.
    ops.mark_paid(county.db, county.actor, uuid=uuid, today=TODAY)
    assert row(county, uuid).result_number is None
    correction = Correction(Payment(40000, dt.date(2024, 5, 31)), "实际拨付400元")
    ops.correct(county.db, county.actor, uuid=uuid, correction=correction, today=TODAY)
    assert (row(county, uuid).paid_fen, row(county, uuid).paid_on) == (40000, dt.date(2024, 5, 31))
    ops.correct(county.db, county.actor, uuid=uuid, correction=Correction(Undo(), "尚未到账"), today=TODAY)
    back = row(county, uuid)
    assert (back.status, back.approved_fen, back.paid_fen, back.paid_on) == ("approved", 50000, None, None)
    assert back.result_number == 1  # the approval is still the one the town was told: not correctable
    assert Decision.CORRECT not in decisions_allowed(back)
    ops.mark_paid(county.db, county.actor, uuid=uuid, today=TODAY)
    assert export_results(county, usb) == 2
    assert row(county, uuid).result_number == 2  # the payment, told in the second package
    with pytest.raises(SubsidyDeskError) as info:
        ops.correct(county.db, county.actor, uuid=uuid, correction=Correction(Undo(), "未到账"), today=TODAY)
    assert info.value.code == "COUNTY_CORRECTION_EXPORTED" and "第2号结果包" in info.value.message_zh


def test_a_decision_can_be_taken_back_to_the_queue_and_decided_afresh(county: Site, imported) -> None:
    uuid = imported["李四"]
    ops.reject(county.db, county.actor, uuid=uuid, reason="材料不全")
    ops.correct(county.db, county.actor, uuid=uuid, correction=Correction(Undo(), "选错了案件"))
    back = row(county, uuid)
    assert (back.status, back.reason, back.approved_fen) == ("received", "", None)
    queue = ops.all_county_rows(county.db, filter=CountyCaseFilter(status="received"))
    assert uuid in {r.uuid for r in queue} and ops.queue_count(county.db) == 2
    ops.approve(county.db, county.actor, uuid=uuid)
    ops.correct(
        county.db, county.actor, uuid=uuid, correction=Correction(Rejection("超过申请时限"), "核对日期后")
    )
    assert (row(county, uuid).status, row(county, uuid).reason, row(county, uuid).approved_fen) == (
        "rejected", "超过申请时限", None)  # fmt: skip
    with pytest.raises(SubsidyDeskError) as info:  # a payment is no correction of a rejection
        ops.correct(county.db, county.actor, uuid=uuid, correction=Correction(Payment(), "误操作"))
    assert info.value.code == "COUNTY_CORRECTION_NOT_ALLOWED"


def test_a_duplicate_rejected_in_favour_of_the_other_is_not_approved_by_a_correction(
    tmp_path: Path, town: Site, county: Site, usb: Path
) -> None:
    other = make_town(tmp_path, "533422102", "奔子栏镇")
    try:
        with county.db.session() as s, s.begin():
            register_office_key(
                s, other.code, other.public_key_file(), "county-admin", "奔子栏镇劳动保障事务所"
            )
        uuids = []
        for site in (town, other):
            site.add_case("张三", "53342219900101123")
            path = export_batch(site.db, site.actor, folder=usb).path
            uuids.append(ops.import_package(county.db, county.actor, path=path).cases[0].uuid)
    finally:
        other.db.close()
    kept, dropped = uuids
    ops.keep_case(county.db, county.actor, uuid=kept, reason="系同一人，保留升平镇一件")
    ops.approve(county.db, county.actor, uuid=kept)
    assert row(county, dropped).status == "rejected"
    with pytest.raises(SubsidyDeskError) as info:
        ops.correct(county.db, county.actor, uuid=dropped, correction=Correction(Approval(), "误判为重复"))
    assert info.value.code == "COUNTY_CORRECTION_DUPLICATE" and "533422101" in info.value.message_zh
    assert row(county, dropped).status == "rejected"


def test_the_town_reads_the_corrected_decision(town: Site, county: Site, imported, usb: Path) -> None:
    from core.app.batches import import_results

    uuid = imported["张三"]
    ops.approve(county.db, county.actor, uuid=uuid, amount_fen=60000, note="复核票据")
    ops.correct(
        county.db, county.actor, uuid=uuid, correction=Correction(Approval(55000, "复核票据"), "按票据核定")
    )
    folder = usb / "out"
    folder.mkdir()
    path = ops.export_results(county.db, county.actor, office_code="533422101", folder=folder).path
    result = import_results(town.db, town.actor, path=path)
    change = next(c for c in result.changes if c.applicant == "张三")
    assert change.outcome == "县局审核通过" and "复核票据" in change.detail
