"""Every paged table model under Qt's model tester, with several pages of rows, sorted and filtered.

The tester stays attached while the test reads every row, sorts and filters, so a model that
changes its rows before announcing them fails here. The row count is the list's total from the
start; rows are read a page at a time when first asked for (issue 16).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import insert, text

from bench.generate import generate
from core.app import applicants, cases, county
from core.app.paging import PAGE_SIZE, PagedRows
from core.app.storage import Database, open_data
from core.cases.query import SortKey
from core.packages.county_query import CountyCaseFilter, county_keyset
from core.packages.models import ImportedCase, ImportedPackage
from ui.applicants.model import PersonTableModel
from ui.cases.model import CaseTableModel
from ui.cases.state import CaseListState
from ui.county.model import CountyCaseModel
from ui.county.state import CountyListState

CASES = PAGE_SIZE * 3 + 17  # three full pages and a short one


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("town") / "data", CASES)


@pytest.fixture
def town_db(town: Path):
    db = open_data(town)
    yield db
    db.close()


def scroll_to_end(model) -> None:
    """Ask for every row, as a view scrolled from top to bottom would."""
    for row in range(model.rowCount()):
        assert model.data(model.index(row, 0)) is not None


def case_model(db: Database) -> CaseTableModel:
    return CaseTableModel(
        CaseListState(),
        lambda s: cases.case_rows(db, filter=s.filter, sort=s.sort, descending=s.descending),
        lambda _c, sid: sid,
    )


def test_case_model_pages_sorts_and_filters(qtmodeltester, town_db) -> None:
    model = case_model(town_db)
    model.refresh()
    assert model.rowCount() == model.total == CASES
    assert model.paged.loaded_rows == PAGE_SIZE  # only the first page is read
    qtmodeltester.check(model)  # stays attached: every change below is checked too
    scroll_to_end(model)
    assert model.rowCount() == CASES
    ids = [model.row_at(r).id for r in range(model.rowCount())]
    assert len(set(ids)) == CASES  # every case once, none twice across pages
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            scroll_to_end(model)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.state.set_status("accepted")
    model.refresh()
    scroll_to_end(model)
    assert model.rowCount() == model.total
    assert {model.row_at(r).status for r in range(model.rowCount())} == {"accepted"}
    model.state.set_status(None)
    model.state.set_text("王")
    model.refresh()
    scroll_to_end(model)
    assert all(model.row_at(r).applicant_name.startswith("王") for r in range(model.rowCount()))
    qtmodeltester.check(model)


def test_case_model_sorted_by_amount_matches_a_plain_query(town_db) -> None:
    model = case_model(town_db)
    model.state.sort, model.state.descending = SortKey.AMOUNT, True
    model.refresh()
    scroll_to_end(model)
    shown = [model.row_at(r).id for r in range(model.rowCount())]
    with town_db.reader() as conn:
        expected = [
            r[0]
            for r in conn.execute(
                "SELECT c.id FROM subsidy_case c LEFT JOIN person p ON p.id = c.person_id "
                "LEFT JOIN organisation o ON o.id = c.organisation_id ORDER BY c.amount_fen DESC, c.id DESC"
            )
        ]
    assert len(shown) == len(expected) and set(shown) == set(expected)
    amounts = [model.row_at(r).amount_fen or 0 for r in range(model.rowCount())]
    assert amounts == sorted(amounts, reverse=True)


def test_person_model_pages_and_searches(qtmodeltester, town_db) -> None:
    model = PersonTableModel(lambda text: applicants.person_rows(town_db, text=text))
    model.search("")
    assert model.rowCount() == model.total > 2 * PAGE_SIZE and model.paged.loaded_rows == PAGE_SIZE
    qtmodeltester.check(model)
    scroll_to_end(model)
    assert model.rowCount() == model.total
    model.search("李")
    scroll_to_end(model)
    assert all(model.row_at(r).name.startswith("李") for r in range(model.rowCount()))
    qtmodeltester.check(model)


@pytest.fixture
def county_db(tmp_path: Path):
    db = open_data(tmp_path / "county")
    with db.engine.begin() as conn:
        for n, office in enumerate(("533422101", "533422102"), start=1):
            conn.execute(
                insert(ImportedPackage),
                [
                    {
                        "id": n, "office_code": office, "batch_number": 1, "manifest_sha256": f"{n:064d}",
                        "file_name": f"batch-{office}-1.zip", "key_fingerprint": "0" * 64,
                        "created_at": dt.datetime(2024, 3, 1), "case_count": CASES // 2,
                    }
                ],
            )  # fmt: skip
        conn.execute(
            insert(ImportedCase),
            [
                {
                    "uuid": str(uuid.UUID(int=i)), "office_code": ("533422101", "533422102")[i % 2],
                    "package_id": 1 + i % 2, "case_number": f"2024-{i:06d}", "subsidy_id": "transport_once",
                    "applicant_name": f"申请人{i}", "id_number": "533422199001011234", "year": 2024,
                    "amount_fen": 50000, "status": ("received", "approved", "rejected")[i % 3],
                    "document": {"applicant": {"kind": "person"}, "case": {"catalog_id": "deqin-2021"}},
                }
                for i in range(CASES)
            ],
        )  # fmt: skip
    yield db
    db.close()


def test_county_model_pages_and_filters(qtmodeltester, county_db) -> None:
    assert CountyListState().filter == CountyCaseFilter(status="received")  # the screen opens on the queue
    model = CountyCaseModel(
        CountyListState(CountyCaseFilter()),
        lambda s: county.county_rows(county_db, filter=s.filter),
        lambda _c, s: s,
    )
    model.refresh()
    assert model.rowCount() == model.total == CASES and model.paged.loaded_rows == PAGE_SIZE
    qtmodeltester.check(model)
    scroll_to_end(model)
    assert model.rowCount() == CASES
    model.state.set_office("533422102")
    model.state.set_status("received")
    model.refresh()
    scroll_to_end(model)
    rows = [model.row_at(r) for r in range(model.rowCount())]
    assert rows and {(r.office_code, r.status) for r in rows} == {("533422102", "received")}
    qtmodeltester.check(model)


def test_county_list_jumps_and_locates_as_a_plain_query_orders(county_db) -> None:
    with county_db.reader() as conn:
        expected = [
            r[0]
            for r in conn.execute(
                "SELECT uuid FROM imported_case WHERE status = 'received' ORDER BY office_code, case_number, uuid"
            )
        ]
    rows = PagedRows.of(county_keyset(county_db.reader, CountyCaseFilter(status="received")), page_size=9)
    rows.reload()
    positions = list(range(rows.total))
    random.Random(3).shuffle(positions)
    found = {p: rows.row(p) for p in positions}
    assert [found[p].uuid for p in range(rows.total)] == expected
    assert rows.locate(expected[len(expected) // 2]) == len(expected) // 2


def test_county_rows_carry_the_document_columns(county_db) -> None:
    """The kind of applicant and the catalog come from columns now (filled at import, or by the
    migration from the document); an organisation's code is shown unmasked."""
    with county_db.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE imported_case SET applicant_kind = 'person', catalog_id = 'deqin-2021', assessed_fen = 40000"
            )
        )
    rows = county.county_rows(county_db, filter=CountyCaseFilter())
    rows.reload()
    first = rows.row(0)
    assert first is not None and first.catalog_id == "deqin-2021" and first.assessed_fen == 40000
    assert first.id_masked != "533422199001011234"
