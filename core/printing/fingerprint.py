"""The short hash of a case's content and the QR payload on the 受理回执.

The county scans the receipt's QR code (or types the printed hash) and compares it with the
case in the exported data: if any of the hashed fields changed after the receipt was printed,
the hashes differ. Hashed: the case UUID, the subsidy id, the applicant's ID number (or credit
code), the facts as stored, and the amount in fen, as canonical JSON (sorted keys, no spaces,
UTF-8), SHA-256, first 12 hex characters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

HASH_LENGTH = 12
QR_PREFIX = "SUBSIDYDESK1"


def _jsonable(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


def canonical_case_json(
    case_uuid: str, subsidy_id: str, applicant_id: str, facts: Mapping[str, Any], amount_fen: int | None
) -> str:
    doc = {
        "uuid": case_uuid,
        "subsidy": subsidy_id,
        "applicant_id": applicant_id,
        "facts": dict(facts),
        "amount_fen": amount_fen,
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable)


def case_content_hash(
    case_uuid: str, subsidy_id: str, applicant_id: str, facts: Mapping[str, Any], amount_fen: int | None
) -> str:
    """First 12 hex characters of SHA-256 over the canonical JSON of the case content."""
    text = canonical_case_json(case_uuid, subsidy_id, applicant_id, facts, amount_fen)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def qr_payload(case_uuid: str, content_hash: str) -> str:
    """`SUBSIDYDESK1|<uuid>|<hash>`: short enough for a small QR code that phones read easily."""
    return f"{QR_PREFIX}|{case_uuid}|{content_hash}"


def parse_qr_payload(text: str) -> tuple[str, str] | None:
    """(uuid, hash) from a scanned payload, or None when it is not one of ours."""
    parts = text.strip().split("|")
    if len(parts) != 3 or parts[0] != QR_PREFIX or len(parts[2]) != HASH_LENGTH:
        return None
    return parts[1], parts[2]
