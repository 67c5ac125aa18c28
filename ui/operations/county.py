"""The county screen's operations: each runs one core call in its own session (or reader).

Decisions change one case in one transaction; the screen refreshes its list afterwards.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from core.db import Database
from core.packages.county_query import (
    CountyCaseFilter,
    CountyCaseRow,
    count_county_cases,
    county_offices,
    fetch_county_cases,
)
from ui.paging import PagedRows


def county_rows(db: Database, flt: CountyCaseFilter) -> PagedRows[CountyCaseRow]:
    def count() -> int:
        with db.reader() as conn:
            return count_county_cases(conn, flt)

    def fetch(offset: int, limit: int) -> list[CountyCaseRow]:
        with db.reader() as conn:
            return fetch_county_cases(conn, flt, offset, limit)

    return PagedRows(count, fetch)


def office_choices(db: Database) -> list[str]:
    with db.reader() as conn:
        return county_offices(conn)


def approve(db: Database, uuid: str, actor: str, amount_fen: int | None = None) -> None:
    from core.packages import decisions

    with db.session() as s, s.begin():
        decisions.approve(s, uuid, actor, amount_fen)


def reject(db: Database, uuid: str, actor: str, reason: str) -> None:
    from core.packages import decisions

    with db.session() as s, s.begin():
        decisions.reject(s, uuid, actor, reason)


def mark_paid(db: Database, uuid: str, actor: str, amount_fen: int, paid_on: dt.date) -> None:
    from core.packages import decisions

    with db.session() as s, s.begin():
        decisions.mark_paid(s, uuid, actor, amount_fen, paid_on)


def keep_case(db: Database, uuid: str, reason: str, actor: str) -> int:
    """Resolve every open duplicate flag of the case by keeping it; how many were resolved."""
    from core.packages import decisions

    with db.session() as s, s.begin():
        return len(decisions.keep_case(s, uuid, reason, actor))


def export_results(db: Database, office_code: str, folder: Path, actor: str) -> Any:
    """Runs on a worker thread (it signs, writes and reads back): a ResultExport."""
    from core.packages.results import export_results as export

    return export(db, db.path.parent, office_code, folder, actor)
