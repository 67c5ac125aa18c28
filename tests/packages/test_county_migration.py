"""Migration 0004: a county database from before it learns which decisions the towns were told."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from core.db import open_database
from core.db.engine import DB_FILENAME
from core.db.migrate import alembic_config

_CASE = (
    "INSERT INTO imported_case (uuid, office_code, package_id, case_number, subsidy_id, applicant_name, "
    "id_number, year, amount_fen, status, decision_reason, decided_at, decided_by, document) "
    "VALUES (?, '533422101', 1, ?, 'transport_once', '张三', '533422199001011234', 2024, 50000, ?, '', ?, 'x', '{}')"
)


@pytest.fixture
def backend() -> str:
    """An old county file, written with sqlite3: the file's migration only."""
    return "sqlite"


def test_decisions_before_a_result_package_count_as_told(tmp_path: Path) -> None:
    data_dir = tmp_path / "county"
    db = open_database(data_dir, migrate=False)
    command.upgrade(alembic_config(db.engine), "0003")
    db.close()
    con = sqlite3.connect(data_dir / DB_FILENAME)
    con.execute(
        "INSERT INTO imported_package (id, office_code, batch_number, manifest_sha256, file_name, key_fingerprint, "
        "created_at, imported_at, imported_by, case_count, report) "
        "VALUES (1, '533422101', 1, 'm', 'f', 'k', '2024-01-01', '2024-01-01', 'x', 3, '[]')"
    )
    con.execute(
        "INSERT INTO result_package (office_code, number, file_name, manifest_sha256, created_at, created_by, "
        "case_count) VALUES ('533422101', 1, 'r', 'm', '2024-03-01 00:00:00', 'x', 2)"
    )
    con.execute(_CASE, ("a", "1", "approved", "2024-02-01 00:00:00"))  # before package 1: told
    con.execute(_CASE, ("b", "2", "rejected", "2024-04-01 00:00:00"))  # after it: not yet told
    con.execute(_CASE, ("c", "3", "paid", "2024-04-02 00:00:00"))  # paid after it, approved before
    con.execute(_CASE, ("d", "4", "received", None))
    con.commit()
    con.close()
    db = open_database(data_dir)
    try:
        with db.reader() as conn:
            rows = conn.execute(
                "SELECT uuid, result_number, paid_result_number FROM imported_case ORDER BY uuid"
            ).fetchall()
    finally:
        db.close()
    assert rows == [("a", 1, None), ("b", None, None), ("c", 1, None), ("d", None, None)]


def test_imported_cases_get_their_application_date_and_groups_from_their_documents(tmp_path: Path) -> None:
    """Migration 0005: the county's 统计 reads columns copied out of each case's document."""
    data_dir = tmp_path / "county"
    db = open_database(data_dir, migrate=False)
    command.upgrade(alembic_config(db.engine), "0004_county_results")
    db.close()
    con = sqlite3.connect(data_dir / DB_FILENAME)
    con.execute(
        "INSERT INTO imported_package (id, office_code, batch_number, manifest_sha256, file_name, key_fingerprint, "
        "created_at, imported_at, imported_by, case_count, report) "
        "VALUES (1, '533422101', 1, 'm', 'f', 'k', '2024-01-01', '2024-01-01', 'x', 3, '[]')"
    )
    documents = {
        "a": '{"case": {"application_date": "2024-03-05"}, "applicant": {"kind": "person", "categories": ["monitored"]}}',
        "b": '{"case": {"application_date": "2023-12-31"}, "applicant": {"kind": "organisation"}}',
        "c": '{"case": {"application_date": "2024-01-02"}, "applicant": {"kind": "person"}}',
    }
    for uuid, doc in documents.items():
        con.execute(_CASE.replace("'{}')", "?)"), (uuid, uuid, "received", None, doc))
    con.commit()
    con.close()
    db = open_database(data_dir)
    try:
        with db.reader() as conn:
            rows = conn.execute(
                "SELECT uuid, application_date, categories FROM imported_case ORDER BY uuid"
            ).fetchall()
    finally:
        db.close()
    assert rows == [
        ("a", "2024-03-05", '["monitored"]'),
        ("b", "2023-12-31", None),
        ("c", "2024-01-02", "[]"),
    ]
