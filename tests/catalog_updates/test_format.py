"""The catalog format's update keys: extensions and the county's choices, checked like the rest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from core.policy.check import check_file, seeds_dir
from core.policy.installed import effective_files, newer, version_key
from core.policy.loader import read_catalog
from core.policy.service import get_catalog
from core.policy.update import UpdateChanges, UpdateRefused, build, next_version
from core.resources import resource_dir
from tests.catalog_updates.conftest import CATALOG, TEST_NOTICE


def _write(tmp_path: Path, raw: dict) -> Path:
    path = tmp_path / f"{raw['id']}.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def _raw() -> dict:
    return json.loads((resource_dir("policies") / f"{CATALOG}.json").read_text(encoding="utf-8"))


def test_an_extended_catalog_ends_later_and_cites_the_notice(tmp_path: Path) -> None:
    data, catalog = build(get_catalog(CATALOG), UpdateChanges(extension=TEST_NOTICE))
    period = catalog.policy_period
    assert (period.end, period.document_end) == (dt.date(2026, 12, 31), dt.date(2025, 12, 31))
    assert period.clause is not None and period.clause.section == "千人社函〔2026〕测试1号（一）"
    path = tmp_path / f"{CATALOG}.json"
    path.write_bytes(data)
    seeds = seeds_dir() if seeds_dir().is_dir() else None
    assert check_file(path, seeds) == []  # the notice's clause is not looked for in the seed


def test_the_county_block_is_checked(tmp_path: Path) -> None:
    raw = _raw()
    raw["county"] = {
        "readings": {"R-unknown": "x", "R-q8-startup-window": "sometimes"},
        "parameters": {"otjt_monthly_rate_fen": 70000, "nothing_fen": 1, "su_shaan_award_fen": -5},
    }
    _, errors = read_catalog(_write(tmp_path, raw))
    codes = sorted(e.code for e in errors)
    assert codes == ["CATALOG_BAD_VALUE", "CATALOG_BAD_VALUE", "CATALOG_BAD_VARIANT",
                     "CATALOG_UNKNOWN_PARAMETER", "CATALOG_UNKNOWN_READING"]  # fmt: skip


def test_an_extension_must_end_after_the_document(tmp_path: Path) -> None:
    raw = _raw()
    raw["policy_period"]["extensions"] = [
        {"to": "2025-06-30", "document_number": "测试", "clause": {"section": "一", "text": "测试"}}
    ]
    _, errors = read_catalog(_write(tmp_path, raw))
    assert [e.code for e in errors] == ["CATALOG_BAD_DATE"]


def test_a_replacement_file_must_be_newer_and_the_same_catalog() -> None:
    current = get_catalog(CATALOG)
    same = json.dumps(_raw(), ensure_ascii=False).encode("utf-8")
    with pytest.raises(UpdateRefused):
        build(current, UpdateChanges(replacement=same))  # same version
    other = _raw() | {"id": "deqin-2021", "version": "9.0.0"}
    with pytest.raises(UpdateRefused):
        build(current, UpdateChanges(replacement=json.dumps(other, ensure_ascii=False).encode()))
    newer_file = _raw() | {"version": "1.2.0"}
    data, catalog = build(
        current, UpdateChanges(replacement=json.dumps(newer_file, ensure_ascii=False).encode())
    )
    assert catalog.version == "1.2.0" and data


def test_versions_count_on_in_a_fourth_part(tmp_path: Path) -> None:
    assert next_version("1.1.0") == "1.1.0.1" and next_version("1.1.0.1") == "1.1.0.2"
    assert next_version("2") == "2.0.0.1"
    assert (
        newer("1.2.0", "1.1.0.9") and not newer("1.1.0", "1.1.0") and version_key("1.10") > version_key("1.9")
    )
    installed = tmp_path / "data" / "policies"
    installed.mkdir(parents=True)
    _write(installed, _raw() | {"version": "1.1.0"})  # as old as the program's: the program's file stays
    assert effective_files(resource_dir("policies"), tmp_path / "data")[CATALOG].parent == resource_dir(
        "policies"
    )
    _write(installed, _raw() | {"version": "1.1.0.3"})
    assert effective_files(resource_dir("policies"), tmp_path / "data")[CATALOG].parent == installed
