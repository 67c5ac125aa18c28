"""A write that fails halfway, or a package that does not read back, leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.cases.states import CaseStatus
from core.db.models import AuditEvent, Case
from core.packages import export
from core.packages.errors import PackageError
from core.packages.export import export_batch
from core.packages.models import Batch
from core.packages.verify import Problem, Verification
from core.packages.writer import PackageWriter
from tests.packages.conftest import Site


def _state(town: Site) -> tuple[set[str], int, int]:
    with town.db.session() as s:
        statuses = set(s.scalars(select(Case.status)))
        return statuses, s.query(Batch).count(), s.query(AuditEvent).count()


def test_interrupted_write_leaves_no_package_and_no_exported_case(
    town: Site, usb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    town.add_case("张三", "53342219900101123", attachments=(b"a" * 3_000_000, b"b" * 10))
    before = _state(town)
    real = PackageWriter.add_file
    calls = []

    def failing(self: PackageWriter, name: str, source: Path, stored: bool) -> str:
        calls.append(name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")  # the stick fills up mid-write
        return real(self, name, source, stored)

    monkeypatch.setattr(PackageWriter, "add_file", failing)
    with pytest.raises(OSError):
        export_batch(town.db, town.data_dir, usb, "clerk")
    assert list(usb.iterdir()) == []  # neither the package nor its .partial file
    assert _state(town) == before
    assert before[0] == {CaseStatus.REVIEW_PASSED.value}


def test_package_that_does_not_read_back_is_removed(
    town: Site, usb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    town.add_case("张三", "53342219900101123")
    before = _state(town)

    def bad_disk(path: Path, *args: object, **kwargs: object) -> Verification:
        return Verification(path, [Problem("PKG_HASH_MISMATCH", "U盘读出的内容与写入的不同")])

    monkeypatch.setattr(export, "verify_package", bad_disk)
    with pytest.raises(PackageError) as info:
        export_batch(town.db, town.data_dir, usb, "clerk")
    assert info.value.code == "BATCH_READBACK_FAILED"
    assert list(usb.iterdir()) == []
    assert _state(town) == before


def test_failed_export_does_not_use_up_the_batch_number(
    town: Site, usb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    town.add_case("张三", "53342219900101123")
    monkeypatch.setattr(PackageWriter, "commit", lambda self: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(OSError):
        export_batch(town.db, town.data_dir, usb, "clerk")
    monkeypatch.undo()
    assert export_batch(town.db, town.data_dir, usb, "clerk").number == 1
