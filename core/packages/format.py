"""The package format: member names, the header, the manifest and what the signature covers.

A package is a zip (BagIt-style: payload, a sha256 manifest of every payload member, a detached
signature). Members:

    header.json            format version, office, batch number, totals (see build_header)
    cases/<uuid>.json      one document per case
    attachments/<sha256>   each scan or photo once, named by its content hash
    roster/roster.xlsx     花名册 (and roster/roster.pdf when core.printing can render it)
    manifest-sha256.txt    "<sha256>  <member>" for every member above, sorted by name
    signature.ed25519      32 bytes public key + 64 bytes Ed25519 signature over signed_message()

A result package (county → town) has header.json, results.json, the manifest and signature.
A catalog update (county → every town) has header.json, catalog/<catalog id>.json, the
manifest and signature.
"""

from __future__ import annotations

import hashlib
import json
import re
from enum import StrEnum
from typing import Any

FORMAT_VERSION = 1
READABLE_VERSIONS = (1,)  # what verification accepts; FORMAT_VERSION is what is written


class ImportStatus(StrEnum):
    """What importing a package (a batch at the county, results at the town) came to."""

    IMPORTED = "imported"
    ALREADY_IMPORTED = "already_imported"  # the same package again: nothing changed
    REJECTED = "rejected"  # it did not verify: nothing was imported


KIND_BATCH = "subsidydesk-batch"
KIND_RESULTS = "subsidydesk-results"
KIND_CATALOG = "subsidydesk-catalog"  # a county catalog update (core/packages/catalog_update.py)
HEADER = "header.json"
MANIFEST = "manifest-sha256.txt"
SIGNATURE = "signature.ed25519"
RESULTS = "results.json"
ROSTER_XLSX = "roster/roster.xlsx"
ROSTER_PDF = "roster/roster.pdf"
CASES_DIR = "cases/"
ATTACHMENTS_DIR = "attachments/"
CONTROL_MEMBERS = frozenset({MANIFEST, SIGNATURE})
# Domain separation: a batch signature can never pass as a result signature, or the reverse.
_SIGNING_TAG = {
    KIND_BATCH: b"SubsidyDesk batch package v1\0",
    KIND_RESULTS: b"SubsidyDesk results v1\0",
    KIND_CATALOG: b"SubsidyDesk catalog update v1\0",
}
_MANIFEST_LINE = re.compile(r"([0-9a-f]{64})  (\S+)")
_SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


def canonical_json(value: Any) -> bytes:
    """Stable bytes for a JSON document: sorted keys, UTF-8, a final newline."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def signed_message(kind: str, header: bytes, manifest: bytes) -> bytes:
    """What the signature covers: the header and the manifest (which hashes every other member)."""
    return _SIGNING_TAG[kind] + hashlib.sha256(header).digest() + hashlib.sha256(manifest).digest()


def render_manifest(hashes: dict[str, str]) -> bytes:
    return "".join(f"{hashes[name]}  {name}\n" for name in sorted(hashes)).encode("ascii")


def parse_manifest(data: bytes) -> dict[str, str] | None:
    """{member: sha256}, or None when the manifest is not well formed."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return None
    result: dict[str, str] = {}
    for line in text.splitlines():
        match = _MANIFEST_LINE.fullmatch(line)
        if not match or not is_safe_name(match[2]) or match[2] in result or match[2] in CONTROL_MEMBERS:
            return None
        result[match[2]] = match[1]
    return result


def is_safe_name(name: str) -> bool:
    """No absolute paths, no `..`, no odd characters: a member name can never escape a folder."""
    return bool(_SAFE_NAME.fullmatch(name)) and ".." not in name.split("/")


def package_prefix(kind: str, office_code: str) -> str:
    """The start of every package file name of one kind and office: `batch-533422101-`."""
    return f"{'batch' if kind == KIND_BATCH else 'results'}-{office_code}-"


def package_file_name(kind: str, office_code: str, number: int) -> str:
    return f"{package_prefix(kind, office_code)}{number:05d}.zip"


def case_member(uuid: str) -> str:
    return f"{CASES_DIR}{uuid}.json"


def attachment_member(sha256: str) -> str:
    return f"{ATTACHMENTS_DIR}{sha256}"
