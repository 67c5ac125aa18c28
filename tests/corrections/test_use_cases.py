"""Withdrawing a case, removing a scan and reverting the town review, through the use cases:
the state table says what is allowed, the use cases refuse the rest (and who may not), every
correction needs a reason and leaves one audit event, and nothing leaves the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core import audit
from core.actor import Actor, Station
from core.app import cases, corrections, intake, review
from core.attachments import AttachmentStore
from core.cases.states import ACTIONS, EDITABLE, TRANSITIONS, CaseAction, CaseStatus, allows
from core.db.models import Attachment, AuditEvent, Case
from core.errors import InvalidInput, SubsidyDeskError
from tests.corrections.conftest import CLERK, HEAD, TODAY, Town

WITHDRAWABLE = {
    CaseStatus.DRAFT,
    CaseStatus.PENDING_MATERIALS,
    CaseStatus.ACCEPTED,
    CaseStatus.REVIEW_FAILED,
}


def status(town: Town, case_id: int) -> str:
    with town.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        return case.status


def events(town: Town, case_id: int) -> list[AuditEvent]:
    with town.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        found = audit.history(s, "case", case.uuid)
        s.expunge_all()
        return found


def audit_count(town: Town) -> int:
    with town.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


# ------------------------------------------------------------------ the state table


def test_the_table_allows_each_correction_where_its_move_is_allowed() -> None:
    assert {s for s, acts in ACTIONS.items() if CaseAction.WITHDRAW in acts} == WITHDRAWABLE
    assert {s for s, acts in ACTIONS.items() if CaseAction.REVERT_REVIEW in acts} == {
        CaseStatus.REVIEW_PASSED,
        CaseStatus.REVIEW_FAILED,
    }
    # A scan can be removed wherever one can be attached: before acceptance and while correcting.
    assert {s for s, acts in ACTIONS.items() if CaseAction.REMOVE_SCAN in acts} == EDITABLE
    for state, acts in ACTIONS.items():
        if CaseAction.WITHDRAW in acts:
            assert CaseStatus.WITHDRAWN in TRANSITIONS[state]
        if CaseAction.REVERT_REVIEW in acts:
            assert CaseStatus.ACCEPTED in TRANSITIONS[state]
    assert ACTIONS[CaseStatus.WITHDRAWN] == {CaseAction.PRINT_FORM, CaseAction.PRINT_REFUSAL}  # read-only
    assert CaseStatus.WITHDRAWN not in EDITABLE and not TRANSITIONS[CaseStatus.WITHDRAWN]
    assert not allows(CaseStatus.EXPORTED, CaseAction.REVERT_REVIEW)
    assert allows(CaseStatus.REVIEW_FAILED, CaseAction.PRINT_REVIEW_FAILED)


def test_only_the_office_head_is_offered_the_revert() -> None:
    assert CaseAction.REVERT_REVIEW in cases.actions_for(CaseStatus.REVIEW_PASSED, HEAD)
    assert CaseAction.REVERT_REVIEW not in cases.actions_for(CaseStatus.REVIEW_PASSED, CLERK)
    assert CaseAction.WITHDRAW in cases.actions_for(CaseStatus.DRAFT, CLERK)


# ------------------------------------------------------------------ withdraw


def test_a_draft_and_a_pending_case_are_withdrawn_with_their_reason(town: Town) -> None:
    person = town.person()
    draft = town.draft(person)
    corrections.withdraw_case(town.db, CLERK, case_id=draft, reason="  重复登记 ")
    pending = town.draft(person)
    intake.mark_pending(town.db, CLERK, case_id=pending, due_on=TODAY, today=TODAY)
    corrections.withdraw_case(town.db, CLERK, case_id=pending, reason="申请人主动撤回")
    assert status(town, draft) == status(town, pending) == CaseStatus.WITHDRAWN
    last = events(town, draft)[-1]
    assert last.action == "withdraw" and last.actor == "李会计"
    assert last.changes == {"status": ["draft", "withdrawn"], "reason": [None, "重复登记"]}
    view = cases.case_view(town.db, CLERK, case_id=draft)
    assert view.detail.status_label == "已撤回"
    assert view.detail.status_reason is not None and view.detail.status_reason.text == "重复登记"
    assert view.detail.timeline[-1].what == "撤回案件：原因：重复登记；状态：草稿 → 已撤回"
    assert view.actions == {CaseAction.PRINT_FORM}  # read-only (no refusal: it was eligible)


def test_an_accepted_case_not_yet_reviewed_can_be_withdrawn_and_keeps_its_number(town: Town) -> None:
    case_id = town.accepted(town.person())
    corrections.withdraw_case(town.db, CLERK, case_id=case_id, reason="录入错误")
    with town.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.status == "withdrawn" and case.case_number == "2022-000001"


def test_a_withdrawal_without_a_reason_or_from_a_reviewed_case_is_refused(town: Town) -> None:
    person = town.person()
    draft = town.draft(person)
    before = audit_count(town)
    with pytest.raises(InvalidInput) as info:
        corrections.withdraw_case(town.db, CLERK, case_id=draft, reason="   ")
    assert info.value.codes == ["WITHDRAW_REASON"] and info.value.errors[0].field == "撤回原因"
    with pytest.raises(InvalidInput) as info:
        corrections.withdraw_case(town.db, CLERK, case_id=draft, reason="很" * 201)
    assert info.value.codes == ["WITHDRAW_REASON"]
    passed = town.reviewed(person, passed=True)
    before = audit_count(town)
    with pytest.raises(SubsidyDeskError) as refused:
        corrections.withdraw_case(town.db, CLERK, case_id=passed, reason="申请人主动撤回")
    assert refused.value.code == "CASE_CANNOT_WITHDRAW" and "撤销初审" in refused.value.message_zh
    assert status(town, draft) == "draft" and status(town, passed) == "review_passed"
    assert audit_count(town) == before


def test_a_withdrawn_case_cannot_be_changed_any_more(town: Town) -> None:
    case_id = town.draft(town.person())
    corrections.withdraw_case(town.db, CLERK, case_id=case_id, reason="重复登记")
    with pytest.raises(SubsidyDeskError) as info:
        intake.save_facts(town.db, CLERK, case_id=case_id, values={"contract_months": 24})
    assert info.value.code == "CASE_READ_ONLY"
    with pytest.raises(SubsidyDeskError) as info:
        intake.accept_case(town.db, CLERK, case_id=case_id, today=TODAY)
    assert info.value.code == "CASE_READ_ONLY"
    with pytest.raises(SubsidyDeskError) as info:
        corrections.withdraw_case(town.db, CLERK, case_id=case_id, reason="重复登记")
    assert info.value.code == "CASE_CANNOT_WITHDRAW"


def test_a_withdrawn_case_no_longer_counts_against_the_yearly_limit(town: Town) -> None:
    person = town.person()
    first = town.accepted(person)
    second = town.draft(person)
    blocked = intake.assess_case(town.db, CLERK, case_id=second)
    assert blocked.assessment.decision == "not_eligible" and blocked.warnings  # 每人每年可享受一次
    corrections.withdraw_case(town.db, CLERK, case_id=first, reason="重复登记")
    again = intake.assess_case(town.db, CLERK, case_id=second)
    assert again.assessment.decision == "eligible" and not again.warnings


def test_withdrawing_needs_a_named_town_operator(town: Town) -> None:
    case_id = town.draft(town.person())
    for actor, code in (
        (Actor(""), "ACTOR_UNNAMED"),
        (Actor("王审核", station=Station.COUNTY), "STATION_REQUIRED"),
    ):
        with pytest.raises(SubsidyDeskError) as info:
            corrections.withdraw_case(town.db, actor, case_id=case_id, reason="重复登记")
        assert info.value.code == code
    assert status(town, case_id) == "draft"


# ------------------------------------------------------------------ revert the town review


@pytest.mark.parametrize("passed", [True, False])
def test_the_office_head_reverts_a_review_back_to_accepted(town: Town, passed: bool) -> None:
    case_id = town.reviewed(town.person(), passed=passed, note="" if passed else "劳动合同未盖章")
    review.revert_review(town.db, HEAD, case_id=case_id, reason="初审时漏看了劳动合同期限")
    with town.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.status == "accepted"
        assert (case.reviewed_by, case.reviewed_on, case.review_note) == ("", None, "")
    last = events(town, case_id)[-1]
    assert last.action == "revert_review" and last.actor == "赵所长"
    assert last.changes["status"] == ["review_passed" if passed else "review_failed", "accepted"]
    assert last.changes["reason"] == [None, "初审时漏看了劳动合同期限"]
    assert last.changes["reviewed_by"] == ["赵所长", ""]  # the old review stays in the trail
    view = cases.case_view(town.db, HEAD, case_id=case_id)
    assert view.detail.status_reason is not None
    assert view.detail.status_reason.label == "所长撤销初审的原因"
    assert CaseAction.REVIEW in view.actions  # to be reviewed again
    what = view.detail.timeline[-1].what
    assert what.startswith("撤销初审，退回“已受理”：原因：初审时漏看了劳动合同期限；")
    assert "reviewed" not in what and "review_note" not in what


def test_a_clerk_cannot_revert_a_review(town: Town) -> None:
    case_id = town.reviewed(town.person(), passed=True)
    before = audit_count(town)
    with pytest.raises(SubsidyDeskError) as info:
        review.revert_review(town.db, CLERK, case_id=case_id, reason="想改一下")
    assert info.value.code == "ROLE_REQUIRED" and "所长" in info.value.message_zh
    assert status(town, case_id) == "review_passed" and audit_count(town) == before


def test_a_review_is_not_reverted_once_exported_or_without_a_reason(town: Town) -> None:
    from core.cases.service import update_case

    case_id = town.reviewed(town.person(), passed=True)
    with pytest.raises(InvalidInput) as info:
        review.revert_review(town.db, HEAD, case_id=case_id, reason="")
    assert info.value.codes == ["REVERT_REASON"]
    with town.db.session() as s, s.begin():
        update_case(s, case_id, {"status": CaseStatus.EXPORTED.value}, "李会计")
    with pytest.raises(SubsidyDeskError) as refused:
        review.revert_review(town.db, HEAD, case_id=case_id, reason="漏看材料")
    assert refused.value.code == "CASE_CANNOT_REVERT" and "已上报县局" in refused.value.message_zh
    accepted = town.accepted(town.person("李国强", "61032819880517003"))
    with pytest.raises(SubsidyDeskError) as refused:
        review.revert_review(town.db, HEAD, case_id=accepted, reason="漏看材料")
    assert refused.value.code == "CASE_CANNOT_REVERT"


def test_a_failed_review_shows_its_reason_in_the_header(town: Town) -> None:
    case_id = town.reviewed(town.person(), passed=False, note="劳动合同未加盖单位公章")
    reason = cases.case_view(town.db, CLERK, case_id=case_id).detail.status_reason
    assert reason is not None and (reason.label, reason.text, reason.actor) == (
        "初审意见（不通过）",
        "劳动合同未加盖单位公章",
        "赵所长",
    )


# ------------------------------------------------------------------ remove a scan


def attach(town: Town, case_id: int, material: str, name: str, colour: str = "white") -> int:
    intake.attach_scan(town.db, CLERK, case_id=case_id, material_id=material, path=town.scan(name, colour))
    with town.db.session() as s:
        return int(s.scalar(select(func.max(Attachment.id))) or 0)


def test_a_wrong_scan_is_removed_with_its_reason_and_its_file(town: Town) -> None:
    case_id = town.draft(town.person())
    wrong = attach(town, case_id, "id_card_copy", "别人的身份证.png", "red")
    kept = attach(town, case_id, "id_card_copy", "身份证.png")
    store = AttachmentStore(town.data_dir / "attachments")
    with town.db.session() as s:
        sha = s.get(Attachment, wrong).sha256  # type: ignore[union-attr]
    assert store.path_for(sha).exists()
    removed = corrections.remove_scan(
        town.db, CLERK, case_id=case_id, attachment_id=wrong, reason="不是本案的材料"
    )
    assert removed.filename == "别人的身份证.png" and removed.files_for_material == 1 and removed.file_deleted
    assert not store.path_for(sha).exists()  # nobody else used it
    scans = corrections.case_scans(town.db, case_id=case_id)
    assert [(x.id, x.material) for x in scans] == [(kept, "本人身份证复印件")]
    last = events(town, case_id)[-1]
    assert last.action == "detach" and last.changes["reason"] == [None, "不是本案的材料"]
    assert last.changes["attachment"] == [f"别人的身份证.png ({sha[:12]})", None]
    what = cases.case_view(town.db, CLERK, case_id=case_id).detail.timeline[-1].what
    assert what == f"删除扫描件：别人的身份证.png ({sha[:12]})（本人身份证复印件）；原因：不是本案的材料"


def test_a_scan_shared_with_another_case_keeps_its_stored_file(town: Town) -> None:
    person = town.person()
    first, second = town.draft(person), town.draft(town.person("李国强", "61032819880517003"))
    one = attach(town, first, "id_card_copy", "身份证.png")
    attach(town, second, "id_card_copy", "身份证.png")  # the same content: one stored file
    with town.db.session() as s:
        sha = s.get(Attachment, one).sha256  # type: ignore[union-attr]
    removed = corrections.remove_scan(town.db, CLERK, case_id=first, attachment_id=one, reason="重复附加")
    assert not removed.file_deleted
    store = AttachmentStore(town.data_dir / "attachments")
    assert store.read(sha)  # the other case still reads it, intact
    assert [x.sha256 for x in corrections.case_scans(town.db, case_id=second)] == [sha]


def test_scans_of_an_accepted_case_can_be_removed_while_correcting_but_not_after_review(town: Town) -> None:
    case_id = town.accepted(town.person())
    first = attach(town, case_id, "labour_contract", "合同第1页.png")
    second = attach(town, case_id, "labour_contract", "合同第2页.png", "blue")
    corrections.remove_scan(town.db, CLERK, case_id=case_id, attachment_id=first, reason="看不清，需重新扫描")
    review.review_case(town.db, HEAD, case_id=case_id, passed=True, note="", today=TODAY)
    before = audit_count(town)
    with pytest.raises(SubsidyDeskError) as info:
        corrections.remove_scan(town.db, CLERK, case_id=case_id, attachment_id=second, reason="扫错文件")
    assert info.value.code == "CASE_READ_ONLY" and "撤销初审" in info.value.message_zh
    assert [x.id for x in corrections.case_scans(town.db, case_id=case_id)] == [second]
    assert audit_count(town) == before


def test_removing_a_scan_of_another_case_or_without_a_reason_is_refused(town: Town) -> None:
    first, second = town.draft(town.person()), town.draft(town.person("李国强", "61032819880517003"))
    scan = attach(town, first, "id_card_copy", "身份证.png")
    with pytest.raises(SubsidyDeskError) as info:
        corrections.remove_scan(town.db, CLERK, case_id=second, attachment_id=scan, reason="扫错文件")
    assert info.value.code == "SCAN_NOT_FOUND"
    with pytest.raises(InvalidInput) as invalid:
        corrections.remove_scan(town.db, CLERK, case_id=first, attachment_id=scan, reason="")
    assert invalid.value.codes == ["REMOVE_SCAN_REASON"]
    assert len(corrections.case_scans(town.db, case_id=first)) == 1


def test_the_audit_chain_holds_after_every_correction(town: Town) -> None:
    person = town.person()
    draft = town.draft(person)
    scan = attach(town, draft, "id_card_copy", "身份证.png")
    corrections.remove_scan(town.db, CLERK, case_id=draft, attachment_id=scan, reason="扫错文件")
    corrections.withdraw_case(town.db, CLERK, case_id=draft, reason="重复登记")
    reviewed = town.reviewed(person, passed=False, note="缺少劳动合同原件")
    review.revert_review(town.db, HEAD, case_id=reviewed, reason="原件已补看")
    with town.db.session() as s:
        assert audit.verify_chain(s) is None
    kinds = [e.action for e in events(town, draft)]
    assert kinds[:1] == ["create"] and kinds[-2:] == ["detach", "withdraw"] and "attach" in kinds


def test_every_timeline_line_speaks_the_clerks_words(town: Town) -> None:
    person = town.person()
    case_id = town.accepted(person)
    scan = attach(town, case_id, "id_card_copy", "身份证.png")
    corrections.remove_scan(town.db, CLERK, case_id=case_id, attachment_id=scan, reason="扫错文件")
    review.review_case(town.db, HEAD, case_id=case_id, passed=False, note="合同未盖章", today=TODAY)
    review.revert_review(town.db, HEAD, case_id=case_id, reason="已盖章")
    corrections.withdraw_case(town.db, CLERK, case_id=case_id, reason="申请人主动撤回")
    lines = [e.what for e in cases.case_view(town.db, CLERK, case_id=case_id).detail.timeline]
    forbidden = ("_", "reason", "status", "review", "catalog", "None", "withdraw", "detach", "attach")
    for line in lines:
        assert not any(word in line for word in forbidden), line
    assert any(line.startswith("撤销初审") for line in lines)


def test_facts_dropped_by_a_change_of_subsidy_are_named_in_the_clerks_words(town: Town) -> None:
    from core.app.intake import Application

    case_id = town.draft(town.person())
    intake.change_application(
        town.db, CLERK, case_id=case_id, application=Application("transport_once", TODAY), today=TODAY
    )
    lines = [e.what for e in cases.case_view(town.db, CLERK, case_id=case_id).detail.timeline]
    dropped = lines[-1]
    assert "劳动合同（就业协议、就业证明）期限：12 → —" in dropped and "申请人身份：脱贫劳动力 → —" in dropped
    assert not any("contract_months" in line or "applicant_group" in line for line in lines)
