"""On a full data disk (a real small filesystem, tests/crash/disks.py) the wizard's 下一步 and the
roster import say so in their own Chinese box, instead of doing nothing; the step stays on screen."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.db import Database
from core.db.engine import DB_FILENAME
from tests.crash.disks import FullDisk, small_disk
from tests.test_intake_gui import open_wizard, setup  # noqa: F401 - the fixture
from ui.dialog_service import ScriptedDialogs
from ui.intake.step import SAVE_FAILED_TITLE
from ui.intake.wizard import PAGE_FACTS


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[FullDisk]:
    with small_disk(tmp_path / "disk", 24 * 1024) as d:
        yield d


@pytest.fixture
def data_dir(disk: FullDisk) -> Path:
    return disk.folder / "data"


def _no_room_left(db: Database, disk: FullDisk, monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty the WAL first, so the next save must grow it: then fill the disk."""
    con = sqlite3.connect(db.path.parent / DB_FILENAME)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    disk.fill(monkeypatch)


def test_next_on_a_full_disk_says_so_and_stays(
    qtbot: QtBot,
    setup: Database,  # noqa: F811 - the fixture imported above
    disk: FullDisk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialogs = ScriptedDialogs()
    wizard, kb = open_wizard(qtbot, setup, dialogs)
    kb.type("王秀兰")
    qtbot.waitUntil(lambda: wizard.applicant.results.count() == 1, timeout=2000)
    kb.press(Qt.Key_Return)
    kb.press(Qt.Key_Return)
    assert wizard.currentId() == PAGE_FACTS
    kb.type("2022-01-10")
    kb.press(Qt.Key_Tab)
    kb.press(Qt.Key_Down)
    kb.press(Qt.Key_Tab)
    kb.type("12")
    kb.press(Qt.Key_Tab)
    kb.press(Qt.Key_Down)
    _no_room_left(setup, disk, monkeypatch)
    kb.press(Qt.Key_Return)  # 下一步
    assert wizard.currentId() == PAGE_FACTS
    errors = [m for m in dialogs.messages if m[0] == "error"]
    assert errors and errors[0][1] == SAVE_FAILED_TITLE and "磁盘已满" in errors[0][2]
    assert not [m for m in dialogs.messages if m[0] == "unexpected"]
    disk.free(monkeypatch)
    kb.press(Qt.Key_Return)  # after cleaning up, the same 下一步 goes on
    assert wizard.currentId() != PAGE_FACTS


def test_attaching_a_scan_on_a_full_disk_says_so(
    qtbot: QtBot,
    setup: Database,  # noqa: F811 - the fixture imported above
    disk: FullDisk,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.test_intake_gui import job_seeking_to_materials
    from tests.waiting import wait_finished

    dialogs = ScriptedDialogs()
    wizard, kb = open_wizard(qtbot, setup, dialogs)
    job_seeking_to_materials(qtbot, wizard, kb)
    scan = tmp_path / "劳动合同.pdf"
    scan.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 4000)
    _no_room_left(setup, disk, monkeypatch)
    wait_finished(qtbot, wizard.materials.attach(scan))
    qtbot.waitUntil(lambda: bool(dialogs.messages))
    kind, title, text = dialogs.messages[-1]
    assert (kind, title) == ("error", "不能附加该文件")
    assert "磁盘" in text and "已满" in text and "MB" in text


def test_export_to_a_read_only_stick_from_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    from tests.packages.conftest import make_town
    from tests.waiting import wait_finished
    from ui.dialogs.export_batch import ExportBatchDialog

    town = make_town(tmp_path, "533422101", "升平镇")
    town.add_case("张三", "53342219900101123")
    with small_disk(tmp_path / "stick", 4096, read_only=True) as stick:
        dialogs = ScriptedDialogs(files=[str(stick.folder)])
        dialog = ExportBatchDialog(town.db, town.actor, dialogs)
        qtbot.addWidget(dialog)
        dialog.choose_folder()
        job = dialog.start()
        assert job is not None
        wait_finished(qtbot, job)
        qtbot.waitUntil(lambda: bool(dialogs.messages))
    kind, _title, text = dialogs.messages[-1]
    assert kind == "error" and "写保护" in text and "案件状态没有改变" in text
    assert dialog.result_value is None
    town.db.close()
