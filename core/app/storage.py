"""Opening the data folder: the checked, migrated database beside the scans and keys."""

from __future__ import annotations

from pathlib import Path

from core.db import Database, default_data_dir, open_database


def open_data(data_dir: Path) -> Database:
    """Open (or create) the database of `data_dir`; DatabaseUnavailable says why it cannot be used.

    An unusable file (locked, read-only, damaged, newer) is never replaced.
    """
    return open_database(data_dir)


def self_check(db: Database) -> int:
    """The installed program's smoke test: the ORM loads and counts the cases."""
    from sqlalchemy import func, select

    from core.app.base import reading
    from core.db.models import Case

    with reading(db) as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


__all__ = ["Database", "default_data_dir", "open_data", "self_check"]
