"""When the program backs up by itself: at the end of the working day, and on exit.

Never more than once an hour (issue 14): a clerk who opens and closes the program ten times a
morning does not get ten backups. The working day ends at 17:30 on the office's clock (the
usual 8:30–17:30 of a township office); a window still open then backs up once, and the
backup made on exit covers days the program was closed earlier.
"""

from __future__ import annotations

import datetime as dt

END_OF_DAY = dt.time(17, 30)
MIN_GAP = dt.timedelta(hours=1)


def exit_backup_due(last: dt.datetime | None, now: dt.datetime) -> bool:
    return last is None or not (dt.timedelta(0) <= now - last < MIN_GAP)


def end_of_day_due(last: dt.datetime | None, now: dt.datetime) -> bool:
    """Past 17:30 today, and no automatic backup since today's 17:30 (nor within the hour)."""
    closing = dt.datetime.combine(now.date(), END_OF_DAY)
    if now < closing:
        return False
    return exit_backup_due(last, now) and (last is None or last < closing or last > now)
