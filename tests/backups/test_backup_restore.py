"""Backups of the database and the scans, and restoring one: real files, real SQLite, real keys."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest

from core.actor import Actor, Role
from core.app import backups
from core.backups import newest_verified_backup
from core.backups.layout import BackupError, list_sets, primary_target, scan_path
from core.backups.run import make_backup
from core.db import open_database
from core.db.engine import DB_FILENAME
from core.errors import SubsidyDeskError, ValidationError
from core.settings import OfficeInput
from tests.backups.office import add_cases, add_scan, case_count, set_office

HEAD = Actor("赵所长", {Role.HEAD, Role.ADMIN})
CLERK = Actor("李会计")
MONDAY = dt.datetime(2026, 11, 30, 17, 40)


@pytest.fixture
def office(db):
    set_office(db)
    add_cases(db, 3)
    return db


def test_a_backup_is_verified_and_is_the_newest_good_one(office, data_dir: Path) -> None:
    scan = add_scan(data_dir)
    run = backups.backup_now(office, CLERK)
    assert run.ok and len(run.written) == 1
    info = run.written[0]
    assert info.case_count == 3 and info.scan_count == 1 and info.office_name == "水沟镇劳动保障事务所"
    assert case_count(info.database_file) == 3
    assert (
        scan_path(info.scan_folder, scan).read_bytes()
        == (data_dir / "attachments" / scan[:2] / scan).read_bytes()
    )
    assert newest_verified_backup(data_dir) == info


def test_no_backup_yet_means_none(db, data_dir: Path) -> None:
    assert newest_verified_backup(data_dir) is None


def test_a_damaged_newest_set_is_passed_over_for_an_older_good_one(office, data_dir: Path) -> None:
    older = make_backup(data_dir, "auto", now=MONDAY).written[0]
    newer = make_backup(data_dir, "auto", now=MONDAY + dt.timedelta(days=1)).written[0]
    with newer.database_file.open("r+b") as fh:
        fh.seek(5000)
        fh.write(b"\xff" * 16)
    assert newest_verified_backup(data_dir) == older


def test_each_backup_copies_only_the_new_scans(office, data_dir: Path) -> None:
    first_scan = add_scan(data_dir)
    first = make_backup(data_dir, "auto", now=MONDAY).written[0]
    kept = scan_path(first.scan_folder, first_scan)
    before = kept.stat().st_mtime_ns, kept.stat().st_ino
    second_scan = add_scan(data_dir)
    copied: list[int] = []
    second = make_backup(data_dir, "auto", now=MONDAY + dt.timedelta(days=1), progress=copied.append).written[
        0
    ]
    assert (kept.stat().st_mtime_ns, kept.stat().st_ino) == before
    assert sorted(second.scan_hashes) == sorted([first_scan, second_scan])
    assert 4096 in copied and copied.count(4096) == 1  # one scan, then the database


def test_a_missing_second_target_is_reported_and_the_first_is_still_written(
    office, data_dir, tmp_path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    backups.set_second_target(data_dir, HEAD, folder=stick)
    stick.rmdir()  # the stick is pulled
    run = backups.backup_now(office, CLERK)
    assert len(run.written) == 1 and run.written[0].target == primary_target(data_dir)
    assert run.problems == [
        f"备份位置 {stick.resolve()} 不存在（U盘没有插上，或盘符变了），这次没有备份到那里。"
    ]
    view = backups.overview(data_dir)
    assert [t.present for t in view.targets] == [True, False]


def test_the_second_target_gets_its_own_set(office, data_dir, tmp_path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    backups.set_second_target(data_dir, HEAD, folder=stick)
    run = backups.backup_now(office, CLERK)
    assert run.ok and [i.target for i in run.written] == [primary_target(data_dir), stick.resolve()]
    assert newest_verified_backup(data_dir) is not None
    assert len(backups.overview(data_dir).backups) == 2


def test_the_second_target_may_not_be_inside_the_data_folder_nor_missing(db, data_dir, tmp_path) -> None:
    with pytest.raises(ValidationError) as inside:
        backups.set_second_target(data_dir, HEAD, folder=data_dir)
    assert inside.value.code == "BACKUP_TARGET_INSIDE"
    with pytest.raises(ValidationError) as missing:
        backups.set_second_target(data_dir, HEAD, folder=tmp_path / "nothing")
    assert missing.value.code == "BACKUP_TARGET_MISSING"


def test_only_the_administrator_sets_targets_passwords_and_restores(office, data_dir, tmp_path) -> None:
    info = backups.backup_now(office, CLERK).written[0]
    for attempt in (
        lambda: backups.set_second_target(data_dir, CLERK, folder=tmp_path),
        lambda: backups.set_backup_password(data_dir, CLERK, password="a" * 8, repeated="a" * 8),
        lambda: backups.restore_backup(office.path.parent, CLERK, db=office, set_dir=info.path),
    ):
        with pytest.raises(SubsidyDeskError) as refused:
            attempt()
        assert refused.value.code == "ROLE_REQUIRED"


def test_restore_brings_back_the_cases_after_a_safety_backup(office, data_dir: Path) -> None:
    scan = add_scan(data_dir)
    info = backups.backup_now(office, CLERK).written[0]
    add_cases(office, 2, start=10)
    (data_dir / "attachments" / scan[:2] / scan).unlink()  # lost with the disk
    report = backups.restore_backup(office.path.parent, HEAD, db=office, set_dir=info.path)
    assert report.case_count == 3 and case_count(data_dir / DB_FILENAME) == 3
    assert report.safety is not None and report.safety.case_count == 5 and report.safety.kind == "safety"
    assert report.scans_added == 1 and (data_dir / "attachments" / scan[:2] / scan).exists()
    reopened = open_database(data_dir)
    with reopened.reader() as con:
        actions = [r[0] for r in con.execute("SELECT action FROM audit_event ORDER BY id DESC LIMIT 1")]
    reopened.close()
    assert actions == ["restore"]


def _unchanged(data_dir: Path):
    db_bytes = (data_dir / DB_FILENAME).read_bytes()
    sets = [i.path for i in list_sets(primary_target(data_dir))]
    return lambda: (
        (data_dir / DB_FILENAME).read_bytes() == db_bytes
        and [i.path for i in list_sets(primary_target(data_dir))] == sets
    )


def test_a_damaged_backup_is_refused_and_nothing_changes(office, data_dir: Path) -> None:
    info = backups.backup_now(office, CLERK).written[0]
    with info.database_file.open("r+b") as fh:
        fh.seek(8192)
        fh.write(os.urandom(64))
    office.close()
    unchanged = _unchanged(data_dir)
    with pytest.raises(BackupError) as refused:
        backups.restore_backup(office.path.parent, HEAD, db=office, set_dir=info.path)
    assert refused.value.code == "BACKUP_DAMAGED" and "已损坏" in refused.value.message_zh
    assert unchanged()


def test_a_backup_whose_checksum_was_forged_is_still_refused(office, data_dir: Path) -> None:
    """Someone fixed the manifest's hash after damaging the file: the database check catches it."""
    import json

    info = backups.backup_now(office, CLERK).written[0]
    con = sqlite3.connect(info.database_file)
    con.execute("PRAGMA writable_schema=ON")
    con.execute("UPDATE sqlite_master SET sql = 'garbage' WHERE name = 'subsidy_case'")
    con.commit()
    con.close()
    manifest = json.loads((info.path / "manifest.json").read_text())
    from core.backups.layout import stored_file_sha256

    manifest["database"]["sha256"] = stored_file_sha256(info.database_file)
    (info.path / "manifest.json").write_text(json.dumps(manifest))
    office.close()
    unchanged = _unchanged(data_dir)
    with pytest.raises(BackupError) as refused:
        backups.restore_backup(office.path.parent, HEAD, db=office, set_dir=info.path)
    assert refused.value.code == "BACKUP_DAMAGED"
    assert unchanged()


def test_another_offices_backup_is_refused(office, data_dir: Path, tmp_path: Path) -> None:
    other = open_database(tmp_path / "other")
    set_office(other, OfficeInput("610328", "草碧镇", "草碧镇劳动保障事务所", "", "qianyang-2021"))
    theirs = make_backup(other.path.parent, "manual").written[0]
    other.close()
    office.close()
    unchanged = _unchanged(data_dir)
    with pytest.raises(BackupError) as refused:
        backups.restore_backup(office.path.parent, HEAD, db=office, set_dir=theirs.path)
    assert refused.value.code == "BACKUP_OTHER_OFFICE" and "草碧镇劳动保障事务所" in refused.value.message_zh
    assert unchanged()


def test_a_folder_that_is_not_a_backup_is_refused(office, data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"format": "something else"}')
    with pytest.raises(BackupError) as refused:
        backups.restore_backup(office.path.parent, HEAD, db=office, set_dir=folder)
    assert refused.value.code == "BACKUP_NOT_OURS"


def test_encrypted_backups_hold_no_readable_data_and_restore_with_the_password(
    office, data_dir, tmp_path
) -> None:
    backups.set_backup_password(data_dir, HEAD, password="山里的备份2026", repeated="山里的备份2026")
    scan = add_scan(data_dir)
    info = backups.backup_now(office, CLERK).written[0]
    assert info.encrypted
    stored = info.database_file.read_bytes()
    assert b"SQLite format 3" not in stored and "申请人1".encode() not in stored
    sealed_scan = scan_path(info.scan_folder, scan).read_bytes()
    assert sealed_scan != (data_dir / "attachments" / scan[:2] / scan).read_bytes()
    new_pc = open_database(tmp_path / "new-pc")  # the old disk is dead: no key on this PC
    new_pc.close()
    assert backups.needs_password(new_pc.path.parent, info)
    for wrong, code in ((None, "BACKUP_PASSWORD_NEEDED"), ("别的密码12345", "BACKUP_WRONG_PASSWORD")):
        with pytest.raises(BackupError) as refused:
            backups.restore_backup(new_pc.path.parent, HEAD, db=new_pc, set_dir=info.path, password=wrong)
        assert refused.value.code == code
    report = backups.restore_backup(
        new_pc.path.parent, HEAD, db=new_pc, set_dir=info.path, password="山里的备份2026"
    )
    assert report.case_count == 3 and report.scans_added == 1
    assert (new_pc.path.parent / "attachments" / scan[:2] / scan).read_bytes() == (
        data_dir / "attachments" / scan[:2] / scan
    ).read_bytes()


def test_the_password_is_checked_when_it_is_set(db, data_dir) -> None:
    with pytest.raises(ValidationError) as short:
        backups.set_backup_password(data_dir, HEAD, password="1234", repeated="1234")
    assert short.value.code == "BACKUP_PASSWORD_SHORT"
    with pytest.raises(ValidationError) as mismatch:
        backups.set_backup_password(data_dir, HEAD, password="12345678", repeated="12345679")
    assert mismatch.value.code == "BACKUP_PASSWORD_MISMATCH"
    assert backups.set_backup_password(data_dir, HEAD, password="12345678", repeated="12345678")
    assert not backups.set_backup_password(data_dir, HEAD, password="", repeated="")


def test_a_damaged_current_database_is_set_aside_and_the_backup_restored(office, data_dir: Path) -> None:
    info = backups.backup_now(office, CLERK).written[0]
    office.close()
    path = data_dir / DB_FILENAME
    size = path.stat().st_size
    with path.open("r+b") as fh:  # damage the pages of the case table, keep the header
        fh.seek(size // 2)
        fh.write(os.urandom(size // 2 - 4096))
    with pytest.raises(BackupError) as refused:
        make_backup(data_dir, "manual")
    assert refused.value.code == "BACKUP_SOURCE_DAMAGED"
    report = backups.restore_backup(office.path.parent, HEAD, db=office, set_dir=info.path)
    assert report.safety is None and report.set_aside is not None
    assert (report.set_aside / DB_FILENAME).exists()
    assert case_count(path) == 3


def test_the_newest_backup_of_a_stick_is_found_when_the_data_folder_is_new(
    office, data_dir, tmp_path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    backups.set_second_target(data_dir, HEAD, folder=stick)
    backups.backup_now(office, CLERK)
    sets = list_sets(stick)
    assert len(sets) == 1 and backups.backup_at(sets[0].path).case_count == 3


def test_the_catalogs_installed_from_county_updates_come_back_with_a_restore(
    office, data_dir, tmp_path
) -> None:
    installed = data_dir / "policies" / "qianyang-2021-1.1.json"
    installed.parent.mkdir(parents=True)
    installed.write_text('{"id": "qianyang-2021", "version": "1.1"}', encoding="utf-8")
    info = backups.backup_now(office, CLERK).written[0]
    assert info.manifest["policies"] == {"qianyang-2021-1.1.json": stored_sha(installed)}
    new_pc = tmp_path / "new-pc"
    backups.restore_backup(new_pc, HEAD, set_dir=info.path)
    assert (new_pc / "policies" / "qianyang-2021-1.1.json").read_bytes() == installed.read_bytes()


def test_a_changed_installed_catalog_in_a_backup_is_refused(office, data_dir, tmp_path) -> None:
    installed = data_dir / "policies" / "qianyang-2021-1.1.json"
    installed.parent.mkdir(parents=True)
    installed.write_text('{"id": "qianyang-2021", "version": "1.1"}', encoding="utf-8")
    info = backups.backup_now(office, CLERK).written[0]
    (info.path / "policies" / "qianyang-2021-1.1.json").write_text("{}", encoding="utf-8")
    with pytest.raises(BackupError) as refused:
        backups.restore_backup(tmp_path / "new-pc", HEAD, set_dir=info.path)
    assert refused.value.code == "BACKUP_DAMAGED"
    assert not (tmp_path / "new-pc" / "policies").exists()


def stored_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
