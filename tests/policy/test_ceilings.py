"""No ceiling is ever exceeded by one fen, whatever the facts, the history and the roster.

Property tests over the shipped catalogs: amounts are integer fen and every ceiling the
documents set (不超过实际支出额50%, 最高500元, 每期累计不超过2500元, 每年累计最高不超过30万元,
最长不超过6个月 / 3年, 补贴期限两年) holds exactly, with Fraction arithmetic as the judge.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from core.policy import model as m
from core.policy.case import Applicant, BeneficiaryRow, CaseInput, HistoryGrant
from core.policy.engine import assess
from core.policy.service import catalogs_by_id

CATALOGS = catalogs_by_id()
ORG = Applicant("organisation", "某单位", "91610328MA6X00000X", org_type="community_factory")
PERSON = Applicant("person", "张三", "610328199001011234", frozenset({"poverty_alleviated"}))
FEN = st.integers(min_value=0, max_value=10**9)
SMALL_FEN = st.integers(min_value=0, max_value=200_000)
RUNS = settings(max_examples=150, deadline=None)


def _grant(
    subsidy: str, who: str, applicant: str, amount: int = 0, months: int | None = None, year: int = 2022
) -> HistoryGrant:
    day = dt.date(year, 3, 1)
    return HistoryGrant(subsidy, "", who, applicant, day, day, amount, "paid", months)


def _catalog(catalog_id: str) -> m.Catalog:
    return CATALOGS[catalog_id]


# ---------------------------------------------------------------- 不超过实际支出额50%, 补贴期限两年


@RUNS
@given(
    rent=FEN,
    utilities=FEN,
    months=st.integers(min_value=1, max_value=24),
    before=st.integers(min_value=0, max_value=24),
    history=st.integers(min_value=0, max_value=24),
    subsidy=st.sampled_from(["community_factory_rent", "heritage_workshop_rent"]),
)
def test_rent_never_exceeds_half_the_sum_nor_the_two_years(
    rent: int, utilities: int, months: int, before: int, history: int, subsidy: str
) -> None:
    org = (
        ORG
        if subsidy.startswith("community")
        else Applicant("organisation", "工坊", ORG.id_number, org_type="heritage_workshop")
    )
    facts = {"recognised": True, "target_employee_count": 1, "total_employee_count": 3, "rent_paid_fen": rent,
             "utilities_paid_fen": utilities, "subsidy_months": months, "months_granted_before": before}  # fmt: skip
    grants = (_grant(subsidy, "", ORG.id_number, months=history),) if history else ()
    case = CaseInput(dt.date(2022, 12, 12), org, facts=facts, history=grants)
    result = assess(_catalog("qianyang-2021"), subsidy, case)
    left = max(0, 24 - max(before, history))
    if left == 0:
        assert result.decision == "not_eligible"
        return
    assert result.amount_fen is not None
    paid_months = min(months, left)
    ceiling = Fraction(rent + utilities, 2) * Fraction(paid_months, months)
    assert result.amount_fen <= ceiling  # never one fen over
    assert result.amount_fen > ceiling - 2  # and at most the two roundings down below it


# ---------------------------------------------------------------- 不足500元按实际，超过500元按500元


@RUNS
@given(cost=SMALL_FEN)
def test_qianyang_transport_is_the_actual_cost_at_most_500(cost: int) -> None:
    facts = {"employment_date": dt.date(2022, 3, 1), "cross_province": True, "transport_cost_fen": cost}
    result = assess(
        _catalog("qianyang-2021"), "transport_once", CaseInput(dt.date(2022, 6, 1), PERSON, facts=facts)
    )
    assert result.amount_fen == min(cost, 50000)


@RUNS
@given(cost=SMALL_FEN, destination=st.sampled_from(["out_of_province", "in_province_out_of_county"]))
def test_deqin_transport_ceilings_by_destination(cost: int, destination: str) -> None:
    facts = {"destination": destination, "employment_start_date": dt.date(2022, 2, 10),
             "stable_until_date": dt.date(2022, 6, 1), "transport_cost_fen": cost}  # fmt: skip
    result = assess(
        _catalog("deqin-2021"), "transport_once", CaseInput(dt.date(2022, 6, 6), PERSON, facts=facts)
    )
    ceiling = 100000 if destination == "out_of_province" else 50000
    assert result.amount_fen is not None and result.amount_fen <= min(cost, ceiling)


@RUNS
@given(local=st.integers(min_value=0, max_value=100_000))
def test_guizhou_transport_never_above_the_500_ceiling(local: int) -> None:
    facts = {
        "employment_date": dt.date(2022, 3, 1),
        "new_cross_province": True,
        "stable_employment_months": 6,
    }
    case = CaseInput(
        dt.date(2022, 7, 15), PERSON, facts=facts, parameters={"transport_once_local_fen": local}
    )
    result = assess(_catalog("guizhou-2021"), "transport_once", case)
    if local > 50000:
        assert (
            result.decision == "needs_info" and result.amount_fen is None
        )  # an invalid setting is no number
    else:
        assert result.amount_fen == local


# ---------------------------------------------------------------- 每人每期累计不超过2500元


@RUNS
@given(
    days=st.integers(min_value=0, max_value=366),
    living=st.integers(min_value=0, max_value=10_000),
    transport=st.integers(min_value=0, max_value=10_000),
)
def test_training_allowance_daily_and_per_period_ceilings(days: int, living: int, transport: int) -> None:
    facts = {"training_end_date": dt.date(2022, 5, 1), "training_days": days, "living_paid_per_day_fen": living,
             "transport_paid_per_day_fen": transport}  # fmt: skip
    case = CaseInput(dt.date(2022, 5, 10), PERSON, submitted_by="school", facts=facts)
    result = assess(_catalog("qianyang-2021"), "training_living_allowance", case)
    assert result.amount_fen is not None
    assert result.amount_fen <= 250000
    assert result.amount_fen <= days * (min(living, 2000) + min(transport, 3000))


# ---------------------------------------------------------------- 每年累计最高不超过30万元


@RUNS
@given(
    count=st.integers(min_value=10, max_value=200), earlier=st.lists(st.integers(0, 300_000_00), max_size=3)
)
def test_assistance_base_award_never_passes_300000_a_year(count: int, earlier: list[int]) -> None:
    base = Applicant("organisation", "帮扶基地", ORG.id_number, org_type="assistance_base")
    rows = tuple(
        BeneficiaryRow(f"61032819900101{i:04d}", f"人{i}", frozenset({"poverty_alleviated"}),
                       {"newly_hired": True, "contract_months": 12})
        for i in range(count)
    )  # fmt: skip
    grants = tuple(_grant("assistance_base_award", "", base.id_number, amount=a) for a in earlier)
    case = CaseInput(dt.date(2022, 12, 12), base, facts={"recognised": True, "well_managed": True},
                     beneficiaries=rows, history=grants)  # fmt: skip
    result = assess(_catalog("qianyang-2021"), "assistance_base_award", case)
    used = sum(earlier)
    if result.amount_fen is None:
        assert used >= 30_000_000
    else:
        assert result.amount_fen <= 200_000 * count and used + result.amount_fen <= 30_000_000


# ---------------------------------------------------------------- 最长不超过6个月 / 3年, per person


ROWS = st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8)


def _people(
    earlier: list[int], fact: str, category: str = "poverty_alleviated", **facts: m.FactValue
) -> tuple[BeneficiaryRow, ...]:
    return tuple(
        BeneficiaryRow(f"61032819900101{i:04d}", f"人{i}", frozenset({category}), {fact: e, **facts})
        for i, e in enumerate(earlier)
    )


@RUNS
@given(
    earlier=ROWS, months=st.integers(min_value=1, max_value=6), rate=st.integers(min_value=0, max_value=60000)
)
def test_qianyang_otjt_pays_each_person_at_most_six_months(
    earlier: list[int], months: int, rate: int
) -> None:
    earlier = [min(e, 6) for e in earlier]
    rows = _people(earlier, "earlier_months", previously_enjoyed=False)
    case = CaseInput(dt.date(2022, 9, 10), Applicant("organisation", "企业", ORG.id_number, org_type="enterprise"),
                     facts={"training_start_date": dt.date(2022, 3, 1), "months": months}, beneficiaries=rows,
                     parameters={"otjt_monthly_rate_fen": rate})  # fmt: skip
    result = assess(_catalog("qianyang-2021"), "on_the_job_training", case)
    paid = sum(min(months, 6 - e) for e in earlier)
    if paid == 0:
        assert result.decision == "not_eligible"
    else:
        assert result.amount_fen == rate * paid  # each person: the months claimed, at most the months left


@RUNS
@given(earlier=ROWS, months=st.integers(min_value=1, max_value=36))
def test_fengdu_workshop_award_at_most_36_months_a_person(earlier: list[int], months: int) -> None:
    rows = _people(earlier, "award_months_before", "employment_difficulty", rural_hukou=True, stable_months=3)
    case = CaseInput(dt.date(2022, 6, 1), Applicant("organisation", "车间", ORG.id_number, org_type="assistance_workshop"),
                     facts={"award_months": months}, beneficiaries=rows)  # fmt: skip
    result = assess(_catalog("fengdu-2021"), "assistance_workshop_award", case)
    paid = sum(max(0, min(months, 36 - e)) for e in earlier)
    if paid == 0:
        assert result.decision == "not_eligible"
    else:
        assert result.amount_fen == 50000 * paid  # each person: the months claimed, at most those left


@RUNS
@given(
    this_year=st.lists(st.integers(min_value=0, max_value=4), max_size=3),
    last_year=st.integers(min_value=0, max_value=6),
    months=st.integers(1, 12),
)
def test_fengdu_otjt_at_most_six_months_a_year_counting_history(
    this_year: list[int], last_year: int, months: int
) -> None:
    row = _people([0], "months_before_in_year")
    who, other = row[0].id_number, "91500230MA5U00099X"
    grants = tuple(_grant("on_the_job_training", who, other, months=h, year=2021) for h in this_year)
    grants += (_grant("on_the_job_training", who, other, months=last_year, year=2020),)
    case = CaseInput(dt.date(2021, 12, 1), Applicant("organisation", "企业", ORG.id_number, org_type="enterprise"),
                     facts={"conducts_ojt": True, "claim_months": months}, beneficiaries=row, history=grants,
                     parameters={"fengdu_ojt_rate_fen": 50000})  # fmt: skip
    result = assess(_catalog("fengdu-2021"), "on_the_job_training", case)
    paid = min(months, 6, max(0, 6 - sum(this_year)))  # last year's months do not count
    if paid == 0:
        assert result.decision == "not_eligible"
    else:
        assert result.amount_fen == 50000 * paid
