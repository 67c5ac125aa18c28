"""Golden cases written from the documents (tests/policy_cases/<catalog-id>/*.json).

Each case asserts exactly what its `expect` lists (docs/catalog-format.md, "Golden cases"):
`failed` ids must each have failed; `conflicts`, `missing_facts`, `missing_materials` and
`warnings` must equal the listed ids (an empty list means none).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.policy.assessment import Assessment
from core.policy.case import case_from_document
from core.policy.engine import assess
from core.policy.loader import catalog_dir, load_all
from core.policy.service import catalogs_by_id

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "policy_cases"


def _golden() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*/*.json")):
        catalog_id = path.parent.name
        try:
            cases = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            params.append(
                pytest.param(catalog_id, {"name": "", "_error": str(exc)}, id=f"{catalog_id}/{path.name}")
            )
            continue
        for i, case in enumerate(cases if isinstance(cases, list) else []):
            name = case.get("name") or f"#{i}"
            params.append(pytest.param(catalog_id, case, id=f"{catalog_id}/{path.name}::{name}"))
    return params


def test_every_shipped_catalog_loads_without_errors() -> None:
    catalogs, errors = load_all(catalog_dir())
    assert [e.describe() for e in errors] == []
    assert catalogs


def _explain(result: Assessment) -> str:
    lines = [f"decision={result.decision} amount_fen={result.amount_fen}"]
    lines += [f"  {o.outcome:7} {o.rule_id}: {o.message_zh}" for o in result.trace]
    lines.append(
        f"  missing_facts={list(result.missing_facts)} missing_materials={list(result.missing_materials)}"
    )
    lines.append(f"  conflicts={[c.limit_id for c in result.conflicts]} warnings={list(result.warnings)}")
    return "\n".join(lines)


@pytest.mark.parametrize(("catalog_id", "golden"), _golden())
def test_golden_case(catalog_id: str, golden: dict[str, Any]) -> None:
    assert "_error" not in golden, golden.get("_error")
    catalogs = catalogs_by_id()
    assert catalog_id in catalogs, f"目录 {catalog_id} 未能加载"
    doc = {**golden["case"], "catalog": catalog_id}
    cid, sid, case = case_from_document(doc, catalogs)
    result = assess(catalogs[cid], sid, case)
    expect = golden["expect"]
    why = f"{golden.get('name')}\n{_explain(result)}"
    if "decision" in expect:
        assert result.decision == expect["decision"], why
    if "amount_fen" in expect:
        assert result.amount_fen == expect["amount_fen"], why
    if "failed" in expect:
        failed = set(result.failed)
        if expect["failed"]:
            assert set(expect["failed"]) <= failed, why
        else:
            assert not failed, why
    for key, actual in (
        ("conflicts", {c.limit_id for c in result.conflicts}),
        ("missing_facts", set(result.missing_facts)),
        ("missing_materials", set(result.missing_materials)),
        ("warnings", set(result.warnings)),
    ):
        if key in expect:
            assert actual == set(expect[key]), f"{key}: {why}"
