"""assess(): each test kind, amount kind, limit kind, window and material rule."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from core.policy.case import Applicant, BeneficiaryRow, case_from_document
from core.policy.engine import assess
from core.policy.errors import CaseInputError
from tests.policy.helpers import PERSON_ID, build, case, d, grant, subsidy

SID = "job_seeking_once"


def _cond(test: dict[str, Any]) -> dict[str, Any]:
    return subsidy(eligibility=[{"id": "c", "label": "条件", "test": test}])


def _outcome(tmp: Path, test: dict[str, Any], **facts: Any) -> str:
    result = assess(build(tmp, _cond(test)), SID, case(facts=facts))
    return next(o.outcome for o in result.trace if o.rule_id == "c")


# ------------------------------------------------------------------ tests (expression language)


@pytest.mark.parametrize(
    ("test", "facts", "outcome"),
    [
        ({"fact": "contract_months", "op": ">=", "value": 12}, {}, "pass"),
        ({"fact": "contract_months", "op": ">=", "value": 12}, {"contract_months": 11}, "fail"),
        ({"fact": "contract_months", "op": "in", "value": [6, 12]}, {}, "pass"),
        ({"fact": "employment_date", "op": "<=", "value": "2022-01-10"}, {}, "pass"),
        ({"fact": "cross_province", "op": "is_true"}, {"cross_province": False}, "fail"),
        ({"fact": "cross_province", "op": "is_true"}, {}, "unknown"),
        ({"fact": "post_type", "op": "not_in", "value": ["b"]}, {"post_type": "a"}, "pass"),
        ({"ratio": ["contract_months", "contract_months"], "op": ">=", "value": "1/3"}, {}, "pass"),
        ({"ratio": ["contract_months", "contract_months"], "op": ">=", "value": "1/3"}, {"contract_months": 0}, "fail"),
        ({"categories_any": ["monitored", "poverty_alleviated"]}, {}, "pass"),
        ({"age": {"on": "application_date"}, "op": "between", "value": [16, 32]}, {}, "pass"),
        ({"age": {"on": "fact:employment_date"}, "op": ">=", "value": 33}, {}, "fail"),
        ({"months_between": ["fact:employment_date", "application_date"], "op": ">=", "value": 1}, {}, "pass"),
        ({"all": [{"fact": "cross_province", "op": "is_true"}, {"fact": "contract_months", "op": "<", "value": 1}]}, {}, "fail"),
        ({"any": [{"fact": "cross_province", "op": "is_true"}, {"fact": "contract_months", "op": ">", "value": 1}]}, {}, "pass"),
        ({"any": [{"fact": "cross_province", "op": "is_true"}, {"fact": "contract_months", "op": "<", "value": 1}]}, {}, "unknown"),
        ({"not": {"fact": "cross_province", "op": "is_true"}}, {"cross_province": False}, "pass"),
    ],
)  # fmt: skip
def test_each_test_kind(tmp_path: Path, test: dict[str, Any], facts: dict[str, Any], outcome: str) -> None:
    assert _outcome(tmp_path, test, **facts) == outcome


def test_other_fact_comparison(tmp_path: Path) -> None:
    facts = [*subsidy()["facts"], {"id": "end_date", "label": "结束", "type": "date", "required": False}]
    s = subsidy(
        facts=facts,
        eligibility=[
            {
                "id": "c",
                "label": "x",
                "test": {"fact": "end_date", "op": ">", "other_fact": "employment_date"},
            }
        ],
    )
    result = assess(build(tmp_path, s), SID, case(facts={"end_date": d("2022-02-01")}))
    assert result.decision == "eligible"


def test_missing_fact_gives_needs_info_not_a_guess(tmp_path: Path) -> None:
    result = assess(
        build(tmp_path, _cond({"fact": "contract_months", "op": ">=", "value": 12})),
        SID,
        case(facts={"contract_months": None}),
    )
    assert result.decision == "needs_info"
    assert result.missing_facts == ("contract_months",)
    assert result.amount_fen is None


# ------------------------------------------------------------------ amounts


def _amount(
    tmp: Path, rule: dict[str, Any], params: dict[str, Any] | None = None, **facts: Any
) -> int | None:
    catalog = build(
        tmp,
        subsidy(amount=rule),
        parameters=[
            {"id": "rate_fen", "label": "标准", "type": "money", "unit": "元", "ceiling_fen": 100000}
        ],
    )
    return assess(catalog, SID, case(facts=facts, parameters=params or {})).amount_fen


@pytest.mark.parametrize(
    ("rule", "facts", "fen"),
    [
        ({"kind": "fixed", "fen": 50000}, {}, 50000),
        ({"kind": "per_unit", "fen": 10000, "units": [{"fact": "contract_months", "max": 6}]}, {}, 60000),
        ({"kind": "actual_capped", "actual": "cost_fen", "ceiling_fen": 50000}, {"cost_fen": 32150}, 32150),
        ({"kind": "actual_capped", "actual": "cost_fen", "ceiling_fen": 50000}, {"cost_fen": 50001}, 50000),
        ({"kind": "per_day", "days": "contract_months", "daily_fen": 4000, "total_cap_fen": 45000}, {}, 45000),
        ({"kind": "per_day", "days": "contract_months", "daily_fen": 4000, "daily_actual": "cost_fen"}, {"cost_fen": 3000}, 36000),
        ({"kind": "percent", "base": "cost_fen", "percent": "15"}, {"cost_fen": 330}, 50),
        ({"kind": "percent", "base": "cost_fen", "percent": "15"}, {"cost_fen": 329}, 49),
        ({"kind": "choice", "fact": "post_type", "cases": {"a": {"kind": "fixed", "fen": 1}, "b": {"kind": "fixed", "fen": 2}}}, {"post_type": "b"}, 2),
        ({"kind": "sum", "parts": [{"kind": "fixed", "fen": 1}, {"kind": "fixed", "fen": 2}]}, {}, 3),
        ({"kind": "min", "parts": [{"kind": "fixed", "fen": 5}, {"kind": "fixed", "fen": 2}], "cap_fen": 1}, {}, 1),
        ({"kind": "multiply", "rule": {"kind": "fixed", "fen": 333}, "percent": "120"}, {}, 400),
    ],
)  # fmt: skip
def test_each_amount_kind(tmp_path: Path, rule: dict[str, Any], facts: dict[str, Any], fen: int) -> None:
    assert _amount(tmp_path, rule, **facts) == fen


def test_parameter_amount_unset_then_set(tmp_path: Path) -> None:
    rule = {"kind": "parameter", "parameter": "rate_fen", "units": [{"fact": "contract_months"}]}
    assert _amount(tmp_path, rule) is None
    assert _amount(tmp_path, rule, {"rate_fen": 100}) == 1200
    assert _amount(tmp_path, rule, {"rate_fen": 100001}) is None  # above the ceiling: not a number


TIERS = {"kind": "tiers", "value": {"ratio": ["contract_months", "cost_fen"]}, "tiers": [
    {"label": "低于30%", "min": "0", "max": "3/10", "max_inclusive": False, "rule": {"kind": "fixed", "fen": 100}},
    {"label": "30%至60%", "min": "3/10", "max": "0.6", "max_inclusive": True, "rule": {"kind": "fixed", "fen": 200}},
    {"label": "60%以上", "min": "0.6", "min_inclusive": False, "max": None, "rule": {"kind": "fixed", "fen": 300}},
]}  # fmt: skip


@pytest.mark.parametrize(
    ("num", "den", "fen"), [(0, 10, 100), (29, 100, 100), (3, 10, 200), (6, 10, 200), (61, 100, 300)]
)
def test_tiers_at_exact_edges(tmp_path: Path, num: int, den: int, fen: int) -> None:
    assert _amount(tmp_path, TIERS, contract_months=num, cost_fen=den) == fen


def test_tiers_zero_denominator_fails(tmp_path: Path) -> None:
    result = assess(build(tmp_path, subsidy(amount=TIERS)), SID, case(facts={"cost_fen": 0}))
    assert result.decision == "not_eligible" and "amount" in result.failed


# ------------------------------------------------------------------ windows


WINDOW = {
    "id": "w6",
    "kind": "after_event",
    "event": "employment_date",
    "open_months": 0,
    "close_months": 6,
    "effect": "reject",
    "label": "6个月内",
}


def _window(tmp: Path, window: dict[str, Any], application: str, event: str, **over: Any) -> str:
    result = assess(
        build(tmp, subsidy(windows=[window])), SID, case(application, {"employment_date": d(event)}, **over)
    )
    return next(o.outcome for o in result.trace if o.rule_id == window["id"])


def test_last_day_of_window_accepted_next_day_rejected(tmp_path: Path) -> None:
    # 2022-01-10 + 6 months ends Sunday 2022-07-10: extended to Monday 2022-07-11 (art. 203).
    assert _window(tmp_path, WINDOW, "2022-07-11", "2022-01-10") == "pass"
    assert _window(tmp_path, WINDOW, "2022-07-12", "2022-01-10") == "fail"
    # 2021-08-31 + 6 months ends Monday 2022-02-28.
    assert _window(tmp_path, WINDOW, "2022-02-28", "2021-08-31") == "pass"
    assert _window(tmp_path, WINDOW, "2022-03-01", "2021-08-31") == "fail"


def test_holiday_extends_and_make_up_workday_does_not(tmp_path: Path) -> None:
    assert (
        _window(tmp_path, WINDOW, "2022-03-01", "2021-08-31", holidays=frozenset({d("2022-02-28")})) == "pass"
    )
    w = {**WINDOW, "close_months": 1}
    # 2022-01-09 + 1 month = Wednesday 2022-02-09; a Saturday make-up day is simply a working day.
    assert _window(tmp_path, w, "2022-02-10", "2022-01-09") == "fail"


def test_seven_to_twelve_month_window(tmp_path: Path) -> None:
    w = {**WINDOW, "id": "w712", "open_months": 6, "close_months": 12}
    assert _window(tmp_path, w, "2021-07-15", "2021-01-15") == "fail"
    assert _window(tmp_path, w, "2021-07-16", "2021-01-15") == "pass"  # first day of month 7
    assert _window(tmp_path, w, "2022-01-17", "2021-01-15") == "pass"  # 01-15 is Saturday → Monday
    assert _window(tmp_path, w, "2022-01-18", "2021-01-15") == "fail"


def test_other_window_kinds(tmp_path: Path) -> None:
    year_end = {
        "id": "ye",
        "kind": "by_year_end",
        "event": "employment_date",
        "effect": "warn",
        "label": "年底前",
    }
    assert _window(tmp_path, year_end, "2023-01-02", "2022-03-01") == "pass"  # 2022-12-31 is Saturday
    assert _window(tmp_path, year_end, "2023-01-03", "2022-03-01") == "warn"
    deadline = {"id": "dl", "kind": "deadline", "date": "2021-12-31", "effect": "reject", "label": "受理期限"}
    assert _window(tmp_path, deadline, "2022-01-01", "2021-10-01") == "fail"
    months = {
        "id": "m12",
        "kind": "application_months",
        "months": [12],
        "effect": "warn",
        "label": "12月申报",
    }
    assert _window(tmp_path, months, "2022-11-30", "2022-01-10") == "warn"


def test_policy_period_by_event(tmp_path: Path) -> None:
    catalog = build(tmp_path, subsidy())
    assert assess(catalog, SID, case("2022-01-05", {"employment_date": d("2021-09-05")})).failed == (
        "policy_period",
    )
    open_end = build(
        tmp_path, subsidy(), policy_period={"from": "2021-01-01", "to": None, "basis": "application"}
    )
    assert (
        assess(open_end, SID, case("2031-01-05", {"employment_date": d("2030-09-05")})).decision == "eligible"
    )


# ------------------------------------------------------------------ limits


ONE_OF_TWO = {
    "id": "one_of_two",
    "kind": "count_per_year",
    "max": 1,
    "scope": "person",
    "subsidies": [SID, "job_placement"],
    "year_of": "event",
    "effect": "reject",
    "label": "二者之一",
}


def _two(tmp: Path, limit: dict[str, Any]) -> Any:
    return build(
        tmp,
        subsidy(limits=[limit]),
        subsidy(id="job_placement", name="职业介绍补贴", amount={"kind": "fixed", "fen": 20000}),
    )


def test_count_per_year_by_event_year(tmp_path: Path) -> None:
    catalog = _two(tmp_path, ONE_OF_TWO)
    same_year = case(history=(grant("job_placement", "2022-01-02"),))
    result = assess(catalog, SID, same_year)
    assert result.decision == "not_eligible" and [c.limit_id for c in result.conflicts] == ["one_of_two"]
    # event in 2021, applied in 2022: by event year it does not collide with a 2022 event
    other_year = case(history=(grant("job_placement", "2021-12-20", "2022-01-05"),))
    assert assess(catalog, SID, other_year).decision == "eligible"
    by_application = _two(tmp_path, {**ONE_OF_TWO, "year_of": "application"})
    assert assess(by_application, SID, other_year).decision == "not_eligible"
    rejected = case(history=(grant("job_placement", "2022-01-02", status="rejected"),))
    assert assess(catalog, SID, rejected).decision == "eligible"


def test_count_lifetime(tmp_path: Path) -> None:
    limit = {**ONE_OF_TWO, "kind": "count_lifetime", "subsidies": [SID], "effect": "warn"}
    result = assess(_two(tmp_path, limit), SID, case(history=(grant(SID, "2015-01-01"),)))
    assert result.decision == "eligible" and result.warnings == ("one_of_two",)


def test_amount_per_year_cap_reduces_amount(tmp_path: Path) -> None:
    limit = {
        "id": "cap",
        "kind": "amount_per_year",
        "max_fen": 80000,
        "scope": "person",
        "subsidies": [SID, "job_placement"],
        "year_of": "event",
        "effect": "cap",
        "label": "每年8百",
    }
    catalog = _two(tmp_path, limit)
    result = assess(catalog, SID, case(history=(grant("job_placement", "2022-02-01", amount_fen=50000),)))
    assert result.decision == "eligible" and result.amount_fen == 30000
    assert [c.limit_id for c in result.conflicts] == ["cap"]
    used_up = case(history=(grant("job_placement", "2022-02-01", amount_fen=80000),))
    assert assess(catalog, SID, used_up).decision == "not_eligible"


def test_exclusive_choose_one_shows_both_amounts(tmp_path: Path) -> None:
    limit = {
        "id": "best",
        "kind": "exclusive",
        "mode": "choose_one",
        "scope": "applicant",
        "subsidies": [SID, "job_placement"],
        "effect": "warn",
        "label": "择优享受",
    }
    catalog = _two(tmp_path, limit)
    result = assess(catalog, SID, case())
    assert [(a.subsidy_id, a.amount_fen) for a in result.alternatives] == [("job_placement", 20000)]
    held = assess(catalog, SID, case(history=(grant("job_placement", "2022-01-01", amount_fen=20000),)))
    assert held.decision == "eligible" and held.amount_fen == 50000 and held.warnings == ("best",)
    message = next(o.message_zh for o in held.trace if o.rule_id == "best")
    assert "200.00 元" in message and "500.00 元" in message


def test_max_duration_months_cap(tmp_path: Path) -> None:
    limit = {
        "id": "dur",
        "kind": "max_duration_months",
        "months": 36,
        "fact": "contract_months",
        "scope": "person",
        "subsidies": [SID],
        "effect": "cap",
        "label": "最长3年",
    }
    s = subsidy(
        limits=[limit], amount={"kind": "per_unit", "fen": 100, "units": [{"fact": "contract_months"}]}
    )
    result = assess(build(tmp_path, s), SID, case(history=(grant(SID, "2020-01-01", months=30),)))
    assert result.amount_fen == 600


# ------------------------------------------------------------------ applicant, roster, materials


def test_applicant_category_and_handler(tmp_path: Path) -> None:
    catalog = build(tmp_path, subsidy())
    outsider = Applicant("person", "李四", PERSON_ID, frozenset({"veteran"}))
    assert assess(catalog, SID, case(applicant=outsider)).failed == ("applicant_categories",)
    assert assess(catalog, SID, case(submitted_by="spouse")).decision == "eligible"
    assert assess(catalog, SID, case(submitted_by="adult_child")).failed == ("submitted_by",)


def test_roster_rows_excluded_one_by_one(tmp_path: Path) -> None:
    roster = {"label": "被介绍人员", "categories": ["poverty_alleviated"],
              "facts": [{"id": "months", "label": "合同期限", "type": "int"}],
              "eligibility": [{"id": "r12", "label": "合同1年以上", "test": {"fact": "months", "op": ">=", "value": 12}}],
              "min_count": 2}  # fmt: skip
    s = subsidy(applicant={"kind": "organisation", "org_types": ["placement_agency"]}, beneficiary=roster,
                amount={"kind": "per_unit", "fen": 20000, "units": [{"beneficiaries": "eligible"}]})  # fmt: skip
    org = Applicant("organisation", "某职介所", "91610328MA6X00000X", org_type="placement_agency")
    rows = tuple(
        BeneficiaryRow(f"61032819900101{i:04d}", f"人{i}", frozenset({"poverty_alleviated"}), {"months": m})
        for i, m in enumerate([12, 24, 6])
    )
    result = assess(build(tmp_path, s), SID, case(applicant=org, beneficiaries=rows))
    assert result.amount_fen == 40000
    assert [e.name for e in result.excluded] == ["人2"]
    too_few = assess(build(tmp_path, s), SID, case(applicant=org, beneficiaries=rows[1:]))
    assert too_few.failed == ("beneficiary_min_count",)


def test_missing_materials_with_groups_and_conditions(tmp_path: Path) -> None:
    s = subsidy(
        material_groups=[{"id": "proof", "label": "就业证明（任选其一）", "pick": 1}],
        materials=[
            {"id": "contract", "name": "劳动合同", "form": "copy", "group": "proof"},
            {"id": "certificate", "name": "就业证明", "form": "original", "group": "proof"},
            {"id": "id_card", "name": "身份证", "form": "original_and_copy", "copies": 2, "original_returned": True},
            {"id": "diploma", "name": "毕业证", "form": "copy", "required_when": {"categories_any": ["graduate"]}},
        ],
    )  # fmt: skip
    catalog = build(tmp_path, s)
    assert assess(catalog, SID, case()).missing_materials == ("id_card", "proof")
    done = assess(catalog, SID, case(materials_received=frozenset({"certificate", "id_card"})))
    assert done.missing_materials == () and done.decision == "eligible"


# ------------------------------------------------------------------ case documents and output


def _doc(**over: Any) -> dict[str, Any]:
    doc = {"catalog": "test-cat", "subsidy": SID, "application_date": "2022-03-01",
           "applicant": {"kind": "person", "name": "张三", "id_number": PERSON_ID, "categories": ["poverty_alleviated"]},
           "facts": {"employment_date": "2022-01-10", "contract_months": 12}}  # fmt: skip
    doc.update(over)
    return doc


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"catalog": "nope"}, "CASE_UNKNOWN_CATALOG"),
        ({"subsidy": "nope"}, "CASE_UNKNOWN_SUBSIDY"),
        ({"application_date": "2022-02-30"}, "CASE_BAD_DATE"),
        ({"facts": {"employment_date": "2022/01/10"}}, "CASE_BAD_DATE"),
        ({"facts": {"contract_months": "12"}}, "CASE_FACT_TYPE"),
        ({"facts": {"contract_months": 700}}, "CASE_FACT_RANGE"),
        ({"facts": {"contract_month": 12}}, "CASE_UNKNOWN_FACT"),
        ({"facts": {"post_type": "c"}}, "CASE_FACT_TYPE"),
        ({"materials_received": ["nothing"]}, "CASE_UNKNOWN_MATERIAL"),
    ],
)
def test_case_document_errors(tmp_path: Path, over: dict[str, Any], code: str) -> None:
    catalogs = {"test-cat": build(tmp_path, subsidy())}
    with pytest.raises(CaseInputError) as info:
        case_from_document(_doc(**over), catalogs)
    assert info.value.code == code
    assert info.value.message_zh


def test_assess_checks_fact_types_of_a_built_case(tmp_path: Path) -> None:
    bad = dataclasses.replace(case(), facts={"employment_date": "2022-01-10", "contract_months": 12})
    with pytest.raises(CaseInputError) as info:
        assess(build(tmp_path, subsidy()), SID, bad)
    assert info.value.code == "CASE_FACT_TYPE" and "实现就业日期" in info.value.message_zh


def test_assessment_is_json_and_deterministic(tmp_path: Path) -> None:
    catalogs = {"test-cat": build(tmp_path, subsidy())}
    cid, sid, c = case_from_document(
        _doc(
            history=[
                {
                    "subsidy": SID,
                    "catalog": "test-cat",
                    "person": PERSON_ID,
                    "applicant": PERSON_ID,
                    "event_date": "2021-01-01",
                    "application_date": "2021-02-01",
                    "amount_fen": 50000,
                    "status": "paid",
                }
            ]
        ),
        catalogs,
    )
    first = assess(catalogs[cid], sid, c).to_dict()
    assert first == assess(catalogs[cid], sid, c).to_dict()
    text = json.dumps(first, ensure_ascii=False)
    assert first["decision"] == "eligible" and first["amount_fen"] == 50000 and first["catalog_hash"]
    assert "核定金额500.00 元" in text
