"""Office and county keys: created once, private, backed up with a password, rotated safely."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from core.packages.errors import PackageError
from core.packages.export import export_batch
from core.packages.keys import KeyStore, display_fingerprint
from core.packages.registry import load_allow_list, register_office_key
from core.packages.verify import verify_package
from tests.packages.conftest import Site


def test_office_key_is_created_once_and_kept_private(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path)
    fp = keys.office_fingerprint()
    assert KeyStore(tmp_path).office_fingerprint() == fp
    assert len(fp) == 64
    assert display_fingerprint(fp).count(" ") == 15
    if os.name == "posix":
        mode = stat.S_IMODE((tmp_path / "keys" / "office_signing.pem").stat().st_mode)
        assert mode == 0o600


def test_backup_needs_its_password(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "a")
    fp = keys.office_fingerprint()
    keys.export_backup(tmp_path / "backup.pem", "正确的密码123")
    assert b"ENCRYPTED" in (tmp_path / "backup.pem").read_bytes()
    fresh = KeyStore(tmp_path / "b")
    with pytest.raises(PackageError) as info:
        fresh.restore_backup(tmp_path / "backup.pem", "wrong password")
    assert info.value.code == "KEY_BACKUP_UNREADABLE"
    assert fresh.restore_backup(tmp_path / "backup.pem", "正确的密码123") == fp
    assert fresh.office_fingerprint() == fp
    with pytest.raises(PackageError):
        keys.export_backup(tmp_path / "short.pem", "short")


def test_rotated_key_keeps_old_packages_verifying(town: Site, county: Site, usb: Path) -> None:
    town.add_case("张三", "53342219900101123")
    old_package = export_batch(town.db, town.data_dir, usb, "clerk").path
    old_fp = town.keys.office_fingerprint()
    town.keys.rotate_office_key()
    assert town.keys.office_fingerprint() != old_fp
    retired = list((town.data_dir / "keys" / "retired").iterdir())
    assert len(retired) == 1 and retired[0].name.endswith(".pub.pem")  # the private half is gone
    assert b"PRIVATE" not in retired[0].read_bytes()
    town.add_case("李四", "53342219910202123")
    new_package = export_batch(town.db, town.data_dir, usb, "clerk").path
    with county.db.session() as s:
        assert (
            verify_package(new_package, load_allow_list(s), {}, allow_gap=True).code == "PKG_KEY_NOT_ALLOWED"
        )
    with county.db.session() as s, s.begin():
        # The town's new key file says its old key signed up to batch 1 (core/packages/key_numbers.py).
        register_office_key(s, town.code, town.public_key_file(), "county-admin", previous_last_batch=1)
    with county.db.session() as s:
        allow = load_allow_list(s)
    assert verify_package(old_package, allow, {}).ok
    assert verify_package(new_package, allow, {}, allow_gap=True).ok
