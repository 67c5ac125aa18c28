"""Make tests/data/subsidydesk-0.1.0.db: a database as SubsidyDesk 0.1.0 saved it.

    .venv/bin/python tests/data/make_fixture_db.py

The file stands for "a clerk's data from the previous release" in tests/test_upgrade.py, which
opens a copy with the current program and checks that it is backed up, migrated to the head
schema, and that the rows are still there.

Release 0.1.0 shipped schema 0001 (the Alembic baseline), so the schema is built by upgrading
to "0001" explicitly, never to "head": later migrations must not leak into the fixture. The
rows are then written with plain SQL in 0001's columns, not through the ORM models, which
follow the newest schema. Do not regenerate the file after 0.1.0's schema has changed in
core/db/migrations/versions/0001_baseline.py; when a new release ships, add its own fixture
(subsidydesk-0.2.0.db, ...) next to this one instead of replacing it.

Contents: one office, two persons with population categories, two cases (one per person),
and the five audit events that created them, hash-chained as core/audit.py does it.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from sqlalchemy import Connection  # noqa: E402

from core.audit import GENESIS, event_hash  # noqa: E402
from core.db.engine import make_engine  # noqa: E402
from core.db.migrate import alembic_config, current_revision  # noqa: E402

FIXTURE = HERE / "subsidydesk-0.1.0.db"
RELEASE_SCHEMA = "0001"
ACTOR = "张会计"

# What tests/test_upgrade.py checks after the upgrade.
OFFICE = {
    "id": 1,
    "county_code": "522301",
    "town": "顶效镇",
    "name": "顶效镇劳动保障事务所",
    "phone": "0859-3211234",
}
PERSONS = [
    {
        "id": 1,
        "name": "王小梅",
        "id_number": "522301199003070029",
        "birth_date": "1990-03-07",
        "sex": "女",
        "registered_town": "顶效镇",
        "registered_village": "楼纳村",
        "phone": "13985901234",
        "account_kind": "social_security_card",
        "account_number": "6217995230012345678",
        "categories": ["poverty_alleviated", "migrant_worker"],
    },
    {
        "id": 2,
        "name": "李国强",
        "id_number": "522301198511230039",
        "birth_date": "1985-11-23",
        "sex": "男",
        "registered_town": "顶效镇",
        "registered_village": "绿荫村",
        "phone": "13885905678",
        "account_kind": "bank_card",
        "account_number": "6228480012345678901",
        "categories": ["monitored"],
    },
]
CASES = [
    {
        "id": 1,
        "uuid": "0b6c2f0e-5a51-4d8e-9d43-1f2a3b4c5d01",
        "case_number": "522301-2026-0001",
        "person_id": 1,
        "catalog_id": "guizhou-2021",
        "catalog_version": "1.0.0",
        "subsidy_id": "transport_once",
        "status": "accepted",
        "application_date": "2026-03-02",
        "event_date": "2026-02-20",
        "accepted_on": "2026-03-02",
        "amount_fen": 50000,
        "facts": {"destination": "广东省东莞市", "months_employed": 3},
        "note": "已核对务工证明",
    },
    {
        "id": 2,
        "uuid": "0b6c2f0e-5a51-4d8e-9d43-1f2a3b4c5d02",
        "case_number": None,
        "person_id": 2,
        "catalog_id": "guizhou-2021",
        "catalog_version": "1.0.0",
        "subsidy_id": "transport_once",
        "status": "draft",
        "application_date": "2026-03-05",
        "event_date": None,
        "accepted_on": None,
        "amount_fen": None,
        "facts": {},
        "note": "",
    },
]
STAMP = dt.datetime(2026, 3, 1, 9, 0, 0)


def _ts(moment: dt.datetime) -> str:
    """SQLAlchemy's way of storing a DateTime in SQLite."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _check_char(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def _insert_rows(conn: Connection) -> None:
    t = _ts(STAMP)
    conn.exec_driver_sql(
        "INSERT INTO office (id, county_code, town, name, phone, catalog_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            OFFICE["id"],
            OFFICE["county_code"],
            OFFICE["town"],
            OFFICE["name"],
            OFFICE["phone"],
            "guizhou-2021",
            t,
            t,
        ),
    )
    for p in PERSONS:
        number = str(p["id_number"])
        assert _check_char(number[:17]) == number[17], f"bad check character in {number}"
        conn.exec_driver_sql(
            "INSERT INTO person (id, name, id_number, id_last4, birth_date, sex, registered_town, "
            "registered_village, phone, account_kind, account_number, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                p["id"], p["name"], number, number[-4:], p["birth_date"], p["sex"], p["registered_town"],
                p["registered_village"], p["phone"], p["account_kind"], p["account_number"], t, t,
            ),
        )  # fmt: skip
        for category in p["categories"]:
            conn.exec_driver_sql(
                "INSERT INTO person_category (person_id, category) VALUES (?, ?)", (p["id"], category)
            )
    for c in CASES:
        conn.exec_driver_sql(
            "INSERT INTO subsidy_case (id, uuid, office_id, case_number, person_id, organisation_id, "
            "catalog_id, catalog_version, catalog_hash, subsidy_id, status, application_date, event_date, "
            "accepted_on, amount_fen, facts, note, created_by, created_at, updated_at) "
            "VALUES (?, ?, 1, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                c["id"], c["uuid"], c["case_number"], c["person_id"], c["catalog_id"], c["catalog_version"],
                "0" * 64, c["subsidy_id"], c["status"], c["application_date"], c["event_date"],
                c["accepted_on"], c["amount_fen"], json.dumps(c["facts"], ensure_ascii=False), c["note"],
                ACTOR, t, t,
            ),
        )  # fmt: skip
    events = [("office", str(OFFICE["id"]), {"name": [None, OFFICE["name"]]})]
    events += [("person", str(p["id_number"]), {"name": [None, p["name"]]}) for p in PERSONS]
    events += [("case", str(c["uuid"]), {"status": [None, c["status"]]}) for c in CASES]
    prev = GENESIS
    for n, (entity, key, changes) in enumerate(events):
        at = STAMP + dt.timedelta(minutes=n)
        digest = event_hash(prev, at, ACTOR, "create", entity, key, changes)
        conn.exec_driver_sql(
            "INSERT INTO audit_event (at, actor, action, entity, entity_key, changes, prev_hash, hash) "
            "VALUES (?, ?, 'create', ?, ?, ?, ?, ?)",
            (_ts(at), ACTOR, entity, key, json.dumps(changes, ensure_ascii=False), prev, digest),
        )
        prev = digest


def make(target: Path = FIXTURE) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    engine = make_engine(target)  # the same pragmas (WAL) as the program
    try:
        command.upgrade(alembic_config(engine), RELEASE_SCHEMA)
        assert current_revision(target) == RELEASE_SCHEMA
        with engine.begin() as conn:
            _insert_rows(conn)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()  # the last connection closing removes the -wal and -shm files
    return target


if __name__ == "__main__":
    print(f"已写出 {make()}")
