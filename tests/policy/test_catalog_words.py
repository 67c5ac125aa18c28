"""The shipped catalogs say what the documents say: no invented routes, conditions or dates."""

from __future__ import annotations

import pytest

from core.categories import admitted_through, members_of, with_groups
from core.policy import model as m
from core.policy.loader import catalog_dir, load_all
from core.policy.report import render_report
from core.policy.service import catalogs_by_id

NOT_STATED = "文件未规定"


def _subsidy(catalog_id: str, subsidy_id: str) -> m.Subsidy:
    subsidy = catalogs_by_id()[catalog_id].subsidy(subsidy_id)
    assert subsidy is not None
    return subsidy


@pytest.mark.parametrize(
    ("catalog_id", "subsidy_id"),
    [
        ("qianyang-2021", "su_shaan_cooperation_award"),
        ("zaozhuang-2021", "organised_output_agency"),
        ("zaozhuang-2021", "public_welfare_post"),
        ("zaozhuang-2021", "on_the_job_training"),
        ("deqin-2021", "assistance_base_award"),
    ],
)
def test_routes_the_documents_do_not_state_say_so(catalog_id: str, subsidy_id: str) -> None:
    route = _subsidy(catalog_id, subsidy_id).route
    assert route is not None and route.receives == NOT_STATED and route.reviews == ()


def test_deqin_period_has_no_start_and_no_end() -> None:
    period = catalogs_by_id()["deqin-2021"].policy_period
    assert period.start is None and period.end is None


def test_one_reading_of_the_2025_end_date() -> None:
    ends = {c.id: c.policy_period.basis for c in load_all(catalog_dir())[0] if c.policy_period.end}
    assert set(ends.values()) == {"event"}, ends


@pytest.mark.parametrize(
    ("catalog_id", "subsidy_id", "rule_id"),
    [
        ("guizhou-2021", "public_welfare_post", "agreement_max_1_year"),
        ("zaozhuang-2021", "public_welfare_post", "term_max_1_year"),
        ("deqin-2021", "public_welfare_post", "contract_max_1_year"),
        ("fengdu-2021", "public_welfare_post", "contract_max_1_year"),
    ],
)
def test_employers_duty_is_a_reminder_not_a_condition(catalog_id: str, subsidy_id: str, rule_id: str) -> None:
    condition = next(x for x in _subsidy(catalog_id, subsidy_id).eligibility if x.id == rule_id)
    assert condition.effect == "warn"


def test_home_district_is_routing_not_eligibility() -> None:
    roster = _subsidy("zaozhuang-2021", "organised_output_agency").beneficiary
    assert roster is not None
    assert all("户籍" not in f.label or "以外" in f.label for f in roster.facts)


def test_category_groups() -> None:
    assert {"unstable_alleviated", "marginal_at_risk", "sudden_hardship"} <= members_of("monitored")
    assert {"rural_minimum_living", "extreme_hardship", "monitored", "marginal_at_risk"} <= members_of(
        "rural_low_income"
    )
    assert with_groups(["marginal_at_risk"]) == {"marginal_at_risk", "monitored", "rural_low_income"}
    assert admitted_through(["marginal_at_risk"], "monitored") == "marginal_at_risk"
    assert admitted_through(["monitored"], "marginal_at_risk") is None  # a group does not admit into a member


@pytest.mark.parametrize("catalog", load_all(catalog_dir())[0], ids=lambda c: c.id)
def test_report_shows_the_category_groups(catalog: m.Catalog) -> None:
    report = render_report(catalog)
    assert "人员类别的包含关系" in report and "中央农村工作领导小组" in report


def _material(catalog_id: str, subsidy_id: str, material_id: str) -> m.Material:
    return next(x for x in _subsidy(catalog_id, subsidy_id).materials if x.id == material_id)


def test_materials_as_the_text_says() -> None:
    contract = _material("qianyang-2021", "job_seeking_once", "labour_contract")
    assert (contract.form, contract.original_returned, contract.copies) == ("original", True, 0)
    passbook = _material("qianyang-2021", "job_seeking_once", "huinong_passbook")
    assert (passbook.form, passbook.original_returned) == ("original", True)
    written = _material("qianyang-2021", "job_seeking_once", "written_application")
    assert written.form == "statement" and written.required and written.clause is not None
    licence = _material("qianyang-2021", "community_factory_post", "business_license")
    assert (licence.form, licence.original_returned, licence.copies) == ("original_and_copy", True, 1)


def test_no_original_is_kept_unless_the_text_says_so() -> None:
    kept = [
        (c.id, s.id, x.id)
        for c in load_all(catalog_dir())[0]
        for s in c.subsidies
        for x in s.materials
        if "original" in x.form and not x.original_returned
    ]
    assert kept == []


def test_filer_choices_offer_everyone_and_say_who_is_refused() -> None:
    from core.policy.words import filer_choices

    rule = _subsidy("qianyang-2021", "job_seeking_once").applicant
    choices = dict(filer_choices(rule.on_behalf, rule.filers_stated))
    assert list(choices)[:3] == ["spouse", "cohabiting_parent", "adult_child"]
    assert {"sibling", "other_relative", "friend", "village_cadre", "other"} <= set(choices)
    assert "将判为不符合" in choices["sibling"] and "将判为不符合" not in choices["spouse"]
    silent = _subsidy("deqin-2021", "transport_once").applicant
    assert not silent.filers_stated
    assert all("不符合" not in label for _, label in filer_choices(silent.on_behalf, silent.filers_stated))
