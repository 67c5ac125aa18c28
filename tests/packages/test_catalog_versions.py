"""Batch headers carry each case's catalog version; the county flags versions it has replaced."""

from __future__ import annotations

from pathlib import Path

from core.app import county as county_ops
from core.app.county_catalogs import issue_update
from core.packages.county_import import ACCEPTED
from core.packages.export import export_batch
from core.packages.registry import load_allow_list, seen_sequences
from core.packages.verify import verify_package
from core.policy.update import UpdateChanges
from tests.packages.conftest import CATALOG, Site

PARAMETER = UpdateChanges(parameters={"deqin_training_transport_fen": 20000})


def _export(town: Site, usb: Path) -> Path:
    town.add_case("张三", "53342219900101001")
    return export_batch(town.db, town.data_dir, usb, "clerk").path


def test_the_header_names_each_case_catalog_version(town: Site, county: Site, usb: Path) -> None:
    path = _export(town, usb)
    with county.db.session() as s:
        header = verify_package(path, load_allow_list(s), seen_sequences(s)).header
    [(uuid, entry)] = header["case_catalogs"].items()
    assert uuid == header["cases"][0]
    assert entry == {"id": CATALOG, "version": "1.0.0"}


def test_a_batch_without_a_replaced_version_is_not_flagged(town: Site, county: Site, usb: Path) -> None:
    report = county_ops.import_package(county.db, county.actor, path=_export(town, usb))
    assert [c.outcome for c in report.cases] == [ACCEPTED]
    assert report.catalog_notes == [] and "注意" not in report.summary


def test_the_county_flags_a_batch_made_under_a_version_it_replaced(
    town: Site, county: Site, usb: Path, tmp_path: Path
) -> None:
    path = _export(town, usb)
    out = tmp_path / "updates"
    out.mkdir()
    issued = issue_update(county.db, county.actor, catalog_id=CATALOG, changes=PARAMETER, folder=out)
    assert issued.preview.version_to == "1.1.0.1"
    report = county_ops.import_package(county.db, county.actor, path=path)
    [case] = report.cases
    assert case.outcome == ACCEPTED and "1.0.0" in case.catalog_note and "1.1.0.1" in case.catalog_note
    assert report.catalog_notes == [f"注意：1 件案件{case.catalog_note}"]
    assert report.catalog_notes[0] in report.summary
