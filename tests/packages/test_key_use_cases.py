"""The key exchange's rules in core: key files people can read, the register's history, revocation
that never lengthens a key's life, and the copy of every exported batch."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.actor import Actor, PermissionDenied, Role, Station
from core.app import batches, key_registry, keys
from core.app import office as office_ops
from core.db import open_database
from core.db.models import AuditEvent
from core.errors import SubsidyDeskError
from core.operator import save_station
from core.packages.errors import PackageError
from core.packages.kept import kept_path
from core.packages.keys import public_pem, raw_public, read_key_file
from core.packages.models import CountyOfficeKey
from core.packages.registry import revoke_office_key
from core.settings_types import OfficeInput
from tests.packages.conftest import Site, make_town

COUNTY = Actor("王审核", (Role.REVIEWER, Role.FINANCE, Role.ADMIN), Station.COUNTY)


def _county(root: Path, name: str | None = "德钦县劳动就业管理局") -> Site:
    site = Site(root / "county", open_database(root / "county"), actor=COUNTY)
    save_station(site.data_dir, "county")
    if name:
        office_ops.save_county_name(site.db, COUNTY, name=name)
    return site


def test_a_key_file_reads_with_its_notes_and_bare_files_still_read(town: Site, tmp_path: Path) -> None:
    path = keys.write_office_key_file(town.db, town.actor, folder=tmp_path)
    info = read_key_file(path.read_bytes())
    assert info.notes["上报代码"] == "533422101" and info.notes["用途"] == "站所签名公钥"
    bare = tmp_path / "bare.pem"
    bare.write_bytes(town.public_key_file())  # as the command line writes it
    preview = keys.read_key_file(source=bare)
    assert (
        preview.fingerprint == keys.fingerprint(town.db)
        and preview.code == ""
        and preview.from_county is None
    )
    hex_file = tmp_path / "hex.txt"
    hex_file.write_text(raw_public(town.keys.office_key().public_key()).hex())
    assert keys.read_key_file(source=hex_file).fingerprint == preview.fingerprint
    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes("不是密钥".encode())
    with pytest.raises(PackageError) as info_bad:
        keys.read_key_file(source=garbage)
    assert info_bad.value.code == "KEY_FILE_INVALID"
    with pytest.raises(PackageError) as missing:
        keys.read_key_file(source=tmp_path / "nowhere.pem")
    assert missing.value.code == "KEY_FILE_UNREADABLE"


def test_each_side_refuses_the_other_sides_kind_of_file(town: Site, tmp_path: Path) -> None:
    county = _county(tmp_path)
    office_file = keys.write_office_key_file(town.db, town.actor, folder=tmp_path)
    signing, sealing = keys.write_county_key_files(county.db, COUNTY, folder=tmp_path)
    with pytest.raises(PackageError) as at_town:
        keys.check_county_key(town.db, source=office_file)
    assert at_town.value.code == "KEY_FILE_NOT_COUNTY" and "升平镇劳动保障事务所" in at_town.value.message_zh
    for wrong in (signing, sealing):
        with pytest.raises(PackageError) as at_county:
            key_registry.check_office_key(county.db, source=wrong, code="533422101")
        assert at_county.value.code == "KEY_FILE_NOT_OFFICE"
    county.db.close()


def test_the_same_county_key_again_changes_nothing(town: Site, tmp_path: Path) -> None:
    county = _county(tmp_path)
    signing, _ = keys.write_county_key_files(county.db, COUNTY, folder=tmp_path)
    assert keys.import_county_key_file(town.db, town.actor, source=signing).outcome == "new"
    with town.db.session() as s:
        before = s.scalar(select(func.count(AuditEvent.id)))
    again = keys.import_county_key_file(town.db, town.actor, source=signing)
    assert again.outcome == "same" and again.previous == again.fingerprint
    with town.db.session() as s:
        assert s.scalar(select(func.count(AuditEvent.id))) == before
    with pytest.raises(PermissionDenied):
        keys.import_county_key_file(county.db, COUNTY, source=signing)  # the county imports no county key
    county.db.close()


def test_a_new_key_of_an_office_stops_the_old_one_and_the_register_says_so(
    town: Site, county: Site, tmp_path: Path
) -> None:
    old_fp = keys.fingerprint(town.db)
    keys.rotate_office_key(town.db, town.actor)
    path = keys.write_office_key_file(town.db, town.actor, folder=tmp_path)
    check = key_registry.check_office_key(county.db, source=path, code=town.code)
    assert not check.already and check.current == old_fp
    key_registry.register_office_key(
        county.db, COUNTY, source=path, code=town.code, name="升平镇劳动保障事务所"
    )
    assert key_registry.check_office_key(county.db, source=path, code=town.code).already
    listed = key_registry.registered_keys(county.db)
    assert [k.active for k in listed] == [True, False]  # the newest of each office first
    assert listed[1].fingerprint == old_fp and listed[1].state.startswith("已换新密钥")
    with pytest.raises(PackageError) as stopped:
        key_registry.revoke_office_key(county.db, COUNTY, code=town.code, fingerprint=old_fp, reason="丢失")
    assert stopped.value.code == "KEY_ALREADY_STOPPED"


def test_revoking_never_makes_a_key_live_longer(county: Site, town: Site) -> None:
    fp = town.keys.office_fingerprint()
    earlier = dt.datetime(2024, 1, 1)
    with county.db.session() as s, s.begin():
        revoke_office_key(s, fp, earlier, "王审核", "电脑被盗", town.code)
    with county.db.session() as s, s.begin():
        revoke_office_key(s, fp, dt.datetime(2030, 1, 1), "王审核", "再次登记停用")
    with county.db.session() as s:
        assert s.scalar(select(CountyOfficeKey.valid_until)) == earlier


def test_register_asks_for_a_code_and_a_name(county: Site, tmp_path: Path) -> None:
    other = make_town(tmp_path, "533422106", "佛山乡")
    path = keys.write_office_key_file(other.db, other.actor, folder=tmp_path)
    with pytest.raises(SubsidyDeskError) as info:
        key_registry.register_office_key(county.db, COUNTY, source=path, code="bad code!", name=" ")
    assert [e.field for e in info.value.errors] == ["上报代码", "站所名称"]  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        key_registry.register_office_key(other.db, other.actor, source=path, code=other.code, name="佛山乡")
    other.db.close()


def test_slips_and_key_files_need_the_name_and_code_they_carry(db, tmp_path: Path) -> None:
    clerk = Actor("李经办", Role.ADMIN)
    office_ops.save_office(db, clerk, data=OfficeInput("533422", "升平镇", "升平镇劳动保障事务所"))
    with pytest.raises(SubsidyDeskError) as town_info:
        keys.prepare_key_slip(db, clerk)
    assert town_info.value.code == "OFFICE_IDENTITY_MISSING" and "事务所设置" in town_info.value.message_zh
    with pytest.raises(SubsidyDeskError):
        keys.write_office_key_file(db, clerk, folder=tmp_path)
    county = _county(tmp_path, name=None)
    with pytest.raises(SubsidyDeskError) as county_info:
        keys.prepare_key_slip(county.db, COUNTY)
    assert county_info.value.code == "COUNTY_NAME_MISSING" and "县局设置" in county_info.value.message_zh
    with pytest.raises(PermissionDenied):
        keys.write_office_key_file(county.db, COUNTY, folder=tmp_path)
    county.db.close()


def test_every_export_keeps_a_copy_and_without_one_nothing_is_exported(
    town: Site, county: Site, usb: Path
) -> None:
    """The kept copy is where a batch's content is fixed (core/packages/export_journal.py): an
    export that cannot keep it changes nothing and says so, and succeeds once the way is clear."""
    town.add_case("张三", "53342219900101123")
    first = batches.export_batch(town.db, town.actor, folder=usb)
    assert kept_path(town.data_dir, town.code, 1).read_bytes() == first.path.read_bytes()
    in_the_way = town.data_dir / "batches" / kept_path(town.data_dir, town.code, 2).name
    in_the_way.mkdir()
    town.add_case("李四", "53342219910202123")
    with pytest.raises(SubsidyDeskError) as refused:
        batches.export_batch(town.db, town.actor, folder=usb)
    assert refused.value.code == "DISK_WRITE_FAILED" and "本机数据所在的磁盘" in refused.value.message_zh
    assert [p.name for p in usb.iterdir()] == [first.path.name]
    in_the_way.rmdir()
    second = batches.export_batch(town.db, town.actor, folder=usb)
    assert second.number == 2 and second.notes == []
    rows = batches.batch_rows(town.db)
    rows.reload()
    assert [r.copy_kept for r in rows.rows] == [True, True]


def test_a_sealed_export_keeps_the_plain_package_and_the_stick_only_the_sealed_one(
    town: Site, county: Site, usb: Path
) -> None:
    town.keys.set_county_encryption_public(public_pem(county.keys.county_encryption_key().public_key()))
    town.add_case("张三", "53342219900101123")
    result = batches.export_batch(town.db, town.actor, folder=usb, encrypt=True)
    assert [p.name for p in usb.iterdir()] == [result.path.name]
    kept = kept_path(town.data_dir, town.code, 1)
    assert kept.read_bytes().startswith(b"PK")
    rows = batches.batch_rows(town.db)
    rows.reload()
    assert rows.rows[0].sealed and rows.rows[0].copy_kept
