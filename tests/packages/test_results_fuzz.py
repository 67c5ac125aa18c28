"""A result package that is damaged, or signed by the county key but full of garbage, is refused
whole at the town with a Chinese message: nothing applied, nothing crashes."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.app.batches import export_batch, import_results
from core.app.county import approve, export_results, import_package
from core.db.models import AuditEvent, Case
from core.errors import SubsidyDeskError
from core.packages import format as f
from core.packages.format import ImportStatus
from core.packages.keys import KeyStore
from core.packages.results import _write_results
from tests.packages.conftest import Site


@pytest.fixture
def decided(town: Site, county: Site, usb: Path) -> dict[str, Any]:
    town.add_case("张三", "53342219900101123", 50000)
    batch = export_batch(town.db, town.actor, folder=usb)
    report = import_package(county.db, county.actor, path=batch.path)
    approve(county.db, county.actor, uuid=report.cases[0].uuid)
    good = export_results(county.db, county.actor, office_code=town.code, folder=usb)
    return {"uuid": report.cases[0].uuid, "good": good.path}


def snapshot(town: Site) -> tuple[list[tuple[str, int | None]], int]:
    with town.db.session() as s:
        cases = [(c.status, c.amount_fen) for c in s.scalars(select(Case).order_by(Case.id))]
        return cases, s.query(AuditEvent).count()


def signed(county: Site, town: Site, tmp_path: Path, decisions: Any, number: int = 1) -> Path:
    header = {
        "format_version": f.FORMAT_VERSION, "kind": f.KIND_RESULTS, "office_code": town.code, "number": number,
        "created_at": "2024-06-01T00:00:00", "created_by": "王审核",
        "case_count": len(decisions) if isinstance(decisions, list) else 1,
    }  # fmt: skip
    target = tmp_path / f"results-{number}-{random.random()}.zip"
    _write_results(target, KeyStore(county.data_dir), header, decisions)
    return target


def refused_and_unchanged(town: Site, path: Path) -> None:
    before = snapshot(town)
    try:
        report = import_results(town.db, town.actor, path=path)
        assert report.status == ImportStatus.REJECTED, report.summary
        assert report.summary and "Traceback" not in report.summary
    except SubsidyDeskError as exc:
        assert exc.message_zh
    assert snapshot(town) == before


GARBAGE = [
    {"status": "approved", "approved_fen": -100},
    {"status": "approved", "approved_fen": 10**15},
    {"status": "approved", "approved_fen": True},
    {"status": "approved", "approved_fen": "50000"},
    {"status": "paid", "approved_fen": 50000, "paid_fen": 50000, "paid_on": "不是日期"},
    {"status": "paid", "approved_fen": 50000, "paid_fen": 60000, "paid_on": "2024-06-01"},
    {"status": "exported"},
    {"status": None},
    {"status": "rejected", "reason": {"nested": ["x"] * 3}},
    {"status": "rejected", "reason": "x" * 100_000},
]


@pytest.mark.parametrize("bad", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_signed_by_the_county_is_refused_whole(
    town: Site, county: Site, decided: dict[str, Any], tmp_path: Path, bad: dict[str, Any]
) -> None:
    decisions = [{"uuid": decided["uuid"], "case_number": "x", **bad}]
    refused_and_unchanged(town, signed(county, town, tmp_path, decisions))


@pytest.mark.parametrize("members", [42, "决定", [1, 2], [{"uuid": 7, "status": "approved"}], [None]])
def test_a_decision_list_of_the_wrong_shape_is_refused(
    town: Site, county: Site, decided: dict[str, Any], tmp_path: Path, members: Any
) -> None:
    refused_and_unchanged(town, signed(county, town, tmp_path, members))


@pytest.mark.parametrize("seed", range(60))
def test_a_damaged_result_package_is_refused(
    town: Site, decided: dict[str, Any], tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    data = bytearray(decided["good"].read_bytes())
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    else:
        del data[rng.randrange(len(data)) :]
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))
    before = snapshot(town)
    try:
        report = import_results(town.db, town.actor, path=path)
    except SubsidyDeskError as exc:
        assert exc.message_zh and snapshot(town) == before
        return
    if report.status == ImportStatus.REJECTED:
        assert snapshot(town) == before
    else:  # a flipped byte the signature does not cover (a zip header's date): the content is whole
        assert report.status == ImportStatus.IMPORTED and snapshot(town)[0] == [("approved", 50000)]


def test_the_good_package_still_applies(town: Site, decided: dict[str, Any]) -> None:
    report = import_results(town.db, town.actor, path=decided["good"])
    assert report.status == ImportStatus.IMPORTED
    assert snapshot(town)[0] == [("approved", 50000)]


@pytest.mark.parametrize("number", [10**20, 0, True], ids=["too large", "zero", "a boolean"])
def test_a_result_package_number_that_is_no_number_is_refused(
    town: Site, county: Site, decided: dict[str, Any], tmp_path: Path, number: object
) -> None:
    """Found by bench/fuzz_packages.py: 10**20 failed in the database (OverflowError)."""
    decisions = [{"uuid": decided["uuid"], "status": "approved", "approved_fen": 50000}]
    path = signed(county, town, tmp_path, decisions, number=number)  # type: ignore[arg-type]
    refused_and_unchanged(town, path)
    from core.packages.town_results import import_results as verify_and_apply

    with town.db.session() as s:
        assert verify_and_apply(s, town.data_dir, path, "fuzz").verification.code == "PKG_NUMBER_INVALID"
        s.rollback()
