"""Phone numbers: mainland mobile numbers, and landlines with an area code."""

from __future__ import annotations

import re

from core.errors import ValidationError

FIELD = "联系电话"
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def validate_phone(raw: str, allow_landline: bool = True, field: str = FIELD) -> str:
    """Return the number without spaces, or raise ValidationError."""
    number = "".join(raw.split())
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
