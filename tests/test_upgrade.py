"""An upgrade keeps the data: a database saved by release 0.1.0 opens in this version.

tests/data/subsidydesk-0.1.0.db was written at schema 0001 by tests/data/make_fixture_db.py
(read its docstring before touching the file). Opening a copy must back the file up first,
then migrate it to this program's head, and keep every row, including an intact audit chain.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from core import audit
from core.db import Database, open_database
from core.db.engine import DB_FILENAME
from core.db.migrate import BACKUP_DIRNAME, MIGRATIONS_DIR, SCHEMA_HEAD, alembic_config, current_revision

DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(DATA))
import make_fixture_db as fixture  # noqa: E402

RELEASE_0_1_0 = DATA / "subsidydesk-0.1.0.db"


def _revision_of(path: Path) -> str:
    # immutable: the file is in WAL mode, and even a read-only connection would otherwise leave
    # -wal and -shm files next to the committed fixture.
    con = sqlite3.connect(f"file:{path.as_posix()}?immutable=1", uri=True)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


@pytest.fixture
def old_data_dir(tmp_path: Path) -> Path:
    """A data directory holding a copy of the 0.1.0 file, as a clerk's PC would have it."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(RELEASE_0_1_0, data / DB_FILENAME)
    return data


@pytest.fixture
def upgraded(old_data_dir: Path) -> Iterator[Database]:
    db = open_database(old_data_dir)
    yield db
    db.close()


def test_fixture_is_a_release_0_1_0_file() -> None:
    assert _revision_of(RELEASE_0_1_0) == fixture.RELEASE_SCHEMA == "0001"
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{RELEASE_0_1_0}{suffix}").exists(), "the fixture must be one self-contained file"


def test_upgrade_path_from_0001_reaches_head() -> None:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    path = [rev.revision for rev in script.iterate_revisions(SCHEMA_HEAD, "base")]
    assert path[0] == SCHEMA_HEAD and path[-1] == "0001"  # one line of migrations from 0.1.0


def test_opening_migrates_to_head_after_a_backup(upgraded: Database, old_data_dir: Path) -> None:
    assert current_revision(upgraded.path) == SCHEMA_HEAD
    if SCHEMA_HEAD == "0001":  # nothing to migrate yet, so nothing to back up
        assert upgraded.backup_path is None
        return
    backup = upgraded.backup_path
    assert backup is not None and backup.is_file()
    assert backup.parent == old_data_dir / BACKUP_DIRNAME
    assert SCHEMA_HEAD in backup.name
    # The backup is the file as it was: still 0.1.0's schema, with all of its rows.
    assert _revision_of(backup) == "0001"
    con = sqlite3.connect(f"file:{backup.as_posix()}?mode=ro", uri=True)
    try:
        assert con.execute("SELECT count(*) FROM person").fetchone()[0] == len(fixture.PERSONS)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def test_rows_survive_the_upgrade(upgraded: Database) -> None:
    with upgraded.session() as s:
        office = s.execute(text("SELECT county_code, town, name FROM office")).one()
        assert tuple(office) == (
            fixture.OFFICE["county_code"],
            fixture.OFFICE["town"],
            fixture.OFFICE["name"],
        )
        people = s.execute(text("SELECT id, name, id_number FROM person ORDER BY id")).all()
        assert [tuple(p) for p in people] == [(p["id"], p["name"], p["id_number"]) for p in fixture.PERSONS]
        for p in fixture.PERSONS:
            categories = s.scalars(
                text("SELECT category FROM person_category WHERE person_id = :id ORDER BY category"),
                {"id": p["id"]},
            ).all()
            assert categories == sorted(p["categories"])
        cases = s.execute(
            text("SELECT uuid, case_number, status, amount_fen, note FROM subsidy_case ORDER BY id")
        ).all()
        assert [tuple(c) for c in cases] == [
            (c["uuid"], c["case_number"], c["status"], c["amount_fen"], c["note"]) for c in fixture.CASES
        ]
        assert s.execute(text("SELECT count(*) FROM audit_event")).scalar_one() == 1 + len(
            fixture.PERSONS
        ) + len(fixture.CASES)
        # The hash chain written by 0.1.0 still verifies through today's models.
        assert audit.verify_chain(s) is None


def test_upgraded_rows_load_through_the_models(upgraded: Database) -> None:
    from core.db.models import Case, Person

    with upgraded.session() as s:
        persons = s.query(Person).order_by(Person.id).all()
        assert [sorted(c.category for c in p.categories) for p in persons] == [
            sorted(p["categories"]) for p in fixture.PERSONS
        ]
        cases = s.query(Case).order_by(Case.id).all()
        assert [c.facts for c in cases] == [c["facts"] for c in fixture.CASES]
        assert cases[0].person is not None and cases[0].person.name == fixture.PERSONS[0]["name"]


def test_upgraded_schema_matches_the_models(upgraded: Database) -> None:
    # An old file migrated step by step must end up where a new file starts.
    command.check(alembic_config(upgraded.engine))


def test_audit_trail_stays_append_only_after_upgrade(upgraded: Database) -> None:
    with upgraded.engine.connect() as conn, pytest.raises(Exception, match="append-only"):
        conn.exec_driver_sql("DELETE FROM audit_event")


def test_second_start_does_not_back_up_again(old_data_dir: Path) -> None:
    open_database(old_data_dir).close()
    db = open_database(old_data_dir)
    db.close()
    assert db.backup_path is None
    assert len(list((old_data_dir / BACKUP_DIRNAME).glob("*.db"))) == (0 if SCHEMA_HEAD == "0001" else 1)


def test_the_committed_fixture_is_left_untouched(upgraded: Database) -> None:
    assert _revision_of(RELEASE_0_1_0) == "0001"


def test_old_file_in_a_folder_with_url_characters_upgrades(tmp_path: Path) -> None:
    """Folder names with "%" or "#" are legal on Windows and Linux; the database URL must not
    decode or cut them (it once opened a different, new file instead)."""
    data = tmp_path / "补贴 数据 50%20 #1"  # "%20" would be read as a space
    data.mkdir()
    shutil.copyfile(RELEASE_0_1_0, data / DB_FILENAME)
    db = open_database(data)
    try:
        assert Path(str(db.engine.url.database)) == data / DB_FILENAME
        assert current_revision(db.path) == SCHEMA_HEAD
        with db.session() as s:
            assert s.execute(text("SELECT count(*) FROM person")).scalar_one() == len(fixture.PERSONS)
    finally:
        db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [data.name]  # no stray file beside it
