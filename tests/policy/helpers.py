"""Small catalogs built in tests, so each rule kind is tested on its own."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from core.policy import model as m
from core.policy.case import Applicant, CaseInput, HistoryGrant
from core.policy.loader import load_catalog

CLAUSE = {"section": "二(一)1", "text": "测试条款。"}
PERSON_ID = "610328199001011234"

FACTS: list[dict[str, Any]] = [
    {"id": "employment_date", "label": "实现就业日期", "type": "date"},
    {"id": "contract_months", "label": "劳动合同期限", "type": "int", "unit": "个月", "min": 0, "max": 600},
    {"id": "cost_fen", "label": "实际交通费", "type": "money", "required": False},
    {"id": "cross_province", "label": "是否跨省", "type": "bool", "required": False},
    {"id": "post_type", "label": "岗位类别", "type": "choice", "required": False,
     "choices": [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"}]},
]  # fmt: skip


def subsidy(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "job_seeking_once", "name": "一次性求职补贴", "summary": "测试", "clause": CLAUSE,
        "applicant": {"kind": "person", "on_behalf": ["spouse"], "categories": ["poverty_alleviated"]},
        "event_fact": "employment_date", "facts": copy.deepcopy(FACTS), "eligibility": [],
        "beneficiary": None, "amount": {"kind": "fixed", "fen": 50000}, "windows": [], "limits": [],
        "material_groups": [], "materials": [], "route": None, "notes": [],
    }  # fmt: skip
    base.update(over)
    return base


def catalog_dict(*subsidies: dict[str, Any], **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": 1, "id": "test-cat", "version": "1.0.0", "title": "测试文件", "short_name": "测试",
        "issuer": "测试局", "document_number": "测〔2021〕1号", "issued_on": "2021-09-06",
        "source_file": "none.txt", "region": "测试县",
        "policy_period": {"from": "2021-09-06", "to": "2025-12-31", "basis": "event", "clause": CLAUSE},
        "parameters": [], "readings": [], "subsidies": list(subsidies) or [subsidy()],
    }  # fmt: skip
    base.update(over)
    return base


def write(tmp: Path, data: dict[str, Any], name: str | None = None) -> Path:
    path = tmp / f"{name or data.get('id', 'x')}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def build(tmp: Path, *subsidies: dict[str, Any], **over: Any) -> m.Catalog:
    return load_catalog(write(tmp, catalog_dict(*subsidies, **over)))


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def case(application: str = "2022-03-01", facts: dict[str, Any] | None = None, **over: Any) -> CaseInput:
    base_facts: dict[str, Any] = {"employment_date": d("2022-01-10"), "contract_months": 12}
    if facts is not None:
        base_facts = {k: v for k, v in {**base_facts, **facts}.items() if v is not None}
    applicant = over.pop(
        "applicant", Applicant("person", "张三", PERSON_ID, frozenset({"poverty_alleviated"}))
    )
    return CaseInput(application_date=d(application), applicant=applicant, facts=base_facts, **over)


def grant(subsidy_id: str, event: str, application: str | None = None, **over: Any) -> HistoryGrant:
    values: dict[str, Any] = {
        "subsidy": subsidy_id, "catalog": "test-cat", "person": PERSON_ID, "applicant": PERSON_ID,
        "event_date": d(event), "application_date": d(application or event), "amount_fen": 50000,
        "status": "paid",
    }  # fmt: skip
    values.update(over)
    return HistoryGrant(**values)
