"""One window per data folder: a lock the operating system holds for the window's process.

The lock is the OS's own (``flock`` on Linux, ``LockFileEx`` through ``msvcrt.locking`` on
Windows) on ``subsidydesk.lock`` in the data folder, not the file's existence: the OS releases
it when the process ends in any way (closed, crashed, killed, power cut), so a lock file left
behind is never mistaken for a running window and nothing has to guess at staleness (process
ids are reused after a reboot). The file only tells a technician who held it last.

The command-line jobs do not take it: each is one transaction at a time on the same SQLite
file (WAL, busy timeout), which SQLite keeps consistent beside the window; the lock guards
against what SQLite cannot see, two windows where clerks would work on stale lists and the same
draft twice. Every program, window or job, holds a second lock (OPENING_FILENAME) only while it
opens the database (core/app/storage.py), so a job started while the window migrates the file
after an upgrade waits instead of migrating it at the same time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
from pathlib import Path

LOCK_FILENAME = "subsidydesk.lock"
# Held by every program (window or job) only while it opens the database: a first start after an
# upgrade migrates the file, and a job started meanwhile must wait instead of migrating it too.
OPENING_FILENAME = "subsidydesk.opening.lock"
_RETRY_S = 0.1
# Windows locks are mandatory: the byte locked lies far past the text, which stays readable.
_LOCK_OFFSET = 1 << 30


class InstanceLock:
    """Held from `acquire` until `release` (or the process ends)."""

    def __init__(self, data_dir: Path, filename: str = LOCK_FILENAME) -> None:
        self.path = data_dir / filename
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait_s: float = 0.0) -> bool:
        """True when this process now holds the lock; False when another process still holds
        it after `wait_s` seconds.

        OSError when the lock file cannot be created at all (a read-only folder): the caller
        lets the database checks explain that.
        """
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        deadline = time.monotonic() + wait_s
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                os.close(fd)
                return False
            time.sleep(_RETRY_S)
        self._fd = fd
        _write_holder(fd)
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _unlock(fd)
        os.close(fd)  # the file stays: removing it could race with the next window taking it

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _write_holder(fd: int) -> None:
    text = f"pid {os.getpid()}\nsince {dt.datetime.now().isoformat(timespec='seconds')}\n"
    with contextlib.suppress(OSError):  # the note is for people; the lock is what counts
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, text.encode("ascii"))


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):  # closing the handle releases it anyway
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # BlockingIOError: another open file holds it
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
