"""The case list's search finds the same cases on SQLite and on PostgreSQL (each its own SQL):
name start, ID number start, its last four digits, case number, and combined with a filter."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate import generate
from core.app import cases
from core.app.storage import open_data
from core.cases.query import CaseFilter, SortKey


@pytest.fixture
def town(tmp_path: Path):
    db = open_data(generate(tmp_path / "data", 600))
    yield db
    db.close()


def _all(db) -> list[tuple[int, str, str, str | None, str]]:
    with db.reader() as conn:
        return [
            (r[0], r[1], r[2], r[3], r[4])
            for r in conn.execute(
                "SELECT c.id, p.name, p.id_number, c.case_number, c.status FROM subsidy_case AS c "
                "JOIN person AS p ON p.id = c.person_id"
            )
        ]


def _found(db, text: str, status: str | None = None) -> set[int]:
    flt = CaseFilter(text=text, statuses=(status,) if status else ())
    rows = cases.case_rows(db, filter=flt, sort=SortKey.APPLICATION_DATE, descending=True)
    rows.reload()
    found = [rows.row(i) for i in range(rows.total)]  # every page, read through the keyset
    return {r.id for r in found if r is not None}


def test_every_kind_of_search_finds_exactly_the_matching_cases(town) -> None:
    every = _all(town)
    _, name, number, case_number, _ = next(r for r in every if r[3])
    assert _found(town, name[:2]) == {r[0] for r in every if r[1].startswith(name[:2])}
    assert _found(town, number) == {r[0] for r in every if r[2] == number or r[3] == number}
    assert _found(town, number[:14]) == {r[0] for r in every if r[2].startswith(number[:14])}
    assert _found(town, number[-4:]) == {r[0] for r in every if r[2].endswith(number[-4:])}
    assert _found(town, case_number) == {r[0] for r in every if (r[3] or "").startswith(case_number)}
    accepted = {r[0] for r in every if r[1].startswith(name[:1]) and r[4] == "accepted"}
    assert _found(town, name[:1], "accepted") == accepted
    assert _found(town, "12") == set()  # too short to mean anything yet


def test_a_search_is_sorted_like_the_list(town) -> None:
    _, name, *_ = _all(town)[0]
    flt = CaseFilter(text=name[:1])
    rows = cases.case_rows(town, filter=flt, sort=SortKey.APPLICATION_DATE, descending=True)
    rows.reload()
    keys = [(r.application_date, r.id) for r in rows.rows]
    assert keys == sorted(keys, reverse=True)
