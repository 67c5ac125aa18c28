"""Birth date from an ID number, through core.identity (GB 11643-1999, chars 7-14)."""

from __future__ import annotations

import datetime as dt

from core.errors import ValidationError
from core.identity import parse_id_number


def birth_from_id(id_number: str, today: dt.date) -> tuple[dt.date | None, str]:
    """(birth date, problem). A wrong check character still gives the birth date, with a note:
    the engine needs the age, and the ID check belongs to intake, which reports it there."""
    try:
        return parse_id_number(id_number, today=today).birth_date, ""
    except ValidationError as exc:
        if exc.code == "ID_CHECKSUM":
            return _digits_birth(
                id_number
            ), f"身份证号{id_number}校验位不正确，年龄按第7至14位的出生日期计算，请核对号码。"
        return None, f"无法从身份证号读出出生日期：{exc.message_zh}"


def _digits_birth(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
