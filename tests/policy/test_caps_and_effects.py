"""Limits do what the catalog report says they do; duration caps pay the months left; ceilings
are taken on the sum and rounded down; a refused case asks for nothing more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.policy.case import Applicant, BeneficiaryRow
from core.policy.engine import assess
from core.policy.errors import CatalogInvalid
from tests.policy.helpers import PERSON_ID, build, case, d, grant, subsidy

SID = "job_seeking_once"
ORG = Applicant("organisation", "某企业", "91610328MA6X00000X", org_type="enterprise")


def _exclusive(effect: str) -> dict[str, Any]:
    return {"id": "best", "kind": "exclusive", "mode": "choose_one", "scope": "applicant",
            "subsidies": [SID, "job_placement"], "effect": effect, "label": "择优享受其一"}  # fmt: skip


def _two(tmp: Path, *limits: dict[str, Any]) -> Any:
    other = subsidy(id="job_placement", name="职业介绍补贴", amount={"kind": "fixed", "fen": 20000})
    return build(tmp, subsidy(limits=list(limits)), other)


def test_choose_one_with_reject_refuses_once_the_other_class_is_held(tmp_path: Path) -> None:
    catalog = _two(tmp_path, _exclusive("reject"))
    free = assess(catalog, SID, case())
    assert free.decision == "eligible" and [a.amount_fen for a in free.alternatives] == [20000]
    for status in ("accepted", "approved", "paid"):
        held = case(history=(grant("job_placement", "2022-01-01", status=status, amount_fen=20000),))
        result = assess(catalog, SID, held)
        assert result.decision == "not_eligible" and result.failed == ("best",), status
        assert "不予受理" in next(o.message_zh for o in result.trace if o.rule_id == "best")
    withdrawn = case(history=(grant("job_placement", "2022-01-01", status="withdrawn"),))
    assert assess(catalog, SID, withdrawn).decision == "eligible"


def test_choose_one_with_warn_only_warns(tmp_path: Path) -> None:
    held = case(history=(grant("job_placement", "2022-01-01", amount_fen=20000),))
    result = assess(_two(tmp_path, _exclusive("warn")), SID, held)
    assert result.decision == "eligible" and result.warnings == ("best",)


@pytest.mark.parametrize("kind", ["count_per_year", "count_lifetime", "exclusive"])
def test_cap_is_refused_where_nothing_can_be_reduced(tmp_path: Path, kind: str) -> None:
    limit = {"id": "x", "kind": kind, "max": 1, "mode": "block", "scope": "person", "subsidies": [SID],
             "effect": "cap", "label": "限制"}  # fmt: skip
    with pytest.raises(CatalogInvalid) as info:
        build(tmp_path, subsidy(limits=[limit]))
    assert "CATALOG_BAD_EFFECT" in {e.code for e in info.value.errors}


# ------------------------------------------------------------------ duration caps


ROW_FACTS = [{"id": "earlier", "label": "此前已获月数", "type": "int", "required": False}]
MONTHS = {"id": "months", "label": "申报月数", "type": "int"}


def _roster_cap(tmp: Path, **limit_over: Any) -> Any:
    limit = {"id": "six", "kind": "max_duration_months", "months": 6, "fact": "months", "earlier_fact": "earlier",
             "scope": "beneficiary", "subsidies": [SID], "effect": "cap", "label": "最长6个月"}  # fmt: skip
    limit.update(limit_over)
    limit = {k: v for k, v in limit.items() if v is not None}
    s = subsidy(
        applicant={"kind": "organisation"},
        event_fact=None,
        facts=[MONTHS],
        beneficiary={"label": "以工代训人员", "categories": ["poverty_alleviated"], "facts": ROW_FACTS},
        amount={"kind": "per_unit", "fen": 60000, "units": [{"beneficiaries": "eligible"}, {"fact": "months", "max": 6}]},
        limits=[limit],
    )  # fmt: skip
    return build(tmp, s)


def _rows(*earlier: int | None) -> tuple[BeneficiaryRow, ...]:
    return tuple(
        BeneficiaryRow(f"61032819900101{i:04d}", f"人{i}", frozenset({"poverty_alleviated"}),
                       {} if e is None else {"earlier": e})
        for i, e in enumerate(earlier)
    )  # fmt: skip


def _org_case(months: int, rows: tuple[BeneficiaryRow, ...], **over: Any) -> Any:
    return case(facts={"months": months, "employment_date": None, "contract_months": None},
                applicant=ORG, beneficiaries=rows, **over)  # fmt: skip


def test_roster_cap_pays_each_person_the_months_left(tmp_path: Path) -> None:
    catalog = _roster_cap(tmp_path)
    result = assess(catalog, SID, _org_case(6, _rows(None, 5, 2, 6)))
    # 6 + 1 + 4 months; the one who already had 6 months is left out, named with the reason.
    assert result.amount_fen == 60000 * 11
    assert [e.name for e in result.excluded] == ["人3"]
    line = next(o for o in result.trace if o.rule_id == "six")
    assert "人1" in line.message_zh and "剩余的1个月" in line.message_zh


def test_roster_cap_counts_history_months_and_takes_the_larger(tmp_path: Path) -> None:
    catalog = _roster_cap(tmp_path)
    rows = _rows(1)
    history = (grant(SID, "2022-01-01", person=rows[0].id_number, applicant=ORG.id_number, months=4),)
    assert assess(catalog, SID, _org_case(6, rows, history=history)).amount_fen == 60000 * 2


def test_roster_cap_by_year_counts_only_the_same_year(tmp_path: Path) -> None:
    catalog = _roster_cap(tmp_path, per_year=True, year_of="application", earlier_fact=None)
    rows = _rows(None)
    who = rows[0].id_number
    history = (
        grant(SID, "2021-03-01", person=who, applicant=ORG.id_number, months=6),
        grant(SID, "2022-01-05", person=who, applicant=ORG.id_number, months=2),
    )
    assert assess(catalog, SID, _org_case(6, rows, history=history)).amount_fen == 60000 * 4


def test_earlier_fact_of_a_beneficiary_limit_must_be_a_row_or_case_fact(tmp_path: Path) -> None:
    with pytest.raises(CatalogInvalid) as info:
        _roster_cap(tmp_path, earlier_fact="nothing")
    assert "CATALOG_UNKNOWN_FACT" in {e.code for e in info.value.errors}


def test_applicant_cap_cuts_an_amount_not_counted_in_months_pro_rata(tmp_path: Path) -> None:
    facts = [MONTHS, {"id": "rent_fen", "label": "租金", "type": "money"}]
    limit = {"id": "two_years", "kind": "max_duration_months", "months": 24, "fact": "months", "scope": "applicant",
             "subsidies": [SID], "effect": "cap", "label": "两年"}  # fmt: skip
    s = subsidy(
        applicant={"kind": "organisation"}, event_fact=None, facts=facts, limits=[limit],
        amount={"kind": "percent", "base": ["rent_fen"], "percent": "50", "rounding": "down"},
    )  # fmt: skip
    history = (grant(SID, "2021-12-01", person="", applicant=ORG.id_number, months=23),)
    c = case(facts={"months": 7, "rent_fen": 100001, "employment_date": None, "contract_months": None},
             applicant=ORG, history=history)  # fmt: skip
    result = assess(build(tmp_path, s), SID, c)
    # 50% of 1000.01 is 500.00 (down); one month of seven: 71.42 (down, never a fen over).
    assert result.amount_fen == 50000 * 1 // 7
    assert "1/7" in next(o.message_zh for o in result.trace if o.rule_id == "two_years")


@pytest.mark.parametrize(("rounding", "expected"), [("down", 1), ("half_up", 2)])
def test_percent_of_a_sum(tmp_path: Path, rounding: str, expected: int) -> None:
    facts = [{"id": "a_fen", "label": "甲", "type": "money"}, {"id": "b_fen", "label": "乙", "type": "money"}]
    rule = {"kind": "percent", "base": ["a_fen", "b_fen"], "percent": "50", "rounding": rounding}
    s = subsidy(facts=[*subsidy()["facts"], *facts], amount=rule)
    result = assess(build(tmp_path, s), SID, case(facts={"a_fen": 1, "b_fen": 2}))
    assert result.amount_fen == expected


def test_applicants_same_and_others(tmp_path: Path) -> None:
    def catalog(whose: str) -> Any:
        limit = {"id": "once", "kind": "count_lifetime", "max": 1, "scope": "beneficiary", "applicants": whose,
                 "subsidies": [SID], "effect": "reject", "label": "一次"}  # fmt: skip
        s = subsidy(applicant={"kind": "organisation"}, event_fact=None, facts=[], limits=[limit],
                    beneficiary={"label": "人员", "categories": ["poverty_alleviated"], "facts": []},
                    amount={"kind": "per_unit", "fen": 100, "units": [{"beneficiaries": "eligible"}]})  # fmt: skip
        return build(tmp_path, s)

    rows = _rows(None)
    elsewhere = (grant(SID, "2021-01-01", person=rows[0].id_number, applicant="91610328MA6Y00000Y"),)
    c = case(
        facts={"employment_date": None, "contract_months": None},
        applicant=ORG,
        beneficiaries=rows,
        history=elsewhere,
    )
    assert assess(catalog("same"), SID, c).amount_fen == 100
    assert assess(catalog("others"), SID, c).decision == "not_eligible"
    assert assess(catalog("any"), SID, c).decision == "not_eligible"


def test_refused_case_asks_for_nothing_more(tmp_path: Path) -> None:
    s = subsidy(
        eligibility=[{"id": "c", "label": "条件", "test": {"fact": "cross_province", "op": "is_true"}}]
    )
    outsider = Applicant("person", "李四", PERSON_ID, frozenset({"veteran"}))
    result = assess(build(tmp_path, s), SID, case(facts={"contract_months": None}, applicant=outsider))
    assert result.decision == "not_eligible" and result.missing_facts == ()
    assert not [o for o in result.trace if o.outcome == "unknown"]
    assert any("无需再补充" in o.message_zh for o in result.trace)
    assert d("2022-01-10")  # the helper's default event date stays in the case
