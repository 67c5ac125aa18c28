"""Validators for the identifiers the office handles: ID numbers, credit codes, cards, phones."""

from core.identity.bank import validate_bank_card
from core.identity.id_number import IdNumberInfo, mask_id_number, parse_id_number
from core.identity.phone import validate_phone
from core.identity.uscc import validate_uscc

__all__ = [
    "IdNumberInfo",
    "mask_id_number",
    "parse_id_number",
    "validate_bank_card",
    "validate_phone",
    "validate_uscc",
]
