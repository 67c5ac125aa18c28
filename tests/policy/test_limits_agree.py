"""For every limit of every shipped catalog, the engine does on a breach what the report says."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from core.policy import model as m
from core.policy.case import Applicant, BeneficiaryRow, CaseInput, HistoryGrant
from core.policy.limits import LimitInput, check_limit
from core.policy.loader import catalog_dir, load_all
from core.policy.report import render_report
from core.policy.report_rules import breach_zh, promised_outcome

SHIPPED = load_all(catalog_dir())[0]
WHO = "610328199001011234"
OWN = "91610328MA6X00000X"
DAY = dt.date(2023, 3, 1)


def _limits() -> list[tuple[m.Catalog, m.Subsidy, m.Limit]]:
    out = []
    for catalog in SHIPPED:
        for subsidy in catalog.subsidies:
            for limit in subsidy.limits:
                variants = [v for _, v in limit.variants if v is not None]
                out += [(catalog, subsidy, x) for x in (limit, *variants)]
    return out


def _grant(limit: m.Limit, subsidy_id: str, **over: object) -> HistoryGrant:
    applicant = "91610328MA6Y00000Y" if limit.applicants == "others" else OWN
    values: dict[str, object] = {
        "subsidy": subsidy_id, "catalog": "", "person": WHO, "applicant": applicant,
        "event_date": DAY, "application_date": DAY, "amount_fen": 100, "status": "paid",
    }  # fmt: skip
    if limit.scope == "applicant":
        values["applicant"] = OWN
    values.update(over)
    return HistoryGrant(**values)  # type: ignore[arg-type]


def _breach(
    subsidy: m.Subsidy, limit: m.Limit
) -> tuple[tuple[HistoryGrant, ...], dict[str, m.FactValue], int]:
    """History, facts and an amount that go one step past the limit."""
    facts: dict[str, m.FactValue] = {subsidy.event_fact: DAY} if subsidy.event_fact else {}
    own = subsidy.id if subsidy.id in limit.subsidies else limit.subsidies[0]
    if limit.kind == "exclusive":
        other = next(s for s in limit.subsidies if s != subsidy.id)
        return (_grant(limit, other),), facts, 100
    if limit.kind == "amount_per_year":
        return (_grant(limit, own, amount_fen=(limit.max_fen or 0) - 50),), facts, 100
    if limit.kind == "max_duration_months":
        assert limit.fact and limit.months
        facts[limit.fact] = 2
        return (_grant(limit, own, months=limit.months - 1),), facts, 100
    return tuple(_grant(limit, own) for _ in range(limit.max or 1)), facts, 100


@pytest.mark.parametrize(
    ("catalog", "subsidy", "limit"),
    _limits(),
    ids=[f"{c.id}/{s.id}/{x.id}:{x.effect}" for c, s, x in _limits()],
)
def test_breach_does_what_the_report_says(catalog: m.Catalog, subsidy: m.Subsidy, limit: m.Limit) -> None:
    history, facts, amount = _breach(subsidy, limit)
    kind = "organisation" if subsidy.applicant.kind == "organisation" else "person"
    applicant = Applicant(kind, "申请人", OWN if kind == "organisation" else WHO)
    case = CaseInput(application_date=DAY, applicant=applicant, facts=facts, history=history)
    row = BeneficiaryRow(WHO, "张三") if limit.scope == "beneficiary" else None
    if row is not None and limit.fact and limit.fact not in subsidy.fact_index:
        row = dataclasses.replace(row, facts={limit.fact: facts[limit.fact]})
    who = WHO if limit.scope != "applicant" else applicant.id_number
    inp = LimitInput(catalog.id, subsidy, case, DAY, amount, {}, row)
    assert check_limit(limit, inp, who).outcome.outcome == promised_outcome(limit)


@pytest.mark.parametrize("catalog", SHIPPED, ids=[c.id for c in SHIPPED])
def test_report_words_every_limit_by_its_outcome(catalog: m.Catalog) -> None:
    report = render_report(catalog)
    for subsidy in catalog.subsidies:
        for limit in subsidy.limits:
            assert f"{limit.label}【" in report and breach_zh(limit) in report
