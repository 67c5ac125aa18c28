"""Keyset pages and jumps show exactly the rows of a plain ORDER BY query, in its order (issue 16).

Small pages (7 rows) over several hundred cases make every path run: continuing from the page
before or after, jumping to a page no loaded page touches (from the start or from the end),
crossing from the NULL segment of a nullable sort column to the rest, and both plans of a
filtered list (sort the matches, or walk the sort's index). On SQLite and on PostgreSQL: the
same rows in the same order, NULLs where SQLite puts them (first ascending, last descending).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import text

from bench.generate import generate
from core.app import cases
from core.app.paging import PagedRows
from core.app.storage import Database, open_data
from core.cases import query
from core.cases.query import CaseFilter, SortKey, case_keyset

CASES = 613
PAGE = 7
_ORDER_SQL: dict[SortKey, str | tuple[str, ...]] = {
    SortKey.CASE_NUMBER: "c.case_number",
    SortKey.APPLICANT: (
        "coalesce(p.name_pinyin, o.name_pinyin)",
        "c.application_date",
    ),  # the stored key must equal it
    SortKey.APPLICATION_DATE: "c.application_date",
    SortKey.SUBSIDY: "c.subsidy_id",
    SortKey.STATUS: "c.status",
    SortKey.AMOUNT: "c.amount_fen",
}
FILTERS = {
    "none": (CaseFilter(), ""),
    "surname": (CaseFilter(text="王"), "coalesce(p.name, o.name) LIKE '王%'"),
    "status": (CaseFilter(statuses=("accepted",)), "c.status = 'accepted'"),
    "subsidy and village": (
        CaseFilter(subsidy_id="transport_once", village="柿沟村"),
        "c.subsidy_id = 'transport_once' AND p.registered_village = '柿沟村'",
    ),
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def town(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keyset") / "data"
    if request.param == "postgresql":  # the folder's setting names a database of its own
        from core.db.location import save_url

        server = request.getfixturevalue("pg_server")
        if isinstance(server, str):
            pytest.skip(server)
        folder.mkdir(parents=True)
        save_url(folder, server.new_database())
    data = generate(folder, CASES)
    db = open_data(data)
    with db.engine.begin() as conn:  # some cases not yet assessed: a nullable sort column
        conn.execute(text("UPDATE subsidy_case SET amount_fen = NULL WHERE id % 5 = 0"))
    db.close()
    return data


@pytest.fixture
def db(town: Path):
    opened = open_data(town)
    yield opened
    opened.close()


def _parts(order: str | tuple[str, ...]) -> tuple[str, ...]:
    return (order,) if isinstance(order, str) else order


def expected_ids(db: Database, where: str, sort: SortKey, descending: bool) -> list[int]:
    direction = "DESC" if descending else "ASC"
    if db.is_postgres:  # SQLite's NULL order, which the list keeps on both
        direction += " NULLS LAST" if descending else " NULLS FIRST"
    sql = (
        "SELECT c.id FROM subsidy_case c LEFT JOIN person p ON p.id = c.person_id "
        f"LEFT JOIN organisation o ON o.id = c.organisation_id {'WHERE ' + where if where else ''} "
        f"ORDER BY {', '.join(f'{part} {direction}' for part in _parts(_ORDER_SQL[sort]))}, c.id {direction}"
    )
    with db.reader() as conn:
        return [r[0] for r in conn.execute(sql)]


def window(db: Database, flt: CaseFilter, sort: SortKey, descending: bool, max_pages: int = 3) -> PagedRows:
    keyset = case_keyset(db.reader, flt, sort, descending, db.is_postgres)
    rows = PagedRows.of(keyset, page_size=PAGE, max_pages=max_pages)
    rows.reload()
    return rows


def ids_in_order(rows: PagedRows, positions: list[int]) -> list[int]:
    found = {p: rows.row(p) for p in positions}
    return [found[p].id for p in range(rows.total)]


@pytest.mark.parametrize("few", [0, 100_000], ids=["walk the sort's index", "sort the matches"])
@pytest.mark.parametrize("name", list(FILTERS))
def test_every_sort_read_in_order_and_by_jumps_matches_a_plain_query(
    db, monkeypatch, few: int, name: str
) -> None:
    monkeypatch.setattr(query, "FEW_MATCHES", few)
    monkeypatch.setattr(query, "FEW_NAME_MATCHES", few)
    flt, where = FILTERS[name]
    rng = random.Random(f"{name}{few}")
    for sort in SortKey:
        for descending in (False, True):
            expected = expected_ids(db, where, sort, descending)
            rows = window(db, flt, sort, descending)
            assert rows.total == len(expected) > 0
            in_order = list(range(rows.total))
            assert ids_in_order(rows, in_order) == expected, (sort, descending, "scrolling down")
            jumps = window(db, flt, sort, descending)
            scattered = in_order[:]
            rng.shuffle(scattered)  # a scroll bar dragged about: pages far from any loaded one
            assert ids_in_order(jumps, scattered) == expected, (sort, descending, "jumping")
            backwards = window(db, flt, sort, descending)
            assert ids_in_order(backwards, in_order[::-1]) == expected, (sort, descending, "scrolling up")


def test_a_jump_reads_the_page_at_the_target_only(db) -> None:
    rows = window(db, CaseFilter(), SortKey.APPLICANT, False)
    assert rows.reads == 1
    last = rows.row(rows.total - 1)
    middle = rows.row(rows.total // 2)
    assert rows.reads == 3 and last is not None and middle is not None
    expected = expected_ids(db, "", SortKey.APPLICANT, False)
    assert (middle.id, last.id) == (expected[rows.total // 2], expected[-1])


def test_memory_stays_bounded_after_scrolling_through_every_page(db) -> None:
    rows = window(db, CaseFilter(), SortKey.APPLICATION_DATE, True, max_pages=4)
    for position in range(rows.total):
        assert rows.row(position) is not None
        assert rows.loaded_rows <= 4 * PAGE
    assert len(rows.loaded_pages) == 4
    assert rows.loaded_pages == list(range((rows.total - 1) // PAGE - 3, (rows.total - 1) // PAGE + 1))


def test_the_default_window_keeps_a_few_pages_of_a_long_list(db) -> None:
    rows = cases.case_rows(db, filter=CaseFilter(), sort=SortKey.APPLICATION_DATE, descending=True)
    rows.reload()
    for position in range(0, rows.total, 50):
        rows.row(position)
    assert rows.loaded_rows <= rows.max_pages * rows.page_size


@pytest.mark.parametrize("sort", list(SortKey))
def test_locate_finds_a_case_where_the_list_shows_it(db, sort: SortKey) -> None:
    for descending in (False, True):
        expected = expected_ids(db, "", sort, descending)
        rows = window(db, CaseFilter(), sort, descending)
        for position in (0, 1, len(expected) // 3, len(expected) - 1):
            assert rows.locate(expected[position]) == position
    filtered = window(db, CaseFilter(statuses=("accepted",)), SortKey.APPLICANT, False)
    draft = expected_ids(db, "c.status = 'draft'", SortKey.APPLICANT, False)[0]
    assert filtered.locate(draft) is None


def test_a_row_past_the_end_is_none(db) -> None:
    rows = window(db, CaseFilter(text="王"), SortKey.APPLICANT, False)
    assert rows.row(rows.total) is None and rows.row(-1) is None


def test_the_stored_applicant_name_follows_the_applicant(db) -> None:
    """Triggers keep subsidy_case.applicant_name equal to the applicant's name."""
    with db.engine.begin() as conn:
        person = conn.execute(text("SELECT person_id FROM subsidy_case WHERE id = 1")).scalar_one()
        conn.execute(text("UPDATE person SET name = '甲乙丙' WHERE id = :p"), {"p": person})
        renamed = conn.execute(
            text("SELECT DISTINCT applicant_name FROM subsidy_case WHERE person_id = :p"), {"p": person}
        ).all()
        conn.execute(
            text(
                "INSERT INTO organisation (name, uscc, org_type, legal_representative, town, address, phone, "
                "bank_name, bank_account, created_at, updated_at) VALUES ('甲公司', '91610328MA00000001', '', '', '', "
                "'', '', '', '', '2024-01-01', '2024-01-01')"
            )
        )
        org = conn.execute(text("SELECT id FROM organisation WHERE name = '甲公司'")).scalar_one()
        conn.execute(
            text("UPDATE subsidy_case SET person_id = NULL, organisation_id = :o WHERE id = 1"), {"o": org}
        )
        moved = conn.execute(text("SELECT applicant_name FROM subsidy_case WHERE id = 1")).scalar_one()
        conn.execute(text("UPDATE organisation SET name = '乙公司' WHERE id = :o"), {"o": org})
        org_renamed = conn.execute(text("SELECT applicant_name FROM subsidy_case WHERE id = 1")).scalar_one()
        conn.execute(
            text("UPDATE subsidy_case SET person_id = :p, organisation_id = NULL WHERE id = 1"), {"p": person}
        )
    assert renamed == [("甲乙丙",)] and moved == "甲公司" and org_renamed == "乙公司"
    rows = window(db, CaseFilter(text="甲乙"), SortKey.APPLICANT, False)
    assert rows.total > 0 and all(rows.row(i).applicant_name == "甲乙丙" for i in range(rows.total))


def test_the_stored_pinyin_key_follows_the_applicant(db) -> None:
    """Triggers keep subsidy_case.applicant_pinyin equal to the applicant's pinyin key (0006)."""
    from core.pinyin import sort_key

    with db.engine.begin() as conn:
        person = conn.execute(text("SELECT person_id FROM subsidy_case WHERE id = 1")).scalar_one()
        conn.execute(
            text("UPDATE person SET name_pinyin = :k WHERE id = :p"), {"k": sort_key("曾小单"), "p": person}
        )
        keys = conn.execute(
            text("SELECT DISTINCT applicant_pinyin FROM subsidy_case WHERE person_id = :p"), {"p": person}
        ).all()
    assert keys == [(sort_key("曾小单"),)]


def test_village_choices_are_every_distinct_village(db) -> None:
    """Found by index seeks, one village after another; the same as a DISTINCT over persons."""
    with db.reader() as conn:
        expected = sorted(
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT registered_village FROM person WHERE registered_village != ''"
            )
        )
    assert cases.village_choices(db) == expected and len(expected) > 5
