"""`move-database`: a town's SQLite folder onto PostgreSQL, verified, and then used from the server.

Needs the test server (tests/pgserver.py); where none is installed the test says so and stops.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from core import audit
from core.actor import Role
from core.applicants import PersonInput, create_person
from core.cases.service import CaseDraft, create_case
from core.cases.states import CaseStatus
from core.db import open_database
from core.db.location import SETTING_FILE
from core.db.models import Case
from core.identity.id_number import check_character
from core.settings import OfficeInput, save_office
from main import main
from tests.logins import add_account, password_file

ADMIN = "管理员甲"


def _id(first17: str) -> str:
    return first17 + check_character(first17)


def _login(folder: Path) -> list[str]:
    secret = password_file(folder.parent / f"{folder.name}-login")
    return ["--data-dir", str(folder), "--user", ADMIN, "--password-file", str(secret)]


@pytest.fixture
def server(pg_server: object) -> object:
    if isinstance(pg_server, str):
        pytest.skip(pg_server)
    return pg_server


def _town(folder: Path, cases: int) -> None:
    db = open_database(folder)
    add_account(db, ADMIN, Role.ADMIN)
    with db.session() as s, s.begin():
        office = save_office(s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所"), "clerk")
        for i in range(cases):
            person = create_person(s, PersonInput(f"王{i}", _id(f"61032819900101{i:03d}")), "clerk")
            create_case(
                s,
                CaseDraft(
                    office_id=office.id,
                    catalog_id="qianyang-2021",
                    catalog_version="1.0.0",
                    subsidy_id="transport_once",
                    application_date=dt.date(2024, 3, 1),
                    person_id=person.id,
                    amount_fen=50000,
                    status=CaseStatus.ACCEPTED,
                    case_number=f"2024-{i + 1:06d}",
                    facts={"destination": "广东省"},
                ),
                "clerk",
            )
    db.close()


def test_the_folder_moves_to_the_server_verified_and_is_used_from_it(
    tmp_path: Path, server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "town"
    _town(folder, 12)
    url = server.new_database(migrated=False)  # type: ignore[attr-defined]
    assert main([*_login(folder), "move-database", "--to", url]) == 0
    out = capsys.readouterr().out
    assert "案件：12 行，与原数据库一致" in out and "逐条核对无误" in out
    assert "账户：1 行，与原数据库一致" in out
    assert json.loads((folder / SETTING_FILE).read_text(encoding="utf-8")) == {"url": url}
    moved = open_database(folder)  # the folder's setting now names the server
    try:
        assert moved.is_postgres
        with moved.session() as s, s.begin():
            assert s.query(Case).count() == 12
            assert audit.check_chain(s).ok
            person = create_person(s, PersonInput("新来的", _id("61032819950505002")), "clerk")
            assert person.id == 13  # the server's counters start after the copied ids
    finally:
        moved.close()


def test_a_server_database_that_holds_data_is_refused_and_left_as_it_was(
    tmp_path: Path, server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _town(first, 2)
    _town(second, 3)
    url = server.new_database(migrated=False)  # type: ignore[attr-defined]
    assert main([*_login(first), "move-database", "--to", url]) == 0
    capsys.readouterr()
    assert main([*_login(second), "move-database", "--to", url]) != 0
    assert "目标数据库里已经有数据" in capsys.readouterr().err
    assert not (second / SETTING_FILE).exists()
    db = open_database(first)
    try:
        with db.session() as s:
            assert s.query(Case).count() == 2
    finally:
        db.close()


def test_backup_database_writes_a_pg_dump_that_pg_restore_reads(
    tmp_path: Path, server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    from core.db.pg_backup import pg_dump_program

    folder = tmp_path / "county"
    folder.mkdir()
    (folder / SETTING_FILE).write_text(json.dumps({"url": server.new_database()}), encoding="utf-8")  # type: ignore[attr-defined]
    _town(folder, 3)
    assert main([*_login(folder), "backup-database"]) == 0
    dumps = list((folder / "backups").glob("*.pgdump"))
    assert len(dumps) == 1
    restore = Path(str(pg_dump_program())).with_name("pg_restore")
    listing = subprocess.run(
        [str(restore), "--list", str(dumps[0])], capture_output=True, text=True, check=True
    )
    assert "TABLE DATA public subsidy_case" in listing.stdout and "audit_event" in listing.stdout


def test_every_table_is_moved_and_named_in_chinese() -> None:
    """The accounts and the town's outbox too (their models live outside core/db/models.py)."""
    from cli.database import TABLE_NAMES
    from core.db.move import _tables

    names = {t.name for t in _tables()}
    assert {"account", "outbox", "subsidy_case", "imported_case"} <= names
    assert names <= set(TABLE_NAMES)


def test_a_folder_on_the_server_is_not_backed_up_as_a_file(tmp_path: Path, server: object) -> None:
    """备份 (the window's, the `backup` command's) copies a database file; on a server it says
    to use backup-database, and nothing is written."""
    from core.app import backups
    from core.errors import SubsidyDeskError

    folder = tmp_path / "county"
    folder.mkdir()
    (folder / SETTING_FILE).write_text(json.dumps({"url": server.new_database()}), encoding="utf-8")  # type: ignore[attr-defined]
    db = open_database(folder)
    try:
        admin = add_account(db, ADMIN, Role.ADMIN)
        with pytest.raises(SubsidyDeskError) as info:
            backups.backup_now(db, admin)
    finally:
        db.close()
    assert "备份数据库" in info.value.message_zh and "服务器" in info.value.message_zh
    assert not list(folder.glob("backups/*"))
