"""Times are stored in UTC (core.db.models.utcnow); people read them in the PC's local time."""

from __future__ import annotations

import datetime as dt


def local_time(at: dt.datetime) -> dt.datetime:
    """A stored (naive, UTC) time as the clock on the office wall shows it."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
