"""Separation of duties (#13): the intake clerk does not review their own case, unless the 管理员
set the office to 单人办公; then each self-review is audited, travels in the batch, and the
county sees it. The county also checks each imported case's carried history."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from core.actor import Actor, Role, Station
from core.app import accounts, cases, intake, review
from core.app import county as county_ops
from core.app.batches import export_batch
from core.app.intake import Application
from core.applicant_types import PersonInput
from core.cases.checklist import ChecklistMark
from core.cases.states import CaseAction
from core.db.models import AuditEvent, Case
from core.errors import SubsidyDeskError
from core.ids import CaseId, PersonId
from tests.packages.conftest import Site, id_number
from tests.packages.county_cases import CATALOG, PERSON_FACTS, PERSON_MATERIALS, TODAY

HEAD = Actor("赵所长", Role.HEAD, Station.TOWN)
ADMIN = Actor("周管理", Role.ADMIN, Station.TOWN)


def accepted_case(town: Site, clerk: Actor) -> CaseId:
    data = PersonInput("王秀兰", id_number("61032819900101124"), "水沟镇", "东村", ["poverty_alleviated"])
    person = PersonId(intake_person(town, clerk, data))
    case_id = intake.start_case(
        town.db, clerk, catalog_id=CATALOG, person_id=person, organisation_id=None,
        application=Application("job_seeking_once", TODAY), today=TODAY,
    )  # fmt: skip
    intake.save_facts(town.db, clerk, case_id=case_id, values=PERSON_FACTS)
    marks = {m: ChecklistMark(received=True, copies="1") for m in PERSON_MATERIALS}
    intake.save_checklist(town.db, clerk, case_id=case_id, marks=marks)
    intake.accept_case(town.db, clerk, case_id=case_id, today=TODAY)
    return case_id


def intake_person(town: Site, clerk: Actor, data: PersonInput) -> int:
    from core.app import applicants

    return applicants.save_person(town.db, clerk, person_id=None, data=data)


def _status(town: Site, case_id: CaseId) -> str:
    with town.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        return case.status


def test_a_clerk_cannot_review_their_own_case_even_holding_the_heads_role(town: Site) -> None:
    both = Actor("李经办", (Role.CLERK, Role.HEAD), Station.TOWN)  # town.actor's name: the intake clerk
    case_id = accepted_case(town, both)
    with pytest.raises(SubsidyDeskError) as own:
        review.review_case(town.db, both, case_id=case_id, passed=True, note="", today=TODAY)
    assert own.value.code == "SELF_REVIEW" and "单人办公" in own.value.message_zh
    assert _status(town, case_id) == "accepted"
    assert CaseAction.REVIEW not in cases.case_view(town.db, both, case_id=case_id).actions
    assert CaseAction.REVIEW in cases.case_view(town.db, HEAD, case_id=case_id).actions
    review.review_case(town.db, HEAD, case_id=case_id, passed=True, note="材料齐全", today=TODAY)
    assert _status(town, case_id) == "review_passed"


def test_a_clerk_cannot_review_at_all_calling_the_use_case(town: Site) -> None:
    clerk = Actor("小李", Role.CLERK, Station.TOWN)
    case_id = accepted_case(town, town.actor)
    with pytest.raises(SubsidyDeskError) as refused:
        review.review_case(town.db, clerk, case_id=case_id, passed=True, note="", today=TODAY)
    assert refused.value.code == "ROLE_REQUIRED"
    assert _status(town, case_id) == "accepted"


def test_single_staff_allows_a_self_review_audited_and_marked_for_the_county(
    town: Site, county: Site, usb: Path
) -> None:
    case_id = accepted_case(town, town.actor)
    accounts.set_single_staff(town.db, ADMIN, on=True)
    assert CaseAction.REVIEW in cases.case_view(town.db, town.actor, case_id=case_id).actions
    review.review_case(town.db, town.actor, case_id=case_id, passed=True, note="材料齐全", today=TODAY)
    with town.db.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.entity == "case"))]
    assert actions.count("self_review") == 1
    # a review by someone else, even in 单人办公, is no self-review
    report = county_ops.import_package(
        county.db, county.actor, path=export_batch(town.db, town.actor, folder=usb).path
    )
    [line] = report.cases
    assert "单人办公" in line.history_note and "单人办公" in report.summary
    view = county_ops.case_view(county.db, uuid=line.uuid)
    assert any("单人办公" in w for w in view.warnings)
    assert any("受理人本人初审" in h.what for h in view.town_history)


def test_the_county_flags_a_case_whose_history_was_altered_at_the_town(
    town: Site, county: Site, usb: Path
) -> None:
    case_id = accepted_case(town, town.actor)
    review.review_case(town.db, HEAD, case_id=case_id, passed=True, note="材料齐全", today=TODAY)
    with town.db.session() as s:
        uuid = s.get(Case, case_id).uuid  # type: ignore[union-attr]
    # An insider edits the trail behind the program's back (the UPDATE trigger refuses a change,
    # so a forged row is added with a made-up hash).
    with town.db.engine.begin() as conn:  # the file or the server, behind the program's back
        conn.execute(
            text(
                "INSERT INTO audit_event (at, actor, action, entity, entity_key, changes, prev_hash, hash) "
                "VALUES ('2022-03-01 09:00:00', '赵所长', 'update', 'case', :uuid, '{}', :prev, :hash)"
            ),
            {"uuid": uuid, "prev": "0" * 64, "hash": "f" * 64},
        )
    report = county_ops.import_package(
        county.db, county.actor, path=export_batch(town.db, town.actor, folder=usb).path
    )
    [line] = report.cases
    assert "校验值不符" in line.history_note and "校验值不符" in report.summary
    assert any("校验值不符" in w for w in county_ops.case_view(county.db, uuid=line.uuid).warnings)


def test_an_untouched_history_holds_at_the_county(town: Site, county: Site, usb: Path) -> None:
    case_id = accepted_case(town, town.actor)
    review.review_case(town.db, HEAD, case_id=case_id, passed=True, note="材料齐全", today=TODAY)
    report = county_ops.import_package(
        county.db, county.actor, path=export_batch(town.db, town.actor, folder=usb).path
    )
    assert [c.history_note for c in report.cases] == [""]
    assert county_ops.case_view(county.db, uuid=report.cases[0].uuid).warnings == ()
