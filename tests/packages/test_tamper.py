"""The tamper matrix: every damaged or replayed package is refused, each with its own code."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.db import open_database
from core.packages import format as f
from core.packages.county_import import import_package
from core.packages.export import export_batch
from core.packages.keys import AllowedKey, AllowList, raw_public
from core.packages.models import ImportedCase
from core.packages.registry import register_office_key
from core.packages.verify import verify_package
from tests.packages.conftest import make_town
from tests.packages.tamper import flip_middle, members_of, replace, resign, write_zip


@dataclass
class Built:
    path: Path
    key: Ed25519PrivateKey
    allow: AllowList
    code: str

    def seen(self, *numbers: int, digest: str = "other") -> dict[str, dict[int, str]]:
        return {self.code: dict.fromkeys(numbers, digest)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("tamper")
    town = make_town(root, "533422101", "升平镇")
    town.add_case("张三", "53342219900101123", 50000, (b"%PDF-1.4 scan of the id card", b"contract"))
    (root / "usb").mkdir()
    path = export_batch(town.db, town.data_dir, root / "usb", "clerk").path
    key = town.keys.office_key()
    town.db.close()
    yield Built(
        path,
        key,
        AllowList([AllowedKey(town.code, raw_public(key.public_key()), dt.datetime.min)]),
        town.code,
    )


def _member(built: Built, role: str) -> str:
    names = [n for n, _ in members_of(built.path)]
    prefix = {"case": f.CASES_DIR, "attachment": f.ATTACHMENTS_DIR, "roster-pdf": "roster/roster-"}.get(
        role, role
    )
    return next(n for n in names if n.startswith(prefix))


FLIP_EXPECTED = {
    f.HEADER: "PKG_SIGNATURE_INVALID",
    f.MANIFEST: "PKG_SIGNATURE_INVALID",
    f.SIGNATURE: "PKG_SIGNATURE_INVALID",
    "case": "PKG_HASH_MISMATCH",
    "attachment": "PKG_HASH_MISMATCH",
    f.ROSTER_XLSX: "PKG_HASH_MISMATCH",
    "roster-pdf": "PKG_HASH_MISMATCH",
}


def test_untouched_package_verifies(built: Built) -> None:
    result = verify_package(built.path, built.allow, {})
    assert result.ok, result.message
    assert result.header["number"] == 1


@pytest.mark.parametrize("role", sorted(FLIP_EXPECTED))
def test_one_byte_flipped_in_each_member(built: Built, tmp_path: Path, role: str) -> None:
    name = _member(built, role)
    members = members_of(built.path)
    bad = write_zip(tmp_path / "bad.zip", replace(members, name, flip_middle(dict(members)[name])))
    result = verify_package(bad, built.allow, {})
    assert result.code == FLIP_EXPECTED[role]
    assert result.message and not result.ok


def test_byte_flipped_on_disk_is_caught_by_the_zip_checksum(built: Built, tmp_path: Path) -> None:
    data = bytearray(built.path.read_bytes())
    offset = data.index(b"contract")  # a stored attachment's bytes
    data[offset] ^= 0xFF
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    assert verify_package(bad, built.allow, {}).code == "PKG_MEMBER_CORRUPT"


def _without(members: list[tuple[str, bytes]], prefix: str) -> list[tuple[str, bytes]]:
    drop = next(n for n, _ in members if n.startswith(prefix))
    return [(n, d) for n, d in members if n != drop]


def _renamed(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    return [(n.replace(f.CASES_DIR, "cases/x-") if n.startswith(f.CASES_DIR) else n, d) for n, d in members]


# (row, how to build the bad package, seen batch numbers, expected code)
Row = tuple[str, Callable[[Built, list[tuple[str, bytes]]], list[tuple[str, bytes]]], tuple[int, ...], str]
ROWS: list[Row] = [
    ("member removed", lambda b, m: _without(m, f.CASES_DIR), (), "PKG_MEMBER_MISSING"),
    ("attachment removed", lambda b, m: _without(m, f.ATTACHMENTS_DIR), (), "PKG_MEMBER_MISSING"),
    ("manifest removed", lambda b, m: _without(m, f.MANIFEST), (), "PKG_MEMBER_MISSING"),
    ("member added", lambda b, m: [*m, ("cases/extra.json", b"{}")], (), "PKG_MEMBER_EXTRA"),
    ("member renamed", lambda b, m: _renamed(m), (), "PKG_MEMBER_RENAMED"),
    ("member twice", lambda b, m: [*m, m[1]], (), "PKG_MEMBER_DUPLICATE"),
    ("path escapes the folder", lambda b, m: [*m, ("../evil.json", b"{}")], (), "PKG_MEMBER_NAME_INVALID"),
    ("signature replaced", lambda b, m: replace(m, f.SIGNATURE, dict(m)[f.SIGNATURE][:32] + os.urandom(64)), (), "PKG_SIGNATURE_INVALID"),
    ("signature truncated", lambda b, m: replace(m, f.SIGNATURE, dict(m)[f.SIGNATURE][:40]), (), "PKG_SIGNATURE_MALFORMED"),
    ("key not on the allow-list", lambda b, m: resign(m, Ed25519PrivateKey.generate()), (), "PKG_KEY_NOT_ALLOWED"),
    ("header claims another office", lambda b, m: resign(m, b.key, office_code="533422999"), (), "PKG_OFFICE_MISMATCH"),
    ("unknown format version", lambda b, m: resign(m, b.key, format_version=3), (), "PKG_FORMAT_VERSION"),
    ("version 1 claimed by a bag", lambda b, m: resign(m, b.key, format_version=1), (), "PKG_FORMAT_VERSION"),
    ("replayed batch", lambda b, m: m, (1,), "PKG_SEQUENCE_REUSED"),
    ("skipped sequence number", lambda b, m: resign(m, b.key, number=3), (1,), "PKG_SEQUENCE_GAP"),
]  # fmt: skip


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize(("row", "damage", "seen", "code"), ROWS, ids=[r[0] for r in ROWS])
def test_tamper_matrix(built: Built, tmp_path: Path, row: str, damage: Callable[..., list[tuple[str, bytes]]], seen: tuple[int, ...], code: str) -> None:  # fmt: skip
    bad = write_zip(tmp_path / "bad.zip", damage(built, members_of(built.path)))
    result = verify_package(bad, built.allow, built.seen(*seen))
    assert (result.code, result.ok) == (code, False), result.message
    assert result.message


def test_the_same_package_again_is_a_replay(built: Built) -> None:
    digest = verify_package(built.path, built.allow, {}).manifest_sha256
    result = verify_package(built.path, built.allow, built.seen(1, digest=digest))
    assert result.code == "PKG_REPLAY"


def test_truncated_zip(built: Built, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(built.path.read_bytes()[: built.path.stat().st_size * 2 // 3])
    assert verify_package(bad, built.allow, {}).code == "PKG_TRUNCATED"


def test_not_a_zip(tmp_path: Path, built: Built) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_text("这不是数据包", encoding="utf-8")
    assert verify_package(bad, built.allow, {}).code == "PKG_NOT_A_ZIP"


def test_key_outside_its_validity_window(built: Built) -> None:
    key = built.allow.keys[0]
    retired = AllowedKey(key.office_code, key.public_key, dt.datetime.min, dt.datetime(2000, 1, 1))
    assert verify_package(built.path, AllowList([retired]), {}).code == "PKG_KEY_NOT_VALID_THEN"


def test_a_bad_package_imports_nothing(built: Built, tmp_path: Path) -> None:
    members = members_of(built.path)
    name = next(n for n, _ in members if n.startswith(f.CASES_DIR))
    bad = write_zip(tmp_path / "bad.zip", replace(members, name, flip_middle(dict(members)[name])))
    db = open_database(tmp_path / "county")
    try:
        with db.session() as s, s.begin():
            register_office_key(s, built.code, raw_public(built.key.public_key()).hex().encode(), "admin")
            report = import_package(s, tmp_path / "county", bad, "clerk")
        assert report.status == "rejected" and report.verification.code == "PKG_HASH_MISMATCH"
        with db.session() as s:
            assert s.query(ImportedCase).count() == 0
        assert not (tmp_path / "county" / "attachments").exists()
    finally:
        db.close()
