"""The protocol pieces on their own: signatures, metadata, checksums, the upload store, receipts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from core.net import tus
from core.net.receipts import Receipt, ReceiptRefused, read_receipt, sign_receipt
from core.net.signatures import SignatureRefused, sign, verify
from core.net.uploads import UploadError, UploadStore

KEY = Ed25519PrivateKey.generate()
NOW = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)


def _verify(method: str, path: str, headers: dict[str, str], seen: set[str] | None = None) -> str:
    memory = seen if seen is not None else set()

    def remember(keyid: str, nonce: str, until: dt.datetime) -> bool:
        if nonce in memory:
            return False
        memory.add(nonce)
        return True

    return verify(method, path, headers, lambda k: KEY.public_key() if k == "k1" else None, remember, now=NOW)


def test_a_signature_covers_the_tus_headers_the_request_has() -> None:
    headers = {"Upload-Offset": "0", "Upload-Checksum": tus.checksum_header(b"abc")}
    signed = {**headers, **sign("PATCH", "/tus/x", headers, KEY, "k1", now=NOW)}
    assert '"upload-offset" "upload-checksum"' in signed["Signature-Input"]
    assert _verify("PATCH", "/tus/x", signed) == "k1"


@pytest.mark.parametrize(
    "change",
    [
        lambda h: h.update({"Upload-Checksum": tus.checksum_header(b"abd")}),
        lambda h: h.update({"Date": "Wed, 02 Dec 2026 08:00:01 GMT"}),
        lambda h: h.update({"Signature-Input": h["Signature-Input"].replace('"upload-checksum"', "")}),
        lambda h: h.update({"Signature": "sig1=:" + "A" * 86 + "==:"}),
        lambda h: h.update({"Signature-Input": h["Signature-Input"].replace('keyid="k1"', 'keyid="k2"')}),
    ],
)
def test_any_change_to_a_signed_request_is_refused(change: object) -> None:
    headers = {"Upload-Offset": "0", "Upload-Checksum": tus.checksum_header(b"abc")}
    signed = {**headers, **sign("PATCH", "/tus/x", headers, KEY, "k1", now=NOW)}
    change(signed)  # type: ignore[operator]
    with pytest.raises(SignatureRefused):
        _verify("PATCH", "/tus/x", signed)


def test_a_header_added_after_signing_must_have_been_covered() -> None:
    signed = sign("POST", "/tus/", {}, KEY, "k1", now=NOW)
    with pytest.raises(SignatureRefused) as caught:
        _verify("POST", "/tus/", {**signed, "Upload-Length": "5"})
    assert caught.value.code == "SIG_COMPONENTS"


@given(st.text(max_size=300))
def test_garbage_signature_headers_are_refused_never_a_crash(garbage: str) -> None:
    signed = sign("POST", "/tus/", {}, KEY, "k1", now=NOW)
    for name in ("Signature-Input", "Signature", "Date"):
        with pytest.raises(SignatureRefused):
            _verify("POST", "/tus/", {**signed, name: garbage})


@given(
    st.dictionaries(st.text(alphabet="abcdefghij", min_size=1, max_size=8), st.text(max_size=40), max_size=5)
)
def test_metadata_round_trips(values: dict[str, str]) -> None:
    assert tus.decode_metadata(tus.encode_metadata(values)) == values


def test_bad_metadata_and_checksums_are_protocol_errors() -> None:
    for bad in ("a !!!", "a YQ==,a YQ=="):
        with pytest.raises(tus.ProtocolError):
            tus.decode_metadata(bad)
    with pytest.raises(tus.ProtocolError):
        tus.parse_checksum("md5 YQ==")
    with pytest.raises(tus.ProtocolError):
        tus.parse_count("-1", "length")


def test_the_store_never_reports_more_than_the_disk_holds(tmp_path: Path) -> None:
    store = UploadStore(tmp_path, max_bytes=1000)
    upload = store.create("533422101", 100, {}, "now")
    store.append(upload, 0, [b"x" * 60], None)
    path = store.data_path(upload.id)
    path.write_bytes(path.read_bytes()[:40])  # a power cut lost the last 20 bytes
    assert store.get(upload.id).offset == 40  # type: ignore[union-attr]


def test_a_chunk_with_a_wrong_checksum_leaves_nothing(tmp_path: Path) -> None:
    store = UploadStore(tmp_path, max_bytes=1000)
    upload = store.create("533422101", 100, {}, "now")
    store.append(upload, 0, [b"a" * 10], None)
    with pytest.raises(UploadError) as caught:
        store.append(upload, 10, [b"b" * 10], tus.parse_checksum(tus.checksum_header(b"c" * 10)))
    assert caught.value.status == tus.CHECKSUM_MISMATCH
    assert store.data_path(upload.id).read_bytes() == b"a" * 10
    assert store.get(upload.id).offset == 10  # type: ignore[union-attr]


def test_too_large_and_overrunning_uploads_are_refused(tmp_path: Path) -> None:
    store = UploadStore(tmp_path, max_bytes=100)
    with pytest.raises(UploadError) as big:
        store.create("533422101", 101, {}, "now")
    assert big.value.status == 413 and "改用U盘" in big.value.message_zh
    upload = store.create("533422101", 10, {}, "now")
    with pytest.raises(UploadError):
        store.append(upload, 0, [b"x" * 11], None)
    assert store.get(upload.id).offset == 0  # type: ignore[union-attr]


def test_a_receipt_is_checked_against_the_county_key() -> None:
    receipt = Receipt("u1", "533422101", 3, "ab" * 32, "2026-12-02T08:00:00+00:00", "verified")
    document = sign_receipt(receipt, KEY)
    assert read_receipt(json.loads(json.dumps(document)), KEY.public_key()) == receipt
    forged = {**document, "receipt": {**document["receipt"], "verdict": "imported"}}
    with pytest.raises(ReceiptRefused):
        read_receipt(forged, KEY.public_key())
    with pytest.raises(ReceiptRefused):
        read_receipt(document, Ed25519PrivateKey.generate().public_key())
    with pytest.raises(ReceiptRefused):
        read_receipt(["not", "a", "receipt"], KEY.public_key())
