"""Phone numbers: mainland mobile numbers, and landlines with an area code."""

from __future__ import annotations

import re

from core.errors import ValidationError
from core.identity.text import fold_code

FIELD = "联系电话"
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")


def validate_phone(raw: str, allow_landline: bool = True, field: str = FIELD) -> str:
    """Return the number without spaces, or raise ValidationError."""
    number = fold_code(raw)
    if not number:
        raise ValidationError("PHONE_EMPTY", field, f"请填写{field}。")
    if _MOBILE.fullmatch(number):
        return number
    if allow_landline and _LANDLINE.fullmatch(number):
        return number
    hint = (
        "11位手机号（1开头）或带区号的固定电话，如0917-1234567" if allow_landline else "11位手机号（1开头）"
    )
    raise ValidationError("PHONE_FORMAT", field, f"{field}格式不对，应为{hint}。")
