"""The receiving service's memory of signatures it has seen, so that none is accepted twice.

A signature is only valid for a few minutes (core/net/signatures.py), so the store keeps each
(key id, nonce) pair until then and forgets it afterwards. It lives in a small SQLite file in
the service's folder, so that a restarted service still refuses a replay.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path


class NonceStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS seen (keyid TEXT, nonce TEXT, until REAL, PRIMARY KEY (keyid, nonce))"
        )

    def remember(self, keyid: str, nonce: str, until: dt.datetime) -> bool:
        """Record the pair; False when it was already recorded (a replay)."""
        now = dt.datetime.now(dt.UTC).timestamp()
        with self._lock:
            self._db.execute("DELETE FROM seen WHERE until < ?", (now,))
            try:
                self._db.execute("INSERT INTO seen VALUES (?, ?, ?)", (keyid, nonce, until.timestamp()))
            except sqlite3.IntegrityError:
                return False
        return True

    def close(self) -> None:
        with self._lock:
            self._db.close()
