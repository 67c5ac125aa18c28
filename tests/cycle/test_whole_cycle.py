"""The whole cycle, from the screens only: a town office and the county, each its own window on its
own data folder, in one process, exchanging files through two folders that stand for USB sticks.

Town first start (station, the first 管理员 and its recovery code, office with its 9-digit
上报代码) → the key slip printed and the office's public key written → county first start, the
town's key registered after its fingerprint is compared, the county's key files written → the
town imports them → the 管理员s make the accounts of the clerk, the head and the officer → the
clerk logs in and receives two cases through the wizard from the keyboard, receipts printed →
the office head logs in, reviews both from his 待初审 queue and exports the batch → the officer
logs in at the county, imports it, opens each case, approves one and rejects one in the
decision forms, writes the result package → the clerk logs in again at the town, imports it and reads the county's decisions and reasons in its results table, its case list
and each case's 县局意见.

Every step is a click, a key, a menu command or a dialog answer (ScriptedDialogs for message
boxes, confirmations and file pickers). Core is read only at the end, to check what was stored
and whom the audit trail names.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.actor import Role
from core.app.catalogs import read_catalog_names
from core.app.storage import open_data
from tests.cycle.case_steps import (
    county_decides,
    county_results,
    export,
    receive,
    review_queue,
    town_reads_results,
)
from tests.cycle.desk import WANG, ZHAO, Desk, add_accounts, log_in
from tests.cycle.screens import Modals, Printed
from tests.cycle.setup_steps import (
    county_keys,
    first_start_county,
    first_start_town,
    import_county_keys,
    register_town,
    town_key,
)
from tests.printing.conftest import pdf_text
from ui.dialog_service import ScriptedDialogs
from ui.main_window import MainWindow


def _desk(qtbot: QtBot, folder: Path) -> Iterator[Desk]:
    dialogs, printed = ScriptedDialogs(), Printed()
    db = open_data(folder)  # what the program does at start-up, before its window
    window = MainWindow(db, read_catalog_names(), dialogs, show=printed)
    qtbot.addWidget(window)
    window.show()
    yield Desk(window, dialogs, printed, db)
    db.close()


@pytest.fixture
def town(qtbot: QtBot, tmp_path: Path) -> Iterator[Desk]:
    yield from _desk(qtbot, tmp_path / "town")


@pytest.fixture
def county(qtbot: QtBot, tmp_path: Path) -> Iterator[Desk]:
    yield from _desk(qtbot, tmp_path / "county")


@pytest.fixture
def sticks(tmp_path: Path) -> tuple[Path, Path]:
    """The town's USB stick (to the county) and the county's (to the towns)."""
    out, back = tmp_path / "town-stick", tmp_path / "county-stick"
    out.mkdir()
    back.mkdir()
    return out, back


def test_the_whole_cycle_from_the_screens(
    qtbot: QtBot, town: Desk, county: Desk, sticks: tuple[Path, Path]
) -> None:
    town_stick, county_stick = sticks
    modals = Modals()

    first_start_town(town, modals)
    town_print = town_key(qtbot, town, modals, town_stick)
    first_start_county(county, modals)
    register_town(county, modals, town_stick, town_print)
    county_prints = county_keys(qtbot, county, modals, county_stick)
    import_county_keys(town, modals, county_stick, county_prints)
    add_accounts(town, modals, ("李经办", (Role.CLERK,)), ("张所长", (Role.HEAD,)))
    add_accounts(county, modals, ("王审核", (Role.REVIEWER, Role.FINANCE)))
    log_in(town, modals, "李经办")
    assert not town.window.report_menu.menuAction().menu().actions()[0].isVisible()  # 导出: the head's
    log_in(county, modals, "王审核")

    numbers = [receive(qtbot, town, modals, who) for who in (WANG, ZHAO)]
    receipts = town.printed.named("受理回执")
    assert len(receipts) == 2
    assert all(number in pdf_text(data) for number, data in zip(numbers, receipts, strict=True))

    review_queue(qtbot, town, modals, numbers)
    batch = export(qtbot, town, modals, town_stick)  # batch export is the head's

    county_decides(qtbot, county, batch, numbers)
    results = county_results(qtbot, county, county_stick)
    log_in(town, modals, "李经办")

    town_reads_results(qtbot, town, modals, results, numbers)
    check_stored(town, county, numbers)
    assert all(town.printed.on_gui_thread) and all(county.printed.on_gui_thread)
    assert not town.said("error") and not county.said("error"), (town.said("error"), county.said("error"))
    assert not town.said("unexpected") and not county.said("unexpected")


def check_stored(town: Desk, county: Desk, numbers: list[str]) -> None:
    """What the databases hold at the end, and whom the audit trails name for each step."""
    approve, reject = numbers
    with sqlite3.connect(town.db.path) as conn:
        cases = dict(conn.execute("SELECT case_number, status FROM subsidy_case").fetchall())
        assert cases == {approve: "approved", reject: "rejected"}
        actors = {
            (action, actor)
            for action, actor in conn.execute(
                "SELECT action, actor FROM audit_event WHERE entity = 'case'"
            ).fetchall()
        }
    assert ("create", "李经办") in actors and ("county_result", "李经办") in actors
    with sqlite3.connect(town.db.path) as conn:
        moves = [
            (actor, json.loads(changes)["status"][1])
            for actor, changes in conn.execute("SELECT actor, changes FROM audit_event WHERE entity = 'case'")
            if "status" in json.loads(changes)
        ]
    assert {a for a, status in moves if status == "review_passed"} == {"张所长"}
    assert {a for a, status in moves if status == "accepted"} == {"李经办"}
    assert {a for a, status in moves if status == "exported"} == {"张所长"}
    with sqlite3.connect(county.db.path) as conn:
        decided = dict(conn.execute("SELECT case_number, status FROM imported_case").fetchall())
        deciders = {r[0] for r in conn.execute("SELECT actor FROM audit_event WHERE action = 'decide'")}
    assert decided == {approve: "approved", reject: "rejected"}
    assert deciders == {"王审核"}
    QApplication.processEvents()
