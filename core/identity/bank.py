"""Bank and social-security card numbers: digits only, Luhn check (ISO/IEC 7812)."""

from __future__ import annotations

from core.errors import ValidationError
from core.identity.text import fold_code, only_digits

FIELD = "银行卡号"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def validate_bank_card(raw: str, field: str = FIELD) -> str:
    """Return the card number without spaces, or raise ValidationError.

    Chinese debit cards and the financial account of a social-security card have
    16 to 19 digits and carry a Luhn check digit.
    """
    number = fold_code(raw)
    if not number:
        raise ValidationError("CARD_EMPTY", field, f"请填写{field}。")
    if not only_digits(number):
        raise ValidationError("CARD_CHARS", field, f"{field}只能是数字，请核对。")
    if not 16 <= len(number) <= 19:
        raise ValidationError(
            "CARD_LENGTH", field, f"{field}应为16至19位数字，现在是{len(number)}位，请核对。"
        )
    if not luhn_ok(number):
        raise ValidationError(
            "CARD_CHECKSUM", field, f"{field}校验不通过，可能有数字输错，请对照卡面逐位核对。"
        )
    return number
