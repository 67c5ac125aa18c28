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
