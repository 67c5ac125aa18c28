"""Dates as clerks type them: 2022-01-10, 2022.1.10, 2022/1/10, 2022年1月10日 or 20220110."""

from __future__ import annotations

import datetime as dt
import re

from core.errors import ValidationError

_DATE = re.compile(r"(\d{4})[-./年]?(\d{1,2})[-./月]?(\d{1,2})日?")


def parse_date(text: str, field: str) -> dt.date:
    """The date, or a ValidationError naming the field and showing the expected form."""
    match = _DATE.fullmatch(text.strip())
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise ValidationError("DATE_FORMAT", field, f"“{field}”应为日期，例如 2022-01-10，请检查年月日是否存在。")
