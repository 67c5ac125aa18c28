from __future__ import annotations

from core.cases.query import CaseFilter, CaseRow, SortKey, count_cases, fetch_cases, villages
from core.db import Database
from ui.paging import PagedRows


def case_rows(db: Database, flt: CaseFilter, sort: SortKey, descending: bool) -> PagedRows[CaseRow]:
    def count() -> int:
        with db.reader() as s:
            return count_cases(s, flt)

    def fetch(offset: int, limit: int) -> list[CaseRow]:
        with db.reader() as s:
            return fetch_cases(s, flt, sort, descending, offset, limit)

    return PagedRows(count, fetch)


def village_choices(db: Database) -> list[str]:
    with db.reader() as s:
        return villages(s)
