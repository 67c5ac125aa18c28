"""The catalog report renders every shipped catalog, in Markdown and HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.policy.loader import catalog_dir, load_all
from core.policy.report import render_report
from core.policy.service import assess_document, catalog_report, list_catalogs
from tests.policy.helpers import PERSON_ID, build, catalog_dict, subsidy, write

SHIPPED = load_all(catalog_dir())[0]


@pytest.mark.parametrize("catalog", SHIPPED, ids=[c.id for c in SHIPPED])
def test_shipped_reports_render(catalog: object) -> None:
    from core.policy.model import Catalog

    assert isinstance(catalog, Catalog)
    md = render_report(catalog, "markdown")
    assert catalog.issuer in md and all(s.name in md for s in catalog.subsidies)
    assert render_report(catalog, "html").startswith("<!DOCTYPE html>")


def test_report_words(tmp_path: Path) -> None:
    tiers = {"kind": "tiers", "value": {"fact": "contract_months"}, "tiers": [
        {"label": "一年以下", "min": None, "max": "12", "rule": {"kind": "fixed", "fen": 10000}},
        {"label": "一年以上", "min": "12", "max": None, "rule": {"kind": "fixed", "fen": 50000}}]}  # fmt: skip
    s = subsidy(
        amount=tiers,
        material_groups=[{"id": "proof", "label": "就业证明（任选其一）", "pick": 1}],
        materials=[{"id": "contract", "name": "劳动合同", "form": "copy", "group": "proof"},
                   {"id": "id_card", "name": "身份证", "form": "original_and_copy", "copies": 2, "original_returned": True}],
    )  # fmt: skip
    md = render_report(build(tmp_path, s))
    for words in (
        "固定金额 500.00 元",
        "一年以下",
        "12（不含）",
        "就业证明（任选其一）",
        "原件及复印件",
        "审核原件后退回",
    ):
        assert words in md
    with pytest.raises(ValueError):
        render_report(build(tmp_path, s), "pdf")


def test_service_functions(tmp_path: Path) -> None:
    write(tmp_path, catalog_dict())
    rows, errors = list_catalogs(tmp_path)
    assert [r.id for r in rows] == ["test-cat"] and errors == []
    assert "测试局" in catalog_report("test-cat", "markdown", tmp_path)
    doc = {"catalog": "test-cat", "subsidy": "job_seeking_once", "application_date": "2022-03-01",
           "applicant": {"kind": "person", "name": "张三", "id_number": PERSON_ID, "categories": ["poverty_alleviated"]},
           "facts": {"employment_date": "2022-01-10", "contract_months": 12}}  # fmt: skip
    assert assess_document(doc, tmp_path).amount_fen == 50000
