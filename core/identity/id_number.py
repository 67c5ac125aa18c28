"""居民身份证号码 (GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check character."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.errors import ValidationError
from core.identity.text import fold_code, only_digits

FIELD = "身份证号"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class IdNumberInfo:
    """What an ID number says about its holder."""

    number: str
    area_code: str
    birth_date: dt.date
    sex: str  # "男" or "女": the 17th digit is odd for men (GB 11643-1999 §4.2.3)


def check_character(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalise_id_number(raw: str) -> str:
    """Fold full-width digits, strip spaces and accept a lower-case x, as clerks type it."""
    return fold_code(raw)


def parse_id_number(raw: str, today: dt.date | None = None) -> IdNumberInfo:
    """Validate an ID number and return its parts; raises ValidationError with a stable code."""
    number = normalise_id_number(raw)
    if not number:
        raise ValidationError("ID_EMPTY", FIELD, "请填写身份证号。")
    if len(number) != 18:
        raise ValidationError(
            "ID_LENGTH", FIELD, f"身份证号应为18位，现在是{len(number)}位，请核对后重新输入。"
        )
    if not only_digits(number[:17]) or not (only_digits(number[17]) or number[17] == "X"):
        raise ValidationError(
            "ID_CHARS", FIELD, "身份证号前17位只能是数字，最后一位是数字或X，请核对后重新输入。"
        )
    birth = _birth_date(number, today or dt.date.today())
    if check_character(number[:17]) != number[17]:
        raise ValidationError(
            "ID_CHECKSUM", FIELD, "身份证号校验位不正确，可能有数字输错，请对照身份证逐位核对。"
        )
    sex = "男" if int(number[16]) % 2 == 1 else "女"
    return IdNumberInfo(number=number, area_code=number[:6], birth_date=birth, sex=sex)


def _birth_date(number: str, today: dt.date) -> dt.date:
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            "ID_BIRTH_DATE", FIELD, "身份证号第7至14位的出生日期不存在，请核对后重新输入。"
        ) from None
    if birth < _EARLIEST_BIRTH or birth > today:
        raise ValidationError(
            "ID_BIRTH_DATE", FIELD, "身份证号中的出生日期不合理（早于1900年或晚于今天），请核对。"
        )
    return birth


def mask_id_number(number: str) -> str:
    """610328********1234: area code and the last four, as printed on public lists."""
    if len(number) != 18:
        return "*" * len(number)
    return number[:6] + "*" * 8 + number[14:]
