"""The signed header must match what it signs (#13): a holder of a trusted key cannot get a
header past the county that says one thing while the members say another. Each row is a
package signed by the office's own registered key, so only the content checks can refuse it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.packages import format as f
from core.packages.export import export_batch
from core.packages.keys import AllowedKey, AllowList, raw_public
from core.packages.limits import MB, ImportLimits
from core.packages.verify import verify_package
from tests.packages.conftest import make_town
from tests.packages.tamper import members_of, resign, write_zip

Members = list[tuple[str, bytes]]


class Built:
    def __init__(self, path: Path, key: Ed25519PrivateKey, code: str) -> None:
        self.path, self.key, self.code = path, key, code
        self.allow = AllowList([AllowedKey(code, raw_public(key.public_key()), dt.datetime.min)])
        self.header: dict[str, Any] = json.loads(dict(members_of(path))[f.HEADER])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("header")
    town = make_town(root, "533422101", "升平镇")
    town.add_case("张三", "53342219900101123", 50000, (b"%PDF-1.4 id card", b"contract"))
    town.add_case("李四", "53342219910202123", 30000, (b"%PDF-1.4 id card 2",))
    (root / "usb").mkdir()
    path = export_batch(town.db, town.data_dir, root / "usb", "clerk").path
    key = town.keys.office_key()
    town.db.close()
    yield Built(path, key, town.code)


def _doc_changed(b: Built, m: Members, **case: object) -> Members:
    """The first case document changed (and signed again), the header left as it was."""
    name = f.case_member(b.header["cases"][0])
    doc = json.loads(dict(m)[name])
    doc["case"].update(case)
    return resign([(n, f.canonical_json(doc) if n == name else d) for n, d in m], b.key)


def _dropped_case(b: Built, m: Members) -> Members:
    """A case document removed and the header's list shortened to match: the count still says 2."""
    name = f.case_member(b.header["cases"][1])
    return resign([(n, d) for n, d in m if n != name], b.key, cases=b.header["cases"][:1])


OTHER_UUID = "00000000-0000-4000-8000-000000000000"
Row = tuple[str, Callable[[Built, Members], Members], str]
ROWS: list[Row] = [
    ("a case carried but not listed", lambda b, m: resign(m, b.key, cases=b.header["cases"][:1]), "PKG_HEADER_CASES_MISMATCH"),
    ("a case listed but not carried", lambda b, m: resign(m, b.key, cases=[*b.header["cases"], OTHER_UUID]), "PKG_HEADER_CASES_MISMATCH"),
    ("a case listed twice", lambda b, m: resign(m, b.key, cases=[*b.header["cases"], b.header["cases"][0]]), "PKG_HEADER_CASES_MISMATCH"),
    ("the case list is not a list", lambda b, m: resign(m, b.key, cases="all"), "PKG_HEADER_INVALID"),
    ("case_count says more", lambda b, m: resign(m, b.key, case_count=3), "PKG_HEADER_COUNT_MISMATCH"),
    ("case_count after a case dropped", _dropped_case, "PKG_HEADER_COUNT_MISMATCH"),
    ("case_count a boolean", lambda b, m: resign(m, b.key, case_count=True), "PKG_HEADER_COUNT_MISMATCH"),
    ("total_fen raised", lambda b, m: resign(m, b.key, total_fen=b.header["total_fen"] + 100), "PKG_HEADER_TOTAL_MISMATCH"),
    ("total_fen a string", lambda b, m: resign(m, b.key, total_fen="80000"), "PKG_HEADER_TOTAL_MISMATCH"),
    ("a case's amount raised, header kept", lambda b, m: _doc_changed(b, m, amount_fen=5_000_000), "PKG_HEADER_TOTAL_MISMATCH"),
    ("a negative amount", lambda b, m: _doc_changed(b, m, amount_fen=-50000), "PKG_CASE_UNREADABLE"),
    ("a case document of another case", lambda b, m: _doc_changed(b, m, uuid=OTHER_UUID), "PKG_CASE_UNREADABLE"),
    ("a case's subsidy changed, header kept", lambda b, m: _doc_changed(b, m, subsidy_id="startup_once"), "PKG_HEADER_SUBSIDY_TOTALS_MISMATCH"),
    ("per-subsidy totals changed", lambda b, m: resign(m, b.key, totals={"transport_once": {"count": 2, "amount_fen": 1}}), "PKG_HEADER_SUBSIDY_TOTALS_MISMATCH"),
    ("attachment_count changed", lambda b, m: resign(m, b.key, attachment_count=1), "PKG_HEADER_ATTACHMENTS_MISMATCH"),
    ("attachment_bytes changed", lambda b, m: resign(m, b.key, attachment_bytes=1), "PKG_HEADER_ATTACHMENTS_MISMATCH"),
    ("an attachment under another hash", lambda b, m: resign([(f"{f.ATTACHMENTS_DIR}{'0' * 64}" if n.startswith(f.ATTACHMENTS_DIR) and i == 0 else n, d) for i, (n, d) in enumerate(sorted(m))], b.key), "PKG_HEADER_ATTACHMENTS_MISMATCH"),
    ("batch number True", lambda b, m: resign(m, b.key, number=True), "PKG_NUMBER_INVALID"),
    ("batch number 0", lambda b, m: resign(m, b.key, number=0), "PKG_NUMBER_INVALID"),
    ("batch number negative", lambda b, m: resign(m, b.key, number=-4), "PKG_NUMBER_INVALID"),
    ("batch number a float", lambda b, m: resign(m, b.key, number=1.0), "PKG_HEADER_INVALID"),
    ("format version True", lambda b, m: resign(m, b.key, format_version=True), "PKG_FORMAT_VERSION"),
    ("created_at not a time", lambda b, m: resign(m, b.key, created_at="yesterday"), "PKG_HEADER_INVALID"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "damage", "code"), ROWS, ids=[r[0] for r in ROWS])
def test_header_against_contents(
    built: Built, tmp_path: Path, row: str, damage: Callable[[Built, Members], Members], code: str
) -> None:
    bad = write_zip(tmp_path / "bad.zip", damage(built, members_of(built.path)))
    result = verify_package(bad, built.allow, {})
    assert (result.code, result.ok) == (code, False), result.message
    assert result.message and code not in result.message


def test_the_untouched_package_passes_every_content_check(built: Built) -> None:
    result = verify_package(built.path, built.allow, {})
    assert result.ok, result.message
    assert result.header["case_count"] == 2 and result.header["total_fen"] == 80000


def test_a_time_with_an_offset_is_parsed_not_a_crash(built: Built, tmp_path: Path) -> None:
    later = resign(members_of(built.path), built.key, created_at="2024-06-01T08:00:00+08:00")
    good = verify_package(write_zip(tmp_path / "tz.zip", later), built.allow, {})
    assert good.ok, good.message
    # 08:00 at +08:00 is midnight UTC: a window ending at 00:00 UTC refuses it, one after accepts it.
    raw = raw_public(built.key.public_key())
    ended = AllowList([AllowedKey(built.code, raw, dt.datetime.min, dt.datetime(2024, 6, 1))])
    open_until = AllowList([AllowedKey(built.code, raw, dt.datetime.min, dt.datetime(2024, 6, 1, 0, 0, 1))])
    assert verify_package(tmp_path / "tz.zip", ended, {}).code == "PKG_KEY_NOT_VALID_THEN"
    assert verify_package(tmp_path / "tz.zip", open_until, {}).ok


def _with_comment(data: bytes, comment: bytes) -> bytes:
    """The end-of-central-directory record given a comment, as a zip tool would write it."""
    assert data[-22:-18] == b"PK\x05\x06" and data[-2:] == b"\0\0"
    return data[:-2] + len(comment).to_bytes(2, "little") + comment


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ("comment", "PKG_ARCHIVE_COMMENT"),
        ("appended", "PKG_TRAILING_BYTES"),
        ("comment and appended", "PKG_TRAILING_BYTES"),
        ("truncated", "PKG_TRUNCATED"),
        ("truncated after the roster", "PKG_TRUNCATED"),
    ],
)
def test_the_end_of_the_file_is_told_as_what_it_is(built: Built, tmp_path: Path, how: str, code: str) -> None:
    data = built.path.read_bytes()
    roster_end = data.index(b"PK\x05\x06") + 22  # the roster workbook's own end record, stored inside
    damaged = {
        "comment": lambda: _with_comment(data, "县局已收".encode()),
        "appended": lambda: data + b"\0" * 300,
        "comment and appended": lambda: _with_comment(data, b"note") + b"extra bytes",
        "truncated": lambda: data[: len(data) // 2],
        "truncated after the roster": lambda: data[: roster_end + 10],
    }[how]()
    bad = tmp_path / "bad.zip"
    bad.write_bytes(damaged)
    result = verify_package(bad, built.allow, {})
    assert result.code == code, result.message


def test_an_attachment_over_the_county_cap_is_refused_before_it_is_read(built: Built) -> None:
    small = ImportLimits(attachment_bytes=10, package_bytes=100 * MB)
    result = verify_package(built.path, built.allow, {}, limits=small)
    assert result.code == "PKG_ATTACHMENT_TOO_LARGE" and result.problems[0].member


def test_a_package_over_the_county_cap_is_refused(built: Built) -> None:
    tiny = ImportLimits(attachment_bytes=MB, package_bytes=1000)
    assert verify_package(built.path, built.allow, {}, limits=tiny).code == "PKG_TOO_LARGE"


def test_a_zip_that_unpacks_to_more_than_the_cap_is_refused(built: Built, tmp_path: Path) -> None:
    members = members_of(built.path)
    bomb = resign([*members, ("roster/padding.bin", b"\0" * (3 * MB))], built.key)
    path = tmp_path / "bomb.zip"
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in bomb:
            zf.writestr(name, data)
    assert path.stat().st_size < MB
    limits = ImportLimits(attachment_bytes=MB, package_bytes=2 * MB)
    assert verify_package(path, built.allow, {}, limits=limits).code == "PKG_TOO_LARGE"
