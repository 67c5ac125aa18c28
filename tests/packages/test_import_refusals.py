"""What the county is handed that is not a package it can import (#13): a missing path, a folder,
a crafted sealed file, and the same package imported twice at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.app.county import import_package
from core.db import Database, open_database
from core.packages.export import export_batch
from core.packages.format import ImportStatus
from core.packages.models import ImportedCase, ImportedPackage
from core.packages.sealed import MAGIC
from main import main
from tests.packages.conftest import Site


def test_a_missing_path_or_a_folder_is_told_in_chinese(
    county: Site, usb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county.db.close()
    for path, words in ((usb / "没有这个文件.zip", "找不到数据包文件"), (usb, "是一个文件夹")):
        capsys.readouterr()
        assert main(county.cli("import-package", str(path))) == 9
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err and "PKG_" not in err, err


@pytest.mark.parametrize("ephemeral", [bytes(32), b"\x01" + bytes(31)], ids=["all zeros", "low order"])
def test_a_crafted_sealed_package_is_undecryptable(county: Site, usb: Path, ephemeral: bytes) -> None:
    crafted = usb / "batch-533422101-00001.zip.sealed"
    crafted.write_bytes(MAGIC + ephemeral + bytes(200))
    report = import_package(county.db, county.actor, path=crafted)
    assert report.status == ImportStatus.REJECTED
    assert report.verification.code == "PKG_SEALED_INVALID"
    assert not list((county.data_dir / "inbox").iterdir())  # nothing left behind


def _import_at_once(county: Site, path: Path, n: int = 2) -> list[object]:
    """`n` imports of one package from separate connections, as two windows or a job would."""
    results: list[object] = [None] * n
    start = threading.Barrier(n)

    def run(i: int) -> None:
        db: Database = open_database(county.data_dir)
        try:
            start.wait()
            results[i] = import_package(db, county.actor, path=path).status
        except Exception as exc:  # the test reports what the loser met
            results[i] = exc
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("encrypt", [False, True], ids=["plain", "sealed"])
def test_two_imports_at_once_one_imports_the_other_reports_a_replay(
    town: Site, county: Site, usb: Path, encrypt: bool
) -> None:
    for i in range(3):
        town.add_case(f"张{i}", f"5334221990010112{i}", attachments=(b"scan %d" % i * 20000,))
    seal_to = county.keys.county_encryption_key().public_key() if encrypt else None
    path = export_batch(town.db, town.data_dir, usb, "clerk", seal_to=seal_to).path
    county.db.close()
    results = _import_at_once(county, path, 3)
    assert sorted(map(str, results)) == sorted(
        [ImportStatus.IMPORTED, ImportStatus.ALREADY_IMPORTED, ImportStatus.ALREADY_IMPORTED]
    ), results
    db = open_database(county.data_dir)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(ImportedPackage)) == 1
            assert s.scalar(select(func.count()).select_from(ImportedCase)) == 3
    finally:
        db.close()
    assert not [p for p in (county.data_dir / "inbox").rglob("*")] if encrypt else True
