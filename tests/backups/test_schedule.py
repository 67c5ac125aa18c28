"""Automatic backups: at the end of the working day and on exit, never more than once an hour."""

from __future__ import annotations

import datetime as dt

from core.backups.schedule import end_of_day_due, exit_backup_due

DAY = dt.date(2026, 11, 30)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_on_exit_at_most_once_an_hour() -> None:
    assert exit_backup_due(None, at(9))
    assert not exit_backup_due(at(9), at(9, 59))
    assert exit_backup_due(at(9), at(10))
    assert exit_backup_due(at(12), at(9))  # the clock was set back: a backup rather than none


def test_the_end_of_the_working_day_once() -> None:
    assert not end_of_day_due(None, at(17, 29))
    assert end_of_day_due(None, at(17, 30))
    assert end_of_day_due(at(12), at(17, 45))
    assert not end_of_day_due(at(17, 35), at(18, 40)), "already backed up after closing time"
    assert not end_of_day_due(at(17, 0), at(17, 40)), "within the hour of the last one"
    assert end_of_day_due(at(17, 40, DAY - dt.timedelta(days=1)), at(17, 40))
