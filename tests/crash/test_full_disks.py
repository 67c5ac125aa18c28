"""Full disks, pulled sticks and read-only targets, on real small filesystems (tests/crash/disks.py):
each write path says in Chinese what is full and how much is needed, nothing saved is lost or
half-changed, the program goes on, and the work can be repeated once there is room."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.app import applicants, batches, intake
from core.applicant_types import PersonInput
from core.cases.states import CaseStatus
from core.db.models import Attachment, Case, Person
from core.errors import SubsidyDeskError
from core.identity.id_number import check_character
from core.packages.models import Batch
from core.printing.output import save_bytes
from tests.crash.disks import FullDisk, small_disk
from tests.packages.conftest import Site, make_town


def _person(n: int) -> PersonInput:
    first17 = f"53342219800101{n:03d}"
    return PersonInput(f"申请人{n}", first17 + check_character(first17))


def _counts(town: Site) -> tuple[int, int, int, set[str]]:
    with town.db.session() as s:
        return (
            s.scalar(select(func.count(Person.id))) or 0,
            s.scalar(select(func.count(Attachment.id))) or 0,
            s.scalar(select(func.count(Batch.id))) or 0,
            set(s.scalars(select(Case.status))),
        )


@pytest.fixture
def data_disk(tmp_path: Path) -> FullDisk:
    with small_disk(tmp_path / "disk", 24 * 1024) as disk:
        yield disk


@pytest.fixture
def town_on_disk(data_disk: FullDisk) -> Site:
    town = make_town(data_disk.folder, "533422101", "升平镇")
    town.add_case("张三", "53342219900101123", attachments=(b"a" * 300_000,))
    yield town
    town.db.close()


def test_saves_on_a_full_data_disk_are_refused_whole_and_work_again_after_cleaning(
    town_on_disk: Site, data_disk: FullDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    town = town_on_disk
    data_disk.fill(monkeypatch)
    saved, refused = [], None
    for n in range(400):  # the WAL may still have room for a few: save until the disk says no
        try:
            saved.append(applicants.save_person(town.db, town.actor, person_id=None, data=_person(n)))
        except SubsidyDeskError as exc:
            refused = exc
            break
    assert refused is not None and refused.code == "DB_DISK_FULL"
    assert "磁盘已满" in refused.message_zh and "没有保存" in refused.message_zh
    assert _counts(town)[0] == len(saved) + 1  # every save that was answered is there, no half one
    data_disk.free(monkeypatch)
    applicants.save_person(town.db, town.actor, person_id=None, data=_person(999))
    assert _counts(town)[0] == len(saved) + 2


def test_attaching_on_a_full_data_disk_says_what_is_needed(
    town_on_disk: Site, data_disk: FullDisk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    town = town_on_disk
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 8000)
    case_id = town.add_case("李四", "53342219910202123", attachments=())
    with town.db.session() as s, s.begin():
        s.get(Case, case_id).status = CaseStatus.DRAFT.value
    before = _counts(town)
    data_disk.fill(monkeypatch)
    with pytest.raises(SubsidyDeskError) as info:
        intake.attach_scan(town.db, town.actor, case_id=case_id, material_id=None, path=scan)
    assert info.value.code in ("DISK_FULL", "DB_DISK_FULL")
    assert "已满" in info.value.message_zh and "MB" in info.value.message_zh
    assert _counts(town) == before
    assert [p for p in (town.data_dir / "attachments").rglob(".*")] == []  # no temporary file left
    data_disk.free(monkeypatch)
    intake.attach_scan(town.db, town.actor, case_id=case_id, material_id=None, path=scan)
    assert _counts(town)[1] == before[1] + 1


def test_saving_a_printed_document_on_a_full_disk(
    data_disk: FullDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_disk.fill(monkeypatch)
    with pytest.raises(SubsidyDeskError) as info:
        save_bytes(data_disk.folder / "受理回执.pdf", b"%PDF" + b"x" * 2_000_000)
    assert info.value.code == "DISK_FULL" and "还需要约2MB" in info.value.message_zh
    assert sorted(p.name for p in data_disk.folder.iterdir()) == ["filler.bin"] if data_disk.real else True


@pytest.fixture
def town(tmp_path: Path) -> Site:
    site = make_town(tmp_path, "533422101", "升平镇")
    site.add_case("张三", "53342219900101123", attachments=(bytes(range(256)) * 12_000,))  # 3 MB
    yield site
    site.db.close()


def test_export_to_a_full_stick_says_how_much_is_needed_and_can_be_repeated(
    town: Site, tmp_path: Path
) -> None:
    before = _counts(town)
    with small_disk(tmp_path / "small-stick", 1024) as stick:
        with pytest.raises(SubsidyDeskError) as info:
            batches.export_batch(town.db, town.actor, folder=stick.folder)
        assert info.value.code == "DISK_FULL"
        assert (
            "U盘" in info.value.message_zh
            and "已满" in info.value.message_zh
            and "还需要约" in info.value.message_zh
        )
        assert list(stick.folder.iterdir()) == []
    assert _counts(town) == before
    with small_disk(tmp_path / "big-stick", 16 * 1024) as stick:
        result = batches.export_batch(town.db, town.actor, folder=stick.folder)
        assert result.number == 1 and result.path.is_file()


def test_export_to_a_read_only_stick(town: Site, tmp_path: Path) -> None:
    before = _counts(town)
    with (
        small_disk(tmp_path / "locked-stick", 16 * 1024, read_only=True) as stick,
        pytest.raises(SubsidyDeskError) as info,
    ):
        batches.export_batch(town.db, town.actor, folder=stick.folder)
    assert info.value.code == "DISK_READ_ONLY" and "写保护" in info.value.message_zh
    assert _counts(town) == before


def test_the_stick_pulled_mid_export(town: Site, tmp_path: Path) -> None:
    before = _counts(town)
    with small_disk(tmp_path / "pulled-stick", 16 * 1024) as stick:
        if not stick.real:
            pytest.fail("pulling a stick needs a mounted filesystem (run as root)")

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "copy" and done > 0 and stick.folder.is_mount():
                stick.pull()

        with pytest.raises(SubsidyDeskError) as info:
            batches.export_batch(town.db, town.actor, folder=stick.folder, progress=progress)
    assert info.value.code == "DISK_GONE" and "拔出" in info.value.message_zh
    assert _counts(town) == before
    assert list((town.data_dir / "outbox").iterdir()) == []
    again = tmp_path / "another-stick"
    again.mkdir()
    assert batches.export_batch(town.db, town.actor, folder=again).number == 1
