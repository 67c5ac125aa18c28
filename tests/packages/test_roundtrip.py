"""Town → county → town with real keys, real zips and real SQLite files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from core import audit
from core.cases.states import CaseStatus
from core.db.models import AuditEvent, Case
from core.packages import decisions
from core.packages import format as f
from core.packages.bag import open_package
from core.packages.county_import import ACCEPTED, DUPLICATE, import_package
from core.packages.errors import PackageError
from core.packages.export import export_batch
from core.packages.locks import ensure_editable, recall_case
from core.packages.models import Batch, DuplicateFlag, ImportedCase
from core.packages.results import export_results
from core.packages.town_results import import_results
from tests.packages.conftest import Site, make_town


def _import(county: Site, path: Path, allow_gap: bool = False):
    with county.db.session() as s, s.begin():
        return import_package(s, county.data_dir, path, "county-clerk", allow_gap)


def test_round_trip_town_county_town(town: Site, county: Site, usb: Path) -> None:
    first = town.add_case("张三", "53342219900101123", 50000, (b"id card", b"contract"))
    second = town.add_case("李四", "53342219910202123", 30000, (b"id card 2",))
    result = export_batch(town.db, town.data_dir, usb, "clerk")
    assert result.number == 1 and result.case_count == 2 and result.total_fen == 80000
    names = set(open_package(result.path).namelist())
    assert {f.HEADER, f.MANIFEST, f.SIGNATURE, f.ROSTER_XLSX} <= names
    assert any(n.endswith(".pdf") for n in names if n.startswith("roster/"))
    assert len([n for n in names if n.startswith(f.ATTACHMENTS_DIR)]) == 3
    with town.db.session() as s:
        assert {c.status for c in s.scalars(select(Case))} == {CaseStatus.EXPORTED.value}
        case = s.get(Case, first)
        assert case is not None
        with pytest.raises(PackageError) as info:
            ensure_editable(s, case)
        assert info.value.code == "CASE_IN_EXPORTED_BATCH"
        assert [e.action for e in audit.history(s, "case", case.uuid)][-1] == "export"

    report = _import(county, result.path)
    assert report.status == "imported", report.verification.message
    assert [c.outcome for c in report.cases] == [ACCEPTED, ACCEPTED]
    assert len(list((county.data_dir / "attachments").rglob("*"))) >= 3

    with town.db.session() as s:
        uuids = {s.get(Case, i).uuid: i for i in (first, second)}  # type: ignore[union-attr]
    u_first, u_second = sorted(uuids, key=uuids.__getitem__)
    with county.db.session() as s, s.begin():
        decisions.approve(s, u_first, "reviewer", 45000)
        decisions.mark_paid(s, u_first, "cashier", 45000, dt.date(2024, 6, 1))
        decisions.reject(s, u_second, "reviewer", "外出务工时间不足3个月")
    out = export_results(county.db, county.data_dir, town.code, usb, "county-clerk")
    assert out.number == 1 and out.case_count == 2

    with town.db.session() as s, s.begin():
        back = import_results(s, town.data_dir, out.path, "clerk")
    assert back.status == "imported", back.verification.message
    with town.db.session() as s:
        paid, rejected = s.get(Case, first), s.get(Case, second)
        assert paid is not None and rejected is not None
        assert (paid.status, paid.amount_fen) == (CaseStatus.PAID.value, 45000)
        assert rejected.status == CaseStatus.REJECTED.value
        event = audit.history(s, "case", rejected.uuid)[-1]
        assert event.action == "county_result" and event.changes["reason"][1] == "外出务工时间不足3个月"
        assert audit.verify_chain(s) is None
    with town.db.session() as s, s.begin():
        again = import_results(s, town.data_dir, out.path, "clerk")
    assert again.status == "already_imported"


def test_import_is_idempotent(town: Site, county: Site, usb: Path) -> None:
    town.add_case("张三", "53342219900101123")
    path = export_batch(town.db, town.data_dir, usb, "clerk").path
    assert _import(county, path).status == "imported"
    with county.db.session() as s:
        before = (s.query(ImportedCase).count(), s.query(AuditEvent).count())
    second = _import(county, path)
    assert second.status == "already_imported" and second.verification.code == "PKG_REPLAY"
    assert [c.outcome for c in second.cases] == [ACCEPTED]
    with county.db.session() as s:
        assert (s.query(ImportedCase).count(), s.query(AuditEvent).count()) == before


def test_cross_town_duplicate_is_flagged_not_merged(
    tmp_path: Path, town: Site, county: Site, usb: Path
) -> None:
    other = make_town(tmp_path, "533422102", "奔子栏镇")
    try:
        with county.db.session() as s, s.begin():
            from core.packages.registry import register_office_key

            register_office_key(s, other.code, other.public_key_file(), "county-admin")
        town.add_case("张三", "53342219900101123")
        other.add_case("张三", "53342219900101123")
        assert _import(county, export_batch(town.db, town.data_dir, usb, "clerk").path).status == "imported"
        report = _import(county, export_batch(other.db, other.data_dir, usb, "clerk").path)
        assert [c.outcome for c in report.cases] == [DUPLICATE]
        assert "533422101" in report.cases[0].reason
        with county.db.session() as s, s.begin():
            assert s.query(ImportedCase).count() == 2  # both kept
            flag = s.scalars(select(DuplicateFlag)).one()
            with pytest.raises(PackageError) as info:
                decisions.approve(s, flag.case_uuid, "reviewer")
            assert info.value.code == "COUNTY_DUPLICATE_OPEN"
            decisions.resolve_duplicate(s, flag.id, "系同一人重复申报，保留升平镇一件", "reviewer")
            decisions.approve(s, flag.case_uuid, "reviewer")
    finally:
        other.db.close()


def test_recalled_case_goes_into_a_new_batch(town: Site, county: Site, usb: Path) -> None:
    case_id = town.add_case("张三", "53342219900101123")
    first = export_batch(town.db, town.data_dir, usb, "clerk")
    with town.db.session() as s, s.begin():
        recall_case(s, case_id, "clerk", "银行卡号填错")
        case = s.get(Case, case_id)
        assert case is not None
        ensure_editable(s, case)  # editable again
    second = export_batch(town.db, town.data_dir, usb, "clerk")
    assert second.number == 2
    assert _import(county, first.path).status == "imported"
    report = _import(county, second.path)
    assert report.status == "imported" and report.cases[0].outcome == ACCEPTED
    assert "替换" in report.cases[0].reason
    with town.db.session() as s:
        assert s.query(Batch).count() == 2


def test_nothing_to_export_is_refused(town: Site, usb: Path) -> None:
    with pytest.raises(PackageError) as info:
        export_batch(town.db, town.data_dir, usb, "clerk")
    assert info.value.code == "BATCH_EMPTY"
