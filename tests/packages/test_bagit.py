"""A package any tool can check (#14): a batch of format version 2 is a valid BagIt bag (RFC 8493),
checked here with bagit-python; version 1 packages are still imported."""

from __future__ import annotations

import zipfile
from pathlib import Path

import bagit
import pytest

from core.app.county import import_package
from core.packages import format as f
from core.packages.bag import BAG_INFO, BAG_TAGS, BAGIT, TAG_MANIFEST
from core.packages.export import export_batch
from core.packages.format import ImportStatus
from core.packages.registry import load_allow_list
from core.packages.verify import verify_package
from tests.packages.conftest import Site
from tests.packages.tamper import members_of, replace, resign, write_zip


@pytest.fixture
def package(town: Site, county: Site, usb: Path) -> Path:
    town.add_case("张三", "53342219900101123", 50000, (b"%PDF-1.4 id card", b"contract"))
    town.add_case("李四", "53342219910202123", 30000, (b"%PDF-1.4 id card 2",))
    return export_batch(town.db, town.data_dir, usb, "clerk").path


def _unzipped(path: Path, into: Path) -> Path:
    with zipfile.ZipFile(path) as zf:
        tops = {n.split("/", 1)[0] for n in zf.namelist()}
        zf.extractall(into)
    assert tops == {path.name.removesuffix(".zip")}  # one bag, in one folder named like the file
    return into / tops.pop()


def test_an_exported_batch_is_a_valid_bag(package: Path, tmp_path: Path) -> None:
    bag = bagit.Bag(str(_unzipped(package, tmp_path)))
    bag.validate(fast=False)  # raises BagValidationError, naming what is wrong
    assert bag.version_info == (1, 0)
    assert any(p.startswith("data/cases/") for p in bag.payload_files())
    assert {"header.json", "signature.ed25519"} <= set(bag.tagfile_entries())
    assert bag.info["External-Identifier"] == "533422101-1"


def test_a_changed_scan_is_caught_by_bagit_too(package: Path, tmp_path: Path) -> None:
    root = _unzipped(package, tmp_path)
    scan = next((root / "data" / "attachments").iterdir())
    scan.write_bytes(scan.read_bytes() + b"!")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(root)).validate(fast=False)


def test_the_bag_header_is_version_2_and_signed_as_a_tag_file(package: Path, county: Site) -> None:
    with county.db.session() as s:
        result = verify_package(package, load_allow_list(s), {})
    assert result.ok, result.message
    assert result.header["format_version"] == f.BATCH_FORMAT_VERSION == 2
    assert f.HEADER not in result.manifest  # the header is a tag file, not payload


def _bag_damage(town: Site) -> dict[str, object]:
    key = town.keys.office_key()
    info = lambda m: dict(m)[BAG_INFO].replace(b"Payload-Oxum: ", b"Payload-Oxum: 1")  # noqa: E731
    return {
        "bag-info changed": lambda m: replace(m, BAG_INFO, info(m)),
        "tag manifest changed": lambda m: replace(
            m, TAG_MANIFEST, dict(m)[TAG_MANIFEST].replace(b"a", b"b", 1)
        ),
        "bagit.txt changed": lambda m: replace(m, BAGIT, b"BagIt-Version: 0.97\n"),
        "no tag manifest": lambda m: [(n, d) for n, d in m if n != TAG_MANIFEST],
        "bagit.txt removed": lambda m: [(n, d) for n, d in m if n != BAGIT],
        "signed again as version 1": lambda m: resign(m, key, format_version=1),
    }


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("bag-info changed", "PKG_BAG_INVALID"),
        ("tag manifest changed", "PKG_BAG_INVALID"),
        ("bagit.txt changed", "PKG_BAG_INVALID"),
        ("no tag manifest", "PKG_BAG_INVALID"),
        ("bagit.txt removed", "PKG_FORMAT_VERSION"),
        ("signed again as version 1", "PKG_FORMAT_VERSION"),
    ],
)
def test_a_damaged_bag_is_refused(
    package: Path, town: Site, county: Site, tmp_path: Path, row: str, code: str
) -> None:
    damage = _bag_damage(town)[row]
    bad = write_zip(tmp_path / "bad.zip", damage(members_of(package)))  # type: ignore[operator]
    with county.db.session() as s:
        result = verify_package(bad, load_allow_list(s), {})
    assert result.code == code, result.message


def test_a_payload_file_outside_data_is_an_extra_member(package: Path, county: Site, tmp_path: Path) -> None:
    base = package.name.removesuffix(".zip")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(bad, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr(f"{base}/cases/extra.json", b"{}")
    bad.write_bytes(bad.read_bytes())
    with county.db.session() as s:
        assert verify_package(bad, load_allow_list(s), {}).code == "PKG_MEMBER_EXTRA"


def test_a_version_1_package_is_still_imported(
    package: Path, town: Site, county: Site, tmp_path: Path
) -> None:
    members = [(n, d) for n, d in members_of(package) if n not in BAG_TAGS]
    old = write_zip(tmp_path / package.name, resign(members, town.keys.office_key(), format_version=1))
    with zipfile.ZipFile(old) as zf:
        assert f.HEADER in zf.namelist() and not any(n.endswith(BAGIT) for n in zf.namelist())
    report = import_package(county.db, county.actor, path=old)
    assert report.status == ImportStatus.IMPORTED, report.verification.message
    assert len(report.cases) == 2
