"""Readings the county decides: the format, the loader's checks, the engine and the report."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from core.policy.case import case_from_document
from core.policy.engine import assess
from core.policy.errors import CaseInputError, CatalogInvalid
from core.policy.explain import format_assessment
from core.policy.report import render_report
from core.policy.selection import county_selection, default_selection
from core.policy.service import catalogs_by_id
from tests.policy.helpers import PERSON_ID, build, case, d, subsidy

SID = "job_seeking_once"
WINDOW = {"id": "w6", "kind": "after_event", "event": "employment_date", "open_months": 0, "close_months": 6,
          "effect": "reject", "label": "应在6个月内申请", "reading": "R-should",
          "variants": {"advisory": {"effect": "warn", "label": "应在6个月内申请（只提示）"}}}  # fmt: skip
READING = {"id": "R-should", "question": "“应在6个月内”超期怎样处理？", "reading": "由县确定。",
           "subsidies": [SID],
           "alternatives": [{"id": "mandatory", "label": "不予受理"}, {"id": "advisory", "label": "只提示"}],
           "default": "mandatory"}  # fmt: skip
LATE = "2022-08-01"  # employment 2022-01-10: the six months ended 2022-07-11


def _catalog(tmp: Path, *, reading: dict[str, Any] | None = None, **over: Any) -> Any:
    s = subsidy(windows=[over.pop("window", WINDOW)], **over)
    return build(tmp, s, readings=[reading or READING])


def _errors(tmp: Path, **over: Any) -> set[str]:
    with pytest.raises(CatalogInvalid) as info:
        _catalog(tmp, **over)
    return {e.code for e in info.value.errors}


def test_default_applies_until_the_county_chooses(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    refused = assess(catalog, SID, case(LATE))
    assert refused.decision == "not_eligible" and refused.failed == ("w6",)
    [applied] = refused.applied_readings
    assert (applied.reading_id, applied.alternative_id, applied.by_default) == ("R-should", "mandatory", True)
    warned = assess(catalog, SID, case(LATE, readings={"R-should": "advisory"}))
    assert warned.decision == "eligible" and warned.warnings == ("w6",)
    assert (
        warned.applied_readings[0].alternative_label == "只提示" and not warned.applied_readings[0].by_default
    )
    chosen_default = assess(catalog, SID, case(LATE, readings={"R-should": "mandatory"}))
    assert chosen_default.decision == "not_eligible" and not chosen_default.applied_readings[0].by_default


def test_assessment_records_and_explains_the_alternative(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    result = assess(catalog, SID, case(LATE))
    stored = result.to_dict()["applied_readings"][0]
    assert stored["alternative_id"] == "mandatory" and stored["by_default"] is True
    text = format_assessment(result, catalog)
    assert "县人社局确定的理解" in text and "采用：不予受理（县人社局尚未选择，按目录默认）" in text


def test_a_variant_can_drop_the_rule(tmp_path: Path) -> None:
    window = {**WINDOW, "variants": {"advisory": {"active": False}}}
    catalog = _catalog(tmp_path, window=window)
    result = assess(catalog, SID, case(LATE, readings={"R-should": "advisory"}))
    assert result.decision == "eligible" and not [o for o in result.trace if o.rule_id == "w6"]


def test_conditions_and_roster_rules_follow_the_selection_too(tmp_path: Path) -> None:
    cond = {"id": "c", "label": "跨省", "test": {"fact": "cross_province", "op": "is_true"}, "reading": "R-should",
            "variants": {"advisory": {"test": {"fact": "contract_months", "op": ">=", "value": 1}}}}  # fmt: skip
    catalog = _catalog(
        tmp_path,
        eligibility=[cond],
        window={k: v for k, v in WINDOW.items() if k not in ("reading", "variants")},
    )
    facts = {"cross_province": False}
    assert assess(catalog, SID, case(facts=facts)).failed == ("c",)
    assert assess(catalog, SID, case(facts=facts, readings={"R-should": "advisory"})).decision == "eligible"


@pytest.mark.parametrize(
    ("readings", "code"),
    [({"R-none": "x"}, "CASE_UNKNOWN_READING"), ({"R-should": "maybe"}, "CASE_BAD_READING_CHOICE")],
)
def test_a_bad_selection_is_refused_with_a_chinese_message(
    tmp_path: Path, readings: dict[str, str], code: str
) -> None:
    with pytest.raises(CaseInputError) as info:
        assess(_catalog(tmp_path), SID, case(readings=readings))
    assert info.value.code == code and "解读" in info.value.message_zh


def test_case_document_carries_the_selection(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    doc = {"catalog": "test-cat", "subsidy": SID, "application_date": LATE, "readings": {"R-should": "advisory"},
           "applicant": {"kind": "person", "name": "张三", "id_number": PERSON_ID, "categories": ["poverty_alleviated"]},
           "facts": {"employment_date": "2022-01-10", "contract_months": 12}}  # fmt: skip
    _, sid, c = case_from_document(doc, {"test-cat": catalog})
    assert c.readings == {"R-should": "advisory"} and assess(catalog, sid, c).decision == "eligible"


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"reading": {**READING, "default": "sometimes"}}, "CATALOG_BAD_VALUE"),
        ({"reading": {**READING, "alternatives": [{"id": "only", "label": "唯一"}], "default": "only"}}, "CATALOG_BAD_VALUE"),
        ({"window": {**WINDOW, "reading": "R-other"}}, "CATALOG_UNKNOWN_READING"),
        ({"window": {**WINDOW, "variants": {"sometimes": {"effect": "warn"}}}}, "CATALOG_BAD_VALUE"),
        ({"window": {**WINDOW, "variants": {"advisory": {"id": "w7"}}}}, "CATALOG_BAD_VARIANT"),
        ({"window": {**WINDOW, "variants": {"mandatory": {"effect": "warn"}}}}, "CATALOG_BAD_VARIANT"),
        ({"window": {**WINDOW, "variants": {"advisory": {"effect": "sometimes"}}}}, "CATALOG_BAD_VALUE"),
        ({"window": {**WINDOW, "variants": {"advisory": {"event": "no_such_fact"}}}}, "CATALOG_UNKNOWN_FACT"),
        ({"reading": {**READING, "subsidies": ["job_placement"]}}, "CATALOG_UNKNOWN_SUBSIDY"),
        ({"window": {k: v for k, v in WINDOW.items() if k not in ("reading", "variants")}}, "CATALOG_READING_UNUSED"),
    ],
)  # fmt: skip
def test_loader_checks_readings_and_variants(tmp_path: Path, over: dict[str, Any], code: str) -> None:
    assert code in _errors(tmp_path, **over)


def test_loader_collects_every_error_at_once(tmp_path: Path) -> None:
    window = {**WINDOW, "variants": {"sometimes": {"effect": "warn"}, "advisory": {"id": "x"}}}
    reading = {**READING, "default": "never"}
    assert {"CATALOG_BAD_VALUE", "CATALOG_BAD_VARIANT"} <= _errors(tmp_path, window=window, reading=reading)


def test_reading_must_list_the_subsidy_that_depends_on_it(tmp_path: Path) -> None:
    other = subsidy(id="job_placement", name="职业介绍补贴")
    s = subsidy(windows=[WINDOW])
    with pytest.raises(CatalogInvalid) as info:
        build(tmp_path, s, other, readings=[{**READING, "subsidies": ["job_placement"]}])
    assert "CATALOG_READING_SUBSIDY" in {e.code for e in info.value.errors}


def test_report_shows_alternatives_default_and_each_rule_under_each(tmp_path: Path) -> None:
    report = render_report(_catalog(tmp_path))
    assert "由县人社局确定。可选理解：1. 不予受理；2. 只提示。县人社局未选择时采用：不予受理" in report
    assert (
        "本条随县人社局确定的理解而定——1. 不予受理（默认）：如上；2. 只提示：应在6个月内申请（只提示）"
        in report
    )


def test_shipped_defaults_and_the_county_plug() -> None:
    qianyang = catalogs_by_id()["qianyang-2021"]
    assert default_selection(qianyang) == {
        "R-q8-startup-window": "mandatory",
        "R-q12-internship": "cap_12",
        "R-placement-window": "mandatory",
        "R-transfer": "out_of_county",
    }
    assert default_selection(catalogs_by_id()["fengdu-2021"]) == {"R-hiring-once": "per_employer"}
    assert county_selection(qianyang) == {}  # nothing stored yet: every assessment uses the defaults


def test_selection_is_cached_per_alternative(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    first = assess(catalog, SID, case(LATE, readings={"R-should": "advisory"}))
    again = assess(catalog, SID, dataclasses.replace(case(LATE), readings={"R-should": "advisory"}))
    assert first.to_dict() == again.to_dict()
    assert assess(catalog, SID, case(d("2022-03-01").isoformat())).decision == "eligible"
