"""The county's signed receipt for an uploaded batch: office, batch number, manifest hash, when
it arrived, and the verdict with its reason. Signed with the county key, so the town can show it
as proof that the batch arrived (or why it was refused) and keep it."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.errors import SubsidyDeskError

VERIFIED = "verified"  # passed every check of a USB import; waits in the county's inbox
REFUSED = "refused"  # failed a check; kept apart with its reason
IMPORTED = "imported"  # the county has imported it

VERDICT_LABELS = {VERIFIED: "已送达，县局核验通过", REFUSED: "被县局拒收", IMPORTED: "县局已导入"}


class ReceiptRefused(SubsidyDeskError):
    """A receipt that the county key did not sign, or that is about another batch."""


@dataclass(frozen=True)
class Receipt:
    upload_id: str
    office_code: str
    batch_number: int
    manifest_sha256: str
    received_at: str  # ISO 8601, UTC
    verdict: str
    reason: str = ""

    @property
    def label(self) -> str:
        return VERDICT_LABELS.get(self.verdict, "状态不明")


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign_receipt(receipt: Receipt, key: Ed25519PrivateKey) -> dict[str, Any]:
    fields = asdict(receipt)
    return {"receipt": fields, "signature": base64.b64encode(key.sign(_canonical(fields))).decode("ascii")}


def read_receipt(document: object, county_key: Ed25519PublicKey) -> Receipt:
    """Check the county's signature on a receipt document and return the receipt."""
    refused = ReceiptRefused("RECEIPT_BAD", "县局的回执没有通过签名核验，不能作为送达的凭据。")
    if not isinstance(document, dict):
        raise refused
    fields, signature = document.get("receipt"), document.get("signature")
    if not isinstance(fields, dict) or not isinstance(signature, str):
        raise refused
    try:
        county_key.verify(base64.b64decode(signature, validate=True), _canonical(fields))
        receipt = Receipt(**fields)
    except (InvalidSignature, ValueError, TypeError):
        raise refused from None
    if not isinstance(receipt.batch_number, int) or isinstance(receipt.batch_number, bool):
        raise refused
    return receipt
