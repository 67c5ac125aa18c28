"""Dates as clerks type them, in the intake forms and on the county screen alike."""

from __future__ import annotations

import datetime as dt

import pytest

from core.date_input import parse_date
from core.errors import ValidationError


@pytest.mark.parametrize(
    "text", ["2022-01-10", "2022.1.10", "2022/1/10", "2022年1月10日", "20220110", " 2022-1-10 "]
)
def test_the_usual_ways_of_writing_a_date(text: str) -> None:
    assert parse_date(text, "申请日期") == dt.date(2022, 1, 10)


@pytest.mark.parametrize("text", ["2022-02-30", "10/01/2022", "", "明天"])
def test_impossible_or_unreadable_dates_name_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(text, "拨付日期")
    assert info.value.code == "DATE_FORMAT" and "拨付日期" in info.value.message_zh
