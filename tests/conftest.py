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
