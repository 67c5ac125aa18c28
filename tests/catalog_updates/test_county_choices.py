"""The county's readings and parameters travel in the update and change the town's assessments."""

from __future__ import annotations

import datetime as dt

import pytest

from core.app import intake
from core.app.catalog_updates import inspect_update, install_update
from core.app.county_catalogs import catalog_state, preview_update
from core.app.intake import Application
from core.errors import SubsidyDeskError
from core.policy.installed import using_data_folder
from core.policy.service import catalog_report, get_catalog
from core.policy.update import UpdateChanges
from tests.catalog_updates.conftest import (
    CATALOG,
    CLERK,
    HEAD,
    OFFICER,
    TEST_NOTICE,
    TODAY,
    issue,
    job_seeking_draft,
    person,
)

ADVISORY = UpdateChanges(readings={"R-q8-startup-window": "advisory"})


def startup_draft(town) -> int:
    """一次性创业补贴 applied for on the day six months after registration: before the 7th month."""
    case_id = intake.start_case(
        town.db, CLERK, catalog_id=CATALOG, person_id=person(town), organisation_id=None,
        application=Application("startup_once", dt.date(2025, 9, 10)), today=TODAY,
    )  # fmt: skip
    facts = {"entity_type": "individual_business", "registration_date": dt.date(2025, 3, 10),
             "operating_normally": True}  # fmt: skip
    intake.save_facts(town.db, CLERK, case_id=case_id, values=facts)
    return case_id


def test_the_county_choice_changes_the_town_assessment(town, county, usb) -> None:
    case_id = startup_draft(town)
    before = intake.assess_case(town.db, CLERK, case_id=case_id).assessment
    assert before.decision == "not_eligible"
    [applied] = before.applied_readings
    assert (applied.alternative_id, applied.by_default) == ("mandatory", True)

    path = issue(county, usb, ADVISORY)
    offer = inspect_update(town.db, HEAD, path=path)
    assert any("县人社局选择：“应”为工作要求" in line for line in offer.changes), offer.changes
    install_update(town.db, HEAD, path=path, manifest_sha256=offer.manifest_sha256)

    view = intake.assess_case(town.db, CLERK, case_id=case_id)
    assert view.assessment.decision == "eligible"
    assert view.assessment.warnings and "apply_7_to_12_months" in view.assessment.warnings
    [applied] = view.assessment.applied_readings
    assert (applied.alternative_id, applied.by_default) == ("advisory", False)
    assert "尚未选择" not in view.text and applied.alternative_label in view.text
    with using_data_folder(town.data_dir):
        assert "县人社局已选择：“应”为工作要求" in catalog_report(CATALOG)


def test_the_county_screen_shows_choice_and_default(county, usb) -> None:
    state = catalog_state(county.db, OFFICER, catalog_id=CATALOG)
    row = next(r for r in state.readings if r.key == "R-q8-startup-window")
    assert (row.default, row.chosen) == ("mandatory", None)
    issue(county, usb, ADVISORY)
    row = next(r for r in catalog_state(county.db, OFFICER, catalog_id=CATALOG).readings if r.key == row.key)
    assert row.chosen == "advisory"


def test_parameters_set_by_the_county_are_previewed_and_checked(county) -> None:
    changes = UpdateChanges(parameters={"otjt_monthly_rate_fen": 50000})
    preview = preview_update(county.db, OFFICER, catalog_id=CATALOG, changes=changes)
    assert any(line.startswith("【参数】") and "500.00" in line for line in preview.changes), preview.changes
    with pytest.raises(SubsidyDeskError) as exc:
        preview_update(
            county.db, OFFICER, catalog_id="guizhou-2021",
            changes=UpdateChanges(parameters={"transport_once_local_fen": 60000}),
        )  # fmt: skip
    assert exc.value.code == "CATALOG_UPDATE_INVALID" and "上限" in exc.value.message_zh


def test_the_county_parameter_reaches_the_engine(county, usb) -> None:
    issue(county, usb, UpdateChanges(parameters={"otjt_monthly_rate_fen": 50000}))
    with using_data_folder(county.data_dir):
        assert get_catalog(CATALOG).county_parameters == {"otjt_monthly_rate_fen": 50000}
    assert get_catalog(CATALOG).county_parameters == {}  # the program's own file is unchanged


def test_an_update_must_change_something_and_extend_forwards(county) -> None:
    with pytest.raises(SubsidyDeskError) as exc:
        preview_update(county.db, OFFICER, catalog_id=CATALOG, changes=UpdateChanges())
    assert exc.value.code == "CATALOG_UPDATE_EMPTY"
    with pytest.raises(SubsidyDeskError) as exc:
        preview_update(county.db, HEAD, catalog_id=CATALOG, changes=ADVISORY)
    assert exc.value.code == "STATION_REQUIRED"


def test_the_receipt_shows_the_reading_the_county_chose(town, county, usb) -> None:
    from core.app.reports import prepare_case_document
    from tests.printing.conftest import pdf_text

    chosen = UpdateChanges(extension=TEST_NOTICE, readings={"R-transfer": "out_of_county"})
    case_id = job_seeking_draft(town, person(town), dt.date(2026, 3, 15), dt.date(2026, 4, 1))
    path = issue(county, usb, chosen)
    offer = inspect_update(town.db, HEAD, path=path)
    install_update(town.db, HEAD, path=path, manifest_sha256=offer.manifest_sha256)
    intake.accept_case(town.db, CLERK, case_id=case_id, today=TODAY)
    text = pdf_text(prepare_case_document(town.db, kind="receipt", case_id=case_id).render())
    squashed = "".join(text.split())
    assert "政策理解" in squashed and "县人社局确定" in squashed, text
