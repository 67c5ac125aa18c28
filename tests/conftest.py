"""Shared fixtures. Qt must never look for a display in tests, so offscreen is forced here."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.db import Database, open_database  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """The session's PostgreSQL server (tests/pgserver.py), or why there is none."""
    from tests.pgserver import start_server

    found = start_server()
    yield found
    if not isinstance(found, str):
        found.stop()


@pytest.fixture
def on_postgres(pg_server: object, monkeypatch: pytest.MonkeyPatch) -> object:
    """Every data folder this test opens keeps its database on the test server: a folder without
    a database setting is given a fresh database of its own (as a county's technician would)."""
    if isinstance(pg_server, str):
        pytest.skip(pg_server)
    import core.db.location as location

    chosen = location.setting_url

    def provision(folder: Path) -> str | None:
        found = chosen(folder)
        if found is None:
            found = pg_server.new_database()  # type: ignore[attr-defined]
            location.save_url(folder, found)
        return found

    monkeypatch.setattr(location, "setting_url", provision)
    return pg_server


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Both databases: the folders' databases are files, then on the PostgreSQL server."""
    if request.param == "postgresql":
        request.getfixturevalue("on_postgres")
    return str(request.param)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_database(data_dir)
    yield database
    database.close()


@pytest.fixture(autouse=True)
def _no_log_left_behind() -> Iterator[None]:
    """main() and run_app() start the program's log: stop it after each test, so no test
    writes into another's folder and faulthandler reports to the console again."""
    yield
    from core.logs import stop_logging

    stop_logging()


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still Argon2id, with light costs: hundreds of accounts are made across the suite, and the
    program's own costs (64 MiB, 3 passes) take a third of a second each on this machine.
    tests/test_accounts.py checks the program's costs."""
    from argon2 import PasswordHasher

    import core.accounts

    monkeypatch.setattr(
        core.accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
