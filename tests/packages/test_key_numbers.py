"""Keys that can be rotated and revoked for real (#13): by batch number, not the signer's clock.

Each test is a row of the independent tamper matrix: a holder of a retired or revoked key, a
county key that can be rotated, read-only key actions that must not create keys, one key under
one office, and the keys folder readable by its user only.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from alembic import command
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from core.actor import Actor, Role, Station
from core.app import key_registry, keys
from core.app.county import import_package
from core.db import open_database
from core.db.migrate import alembic_config
from core.packages.errors import PackageError
from core.packages.export import export_batch
from core.packages.format import ImportStatus
from core.packages.keys import KeyStore, _pem, _write_private, public_pem
from core.packages.registry import register_office_key
from main import main
from tests.packages.conftest import Site
from tests.packages.tamper import members_of, resign, write_zip

ADMIN = Actor("王审核", {Role.ADMIN, Role.REVIEWER}, Station.COUNTY)


def _rotate_and_register(town: Site, county: Site, usb: Path) -> Ed25519PrivateKey:
    """The town changes keys and hands its new key file over; returns the old private key."""
    old = town.keys.office_key()
    head = Actor("赵所长", {Role.HEAD, Role.ADMIN}, Station.TOWN)
    keys.rotate_office_key(town.db, head)
    key_file = keys.write_office_key_file(town.db, head, folder=usb)
    check = key_registry.check_office_key(county.db, source=key_file, code=town.code)
    assert check.current is not None  # registering stops the key in use
    key_registry.register_office_key(county.db, ADMIN, source=key_file, code=town.code, name="升平镇")
    return old


def _forged(town: Site, old: Ed25519PrivateKey, tmp_path: Path, number: int, **changes: object) -> Path:
    """A package signed with the old key, renumbered and back-dated, as its holder could make."""
    town.add_case(f"冒名{number}", f"53342219900101{number:02d}1")
    honest = export_batch(town.db, town.data_dir, tmp_path, "clerk").path
    members = resign(members_of(honest), old, number=number, key_fingerprint="", **changes)
    honest.unlink()
    return write_zip(tmp_path / f"forged-{number}.zip", members)


def test_a_back_dated_batch_signed_with_a_retired_key_is_refused(
    town: Site, county: Site, usb: Path, tmp_path: Path
) -> None:
    town.add_case("张三", "53342219900101123")
    first = export_batch(town.db, town.data_dir, usb, "clerk").path
    assert import_package(county.db, ADMIN, path=first).status == ImportStatus.IMPORTED
    old = _rotate_and_register(town, county, usb)
    forged = _forged(town, old, tmp_path, 2, created_at="2000-01-01T00:00:00")
    report = import_package(county.db, ADMIN, path=forged)
    assert report.verification.code == "PKG_KEY_RETIRED", report.verification.message
    state = key_registry.registered_keys(county.db)[1].state
    assert "第1批" in state and state.startswith("已换新密钥")


def test_a_batch_the_old_key_signed_before_the_change_still_imports(
    town: Site, county: Site, usb: Path, tmp_path: Path
) -> None:
    town.add_case("张三", "53342219900101123")
    first = export_batch(town.db, town.data_dir, usb, "clerk").path
    town.add_case("李四", "53342219910202123")
    second = export_batch(town.db, town.data_dir, usb, "clerk").path  # still on its way
    old = _rotate_and_register(town, county, usb)
    key_file = next(usb.glob("本所公钥-*.pem")).read_text(encoding="utf-8")
    assert "旧密钥最后批次：第2批" in key_file
    assert import_package(county.db, ADMIN, path=first).status == ImportStatus.IMPORTED
    assert import_package(county.db, ADMIN, path=second).status == ImportStatus.IMPORTED
    forged = _forged(town, old, tmp_path, 3)
    assert import_package(county.db, ADMIN, path=forged).verification.code == "PKG_KEY_RETIRED"
    town.add_case("王五", "53342219920303123")
    third = export_batch(
        town.db, town.data_dir, usb, "clerk"
    ).path  # the new key; number 3 went to the forgery
    assert import_package(county.db, ADMIN, path=third, allow_gap=True).status == ImportStatus.IMPORTED


def test_a_revoked_key_signs_nothing_more_whatever_time_it_claims(
    town: Site, county: Site, usb: Path, tmp_path: Path
) -> None:
    town.add_case("张三", "53342219900101123")
    first = export_batch(town.db, town.data_dir, usb, "clerk").path
    assert import_package(county.db, ADMIN, path=first).status == ImportStatus.IMPORTED
    fp = keys.fingerprint(town.db)
    revoked = key_registry.revoke_office_key(
        county.db, ADMIN, code=town.code, fingerprint=fp, reason="电脑被盗"
    )
    assert revoked.last_batch == 1 and "电脑被盗" in revoked.state
    forged = _forged(town, town.keys.office_key(), tmp_path, 2, created_at="2001-01-01T00:00:00+08:00")
    assert import_package(county.db, ADMIN, path=forged).verification.code == "PKG_KEY_RETIRED"
    with pytest.raises(PackageError) as info:
        key_registry.revoke_office_key(county.db, ADMIN, code=town.code, fingerprint=fp, reason="再停一次")
    assert info.value.code == "KEY_ALREADY_STOPPED"


def test_a_key_is_registered_under_one_office_only_and_never_revived(town: Site, county: Site) -> None:
    with county.db.session() as s, s.begin(), pytest.raises(PackageError) as info:
        register_office_key(s, "533422109", town.public_key_file(), "admin")
    assert info.value.code == "KEY_OTHER_OFFICE"
    old = town.public_key_file()
    with county.db.session() as s, s.begin():
        register_office_key(s, town.code, public_pem(Ed25519PrivateKey.generate().public_key()), "admin")
    with county.db.session() as s, s.begin(), pytest.raises(PackageError) as info:
        register_office_key(s, town.code, old, "admin")
    assert info.value.code == "KEY_RETIRED_AGAIN"


def test_rotation_keeps_only_the_public_half_also_of_keys_retired_before(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "town")
    store.office_key()
    legacy = store.folder / "retired"
    legacy.mkdir()
    _write_private(legacy / "office_signing-0000-20240101-000000.pem", _pem(Ed25519PrivateKey.generate()))
    store.rotate_office_key()
    names = sorted(p.name for p in legacy.iterdir())
    assert len(names) == 2 and all(n.endswith(".pub.pem") for n in names)
    assert not any(b"PRIVATE" in p.read_bytes() for p in legacy.iterdir())


def test_the_county_key_rotates_and_a_restore_keeps_the_key_it_replaces(county: Site, tmp_path: Path) -> None:
    before = keys.fingerprint(county.db, county=True)
    keys.export_backup(
        county.db, ADMIN, target=tmp_path / "backup.pem", password="一个足够长的密码", county=True
    )
    county.db.close()
    assert main(county.cli("key", "rotate", "--county")) == 0
    db = open_database(county.data_dir)
    try:
        rotated = keys.fingerprint(db, county=True)
        assert rotated != before
        assert not (county.data_dir / "keys" / "office_signing.pem").exists()  # not the office key
        restored = keys.restore_backup(
            db, ADMIN, source=tmp_path / "backup.pem", password="一个足够长的密码", county=True
        )
        assert restored == before == keys.fingerprint(db, county=True)
        kept = list((county.data_dir / "keys" / "replaced").iterdir())
        assert len(kept) == 1 and rotated.replace(" ", "")[:16] in kept[0].name
    finally:
        db.close()


@pytest.mark.parametrize(
    "argv", [["key", "fingerprint"], ["key", "fingerprint", "--county"], ["key", "public"]]
)
def test_reading_a_key_never_creates_one(
    tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "fresh"
    open_database(data_dir).close()
    extra = ["--to", str(tmp_path / "pub.pem")] if argv[-1] == "public" else []
    assert main(["--data-dir", str(data_dir), *argv, *extra]) == 2
    assert "还没有" in capsys.readouterr().err
    assert not list((data_dir / "keys").glob("*.pem")) if (data_dir / "keys").exists() else True


def test_a_town_reading_the_county_fingerprint_creates_no_county_key(town: Site) -> None:
    town.keys.office_key()  # the town's own key, made by its key dialog
    assert keys.fingerprint(town.db)
    with pytest.raises(PackageError):
        keys.fingerprint(town.db, county=True)
    assert not (town.data_dir / "keys" / "county_signing.pem").exists()


@pytest.mark.skipif(os.name != "posix", reason="modes are POSIX; Windows keeps the profile's ACL")
def test_the_keys_folder_is_readable_by_its_user_only(town: Site, county: Site) -> None:
    for site in (town, county):
        folder = site.data_dir / "keys"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for pem in folder.glob("*.pem"):
            if not pem.name.endswith(".pub.pem"):
                assert stat.S_IMODE(pem.stat().st_mode) == 0o600, pem


def test_migration_0005_numbers_the_keys_closed_before(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    data_dir = tmp_path / "county"
    if backend == "postgresql":  # an empty database, migrated here step by step
        from core.db.location import save_url

        data_dir.mkdir()
        save_url(data_dir, request.getfixturevalue("pg_server").new_database(migrated=False))
    db = open_database(data_dir, migrate=False)
    command.upgrade(alembic_config(db.engine), "0004_county_results")
    key = text(
        "INSERT INTO county_office_key (office_code, office_name, public_key, fingerprint, valid_from, valid_until, "
        "registered_at, registered_by) VALUES ('533422101', '', :pub, :fp, '0001-01-01', :until, '2024-01-01', 'x')"
    )
    with db.engine.begin() as con:
        con.execute(key, {"pub": "aa", "fp": "old", "until": "2024-05-01 00:00:00"})
        con.execute(key, {"pub": "bb", "fp": "unused", "until": "2024-05-01 00:00:00"})
        con.execute(key, {"pub": "cc", "fp": "new", "until": None})
        for n in (1, 2):
            con.execute(
                text(
                    "INSERT INTO imported_package (office_code, batch_number, manifest_sha256, file_name, "
                    "key_fingerprint, created_at, imported_at, imported_by, case_count, report) "
                    "VALUES ('533422101', :n, :m, 'f', 'old', '2024-01-01', '2024-01-01', 'x', 1, '[]')"
                ),
                {"n": n, "m": f"m{n}"},
            )
    db.close()
    db = open_database(data_dir)
    try:
        with db.reader() as conn:
            rows = conn.execute(
                "SELECT fingerprint, last_batch FROM county_office_key ORDER BY id"
            ).fetchall()
    finally:
        db.close()
    assert rows == [("old", 2), ("unused", None), ("new", None)]
