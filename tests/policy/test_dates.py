"""Civil Code arts. 201-203 periods, working-day extension, ages and whole months."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from core.policy.dates import add_months, age_on, is_working_day, months_between, next_working_day, period_end
from tests.policy.helpers import d

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2060, 12, 31))


def test_six_months_from_31_august_ends_28_february() -> None:
    assert period_end(d("2021-08-31"), 6) == d("2022-02-28")


def test_same_numbered_day() -> None:
    assert period_end(d("2022-01-10"), 6) == d("2022-07-10")


def test_leap_years() -> None:
    assert period_end(d("2023-08-31"), 6) == d("2024-02-29")
    assert add_months(d("2024-02-29"), 12) == d("2025-02-28")
    assert add_months(d("2024-02-29"), 48) == d("2028-02-29")


def test_year_ends() -> None:
    assert add_months(d("2021-12-31"), 1) == d("2022-01-31")
    assert add_months(d("2021-11-30"), 1) == d("2021-12-30")
    assert add_months(d("2022-01-31"), -2) == d("2021-11-30")


def test_weekend_extension() -> None:
    saturday = d("2022-07-09")
    assert next_working_day(saturday) == d("2022-07-11")
    assert next_working_day(d("2022-07-11")) == d("2022-07-11")


def test_holidays_and_make_up_workdays() -> None:
    # 2022 National Day: 1-7 October off, Saturday 8 and Sunday 9 October worked.
    holidays = {d("2022-10-0" + str(i)) for i in range(1, 8)}
    workdays = {d("2022-10-08"), d("2022-10-09")}
    assert next_working_day(d("2022-10-01"), holidays, workdays) == d("2022-10-08")
    assert is_working_day(d("2022-10-09"), holidays, workdays)
    assert not is_working_day(d("2022-10-03"), holidays, workdays)


def test_age_in_full_years() -> None:
    assert age_on(d("1990-01-01"), d("2022-01-01")) == 32
    assert age_on(d("1990-01-01"), d("2021-12-31")) == 31
    assert age_on(d("2000-02-29"), d("2021-02-28")) == 21
    assert age_on(d("2000-02-29"), d("2021-02-27")) == 20


def test_months_between() -> None:
    assert months_between(d("2021-01-15"), d("2021-07-15")) == 6
    assert months_between(d("2021-01-15"), d("2021-07-14")) == 5
    assert months_between(d("2021-01-31"), d("2021-02-28")) == 1
    assert months_between(d("2021-07-15"), d("2021-01-15")) == -6


@given(dates, st.integers(min_value=0, max_value=240))
def test_period_end_properties(day: dt.date, n: int) -> None:
    end = add_months(day, n)
    assert end >= day
    assert end.day <= day.day
    assert months_between(day, end) == n
    assert (end.year * 12 + end.month) - (day.year * 12 + day.month) == n


@given(dates, dates)
def test_months_between_is_largest_ended_period(a: dt.date, b: dt.date) -> None:
    start, end = min(a, b), max(a, b)
    n = months_between(start, end)
    assert add_months(start, n) <= end < add_months(start, n + 1)


@given(dates, dates)
def test_age_grows_by_one_each_birthday(birth: dt.date, on: dt.date) -> None:
    if on >= birth:
        age = age_on(birth, on)
        assert age >= 0
        assert age_on(birth, add_months(birth, 12 * (age + 1))) == age + 1


@given(dates, st.sets(dates, max_size=10), st.sets(dates, max_size=5))
def test_next_working_day_is_working_and_not_earlier(
    day: dt.date, holidays: set[dt.date], workdays: set[dt.date]
) -> None:
    nxt = next_working_day(day, holidays, workdays)
    assert nxt >= day
    assert is_working_day(nxt, holidays, workdays)
    probe = day
    while probe < nxt:
        assert not is_working_day(probe, holidays, workdays)
        probe += dt.timedelta(days=1)
