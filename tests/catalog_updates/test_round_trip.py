"""A county update travels to a town: package, verification, installation, re-assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.app import intake
from core.app.catalog_updates import inspect_update, install_update
from core.db.models import AuditEvent, Case
from core.errors import SubsidyDeskError
from tests.catalog_updates.conftest import CLERK, HEAD, TODAY, issue, job_seeking_draft, person


def test_an_extension_lets_the_town_accept_a_2026_event(town, county, usb) -> None:
    case_id = job_seeking_draft(town, person(town), dt.date(2026, 3, 15), dt.date(2026, 4, 1))
    before = intake.assess_case(town.db, CLERK, case_id=case_id)
    assert before.assessment.decision == "not_eligible"  # the policy ended on 2025-12-31
    with pytest.raises(SubsidyDeskError) as refused:
        intake.accept_case(town.db, CLERK, case_id=case_id, today=TODAY)
    assert refused.value.code == "CASE_CANNOT_ACCEPT"

    path = issue(county, usb)
    offer = inspect_update(town.db, HEAD, path=path)
    assert (offer.version_from, offer.version_to) == ("1.1.0", "1.1.0.1")
    assert any("2026-12-31" in line and "执行期限" in line for line in offer.changes)
    assert any("千人社函〔2026〕测试1号" in line for line in offer.changes)
    [change] = offer.changed_cases
    assert (change.before, change.after) == ("不符合条件", "符合条件，500.00 元")

    result = install_update(town.db, HEAD, path=path, manifest_sha256=offer.manifest_sha256)
    [after] = result.cases
    assert after.changed and after.after == "符合条件，500.00 元"
    assert "结果有变化的 1 件" in result.summary
    number = intake.accept_case(town.db, CLERK, case_id=case_id, today=TODAY)
    assert number
    with town.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.catalog_version == "1.1.0.1"
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "install_catalog_update")) is not None
    assert (town.data_dir / "policies" / "qianyang-2021.json").is_file()
