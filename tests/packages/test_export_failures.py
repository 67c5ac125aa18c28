"""A write that fails halfway, or a package that does not read back, leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.cases.states import CaseStatus
from core.db.models import AuditEvent, Case
from core.errors import SubsidyDeskError
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
    with pytest.raises(SubsidyDeskError) as info:
        export_batch(town.db, town.data_dir, usb, "clerk")
    assert info.value.code == "DISK_FULL" and "已满" in info.value.message_zh
    assert list(usb.iterdir()) == []  # neither the package nor its .partial file
    assert list((town.data_dir / "outbox").iterdir()) == []
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
    with pytest.raises(SubsidyDeskError):
        export_batch(town.db, town.data_dir, usb, "clerk")
    monkeypatch.undo()
    assert export_batch(town.db, town.data_dir, usb, "clerk").number == 1


def test_partial_file_of_a_crashed_export_is_removed_by_the_next_export(town: Site, usb: Path) -> None:
    """The package is built in the outbox; a killed build leaves its partial file there, and a
    killed copy leaves one on the stick: the next export removes both and says so."""
    town.add_case("张三", "53342219900101123", attachments=(b"a" * 100, b"b" * 10))
    leftover = town.data_dir / "outbox" / f".batch-{town.code}-00001.zip.partial"
    leftover.parent.mkdir()
    leftover.write_bytes(b"PK half a zip")  # what a kill leaves (tests/crash kills for real)
    on_stick = usb / f".batch-{town.code}-00001.zip.partial"
    on_stick.write_bytes(b"half a copy")
    foreign = [usb / ".batch-533422102-00001.zip.partial", usb / ".notes.txt.partial"]
    for path in foreign:
        path.write_bytes(b"not ours")

    result = export_batch(town.db, town.data_dir, usb, "clerk")
    assert result.number == 1 and result.verification.ok
    assert not leftover.exists() and not on_stick.exists() and all(p.exists() for p in foreign)
    assert sorted(p.name for p in usb.iterdir() if not p.name.startswith(".")) == [result.path.name]
    assert any(leftover.name in note and "已删除" in note for note in result.notes)


def test_partial_file_that_cannot_be_removed_is_reported(
    town: Site, usb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    town.add_case("张三", "53342219900101123")
    stuck = usb / f".batch-{town.code}-00001.zip.partial"
    stuck.write_bytes(b"half a zip")
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self == stuck:
            raise PermissionError(13, "still open in another program")
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    result = export_batch(town.db, town.data_dir, usb, "clerk")
    assert any(str(stuck) in note and "无法删除" in note for note in result.notes)


def test_progress_is_reported_before_the_first_attachment_byte(
    town: Site, usb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        town.add_case(f"张{i}", f"5334221990010112{i}", attachments=(bytes([i]) * 1000,))
    events: list[tuple[str, int, int]] = []
    real = PackageWriter.add_file

    def add_file(self: PackageWriter, name: str, source: Path, stored: bool) -> str:
        events.append(("attachment", 0, 0))
        return real(self, name, source, stored)

    monkeypatch.setattr(PackageWriter, "add_file", add_file)
    export_batch(town.db, town.data_dir, usb, "clerk", progress=lambda *e: events.append(e))
    before = events[: events.index(("attachment", 0, 0))]
    total = 1 + 3 + 1  # one subsidy's printed roster, three case documents, the roster workbook
    assert before[0] == ("prepare", 0, total) and before[-1] == ("prepare", total, total)
    assert [e[1] for e in before] == list(range(total + 1))
    stages = [e[0] for e in events if e[0] != "attachment"]
    assert stages.index("write") > stages.index("prepare") and stages[-1] == "verify"
