"""Loader: every error of a file collected with file, subsidy and field."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from core.policy.errors import CatalogInvalid
from core.policy.loader import catalog_dir, load_all, load_catalog, read_catalog
from tests.policy.helpers import CLAUSE, catalog_dict, subsidy, write


def _broken() -> dict[str, object]:
    bad = subsidy(
        eligibility=[{"id": "c1", "label": "合同", "test": {"fact": "contract_month", "op": ">=", "value": 12}}],
        amount={"kind": "tiers", "value": {"fact": "contract_months"}, "tiers": [
            {"label": "低", "min": "0", "max": "12", "max_inclusive": True, "rule": {"kind": "fixed", "fen": 500.5}},
            {"label": "中", "min": "12", "max": "24", "rule": {"kind": "parameter", "parameter": "nope"}},
            {"label": "高", "min": "25", "max": None, "rule": {"kind": "fixed", "fen": 1}},
        ]},
        windows=[{"id": "w", "kind": "after_event", "event": "hire_date", "open_months": 0,
                  "close_months": 6, "effect": "reject", "label": "6个月内"}],
        limits=[{"id": "l", "kind": "count_per_year", "max": 1, "scope": "person", "year_of": "event",
                 "subsidies": ["job_seeking_once", "ghost"], "effect": "reject", "label": "每年一次"}],
        material_groups=[{"id": "proof", "label": "就业证明", "pick": 1}],
        materials=[{"id": "contract", "name": "劳动合同", "form": "copy", "group": "proofs"}],
    )  # fmt: skip
    dup = subsidy(name="重复")
    return catalog_dict(bad, dup, policy_period={"from": "2021-02-30", "to": None, "basis": "event"})


def test_broken_catalog_reports_every_error(tmp_path: Path) -> None:
    path = write(tmp_path, _broken())
    _, errors = read_catalog(path)
    codes = {(e.subsidy_id, e.field_path, e.code) for e in errors}
    expected = {
        ("job_seeking_once", "eligibility[0].test.fact", "CATALOG_UNKNOWN_FACT"),
        ("job_seeking_once", "amount.tiers[0].rule.fen", "CATALOG_MONEY_NOT_INT"),
        ("job_seeking_once", "amount.tiers[1].rule.parameter", "CATALOG_UNKNOWN_PARAMETER"),
        ("job_seeking_once", "amount.tiers[1]", "CATALOG_TIER_OVERLAP"),
        ("job_seeking_once", "amount.tiers[2]", "CATALOG_TIER_GAP"),
        ("job_seeking_once", "windows[0].event", "CATALOG_UNKNOWN_FACT"),
        ("job_seeking_once", "limits[0].subsidies[1]", "CATALOG_UNKNOWN_SUBSIDY"),
        ("job_seeking_once", "materials[0].group", "CATALOG_UNKNOWN_GROUP"),
        (None, "subsidies[1].id", "CATALOG_DUPLICATE_ID"),
        (None, "policy_period.from", "CATALOG_BAD_DATE"),
    }
    assert expected <= codes
    assert all(e.file == path.name for e in errors)
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(path)
    assert len(info.value.errors) == len(errors)


def test_unknown_keys_and_bad_ratios(tmp_path: Path) -> None:
    s = subsidy(amount={"kind": "percent", "base": "cost_fen", "percent": 15.0}, extra=1)
    _, errors = read_catalog(write(tmp_path, catalog_dict(s)))
    assert {e.code for e in errors} >= {"CATALOG_UNKNOWN_KEY", "CATALOG_BAD_RATIO"}


def test_wrong_fact_type_in_test_and_rule(tmp_path: Path) -> None:
    s = subsidy(
        eligibility=[{"id": "c", "label": "x", "test": {"fact": "contract_months", "op": "is_true"}},
                     {"id": "c2", "label": "x", "test": {"fact": "post_type", "op": "==", "value": "z"}}],
        amount={"kind": "actual_capped", "actual": "contract_months", "ceiling_fen": 100},
    )  # fmt: skip
    _, errors = read_catalog(write(tmp_path, catalog_dict(s)))
    assert {e.field_path for e in errors} >= {
        "eligibility[0].test.op",
        "eligibility[1].test.value",
        "amount.actual",
    }


def test_good_catalog_loads_with_hash(tmp_path: Path) -> None:
    path = write(tmp_path, catalog_dict())
    catalog = load_catalog(path)
    assert catalog.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert catalog.subsidies[0].clause is not None
    assert catalog.subsidies[0].clause.text == CLAUSE["text"]


def test_load_all_survives_broken_files(tmp_path: Path) -> None:
    write(tmp_path, catalog_dict())
    (tmp_path / "garbage.json").write_text("{not json", encoding="utf-8")
    write(tmp_path, _broken(), name="broken")
    catalogs, errors = load_all(tmp_path)
    assert [c.id for c in catalogs] == ["test-cat"]
    files = {e.file for e in errors}
    assert files == {"garbage.json", "broken.json"}
    assert any(e.code == "CATALOG_NOT_JSON" for e in errors)


def test_catalog_id_must_match_file_name(tmp_path: Path) -> None:
    _, errors = read_catalog(write(tmp_path, catalog_dict(), name="other"))
    assert [e.code for e in errors] == ["CATALOG_ID_FILENAME"]


def test_catalog_dir_points_at_resources() -> None:
    assert catalog_dir().parts[-2:] == ("resources", "policies")


def test_check_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from core.policy.check import main

    good = write(tmp_path, catalog_dict())
    bad = write(tmp_path, _broken(), name="broken")
    assert main([str(good), "--no-verbatim"]) == 0
    assert main([str(good), str(bad), "--no-verbatim"]) == 1
    out = capsys.readouterr().out
    assert "CATALOG_UNKNOWN_FACT" in out and "eligibility[0].test.fact" in out
