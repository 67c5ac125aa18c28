"""The idle lock's clock: the window locks itself after a time without input (default 10
minutes, 设置 → 账户管理) and asks the same person's password again.

Pure and light (the main window imports it before the ORM loads); the caller gives the time,
so tests drive a fake clock instead of sleeping.
"""

from __future__ import annotations

import datetime as dt


class IdleLock:
    def __init__(self, timeout: dt.timedelta, now: dt.datetime) -> None:
        self.timeout = timeout
        self.last = now

    def touch(self, now: dt.datetime) -> None:
        self.last = now

    def due(self, now: dt.datetime) -> bool:
        return now - self.last >= self.timeout
