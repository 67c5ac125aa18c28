"""文件 → 导出当前列表到Excel from the window: the tab's list as shown, on a worker, then a word where it went."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from core.actor import Actor
from core.app.catalogs import CatalogChoices
from tests.printing.conftest import Printing
from tests.spreadsheets.readback import column, header_row, sheet
from ui.dialog_service import ScriptedDialogs
from ui.jobs import is_running
from ui.main_window import MainWindow


def test_export_the_shown_case_list_and_the_persons(qtbot: QtBot, printing: Printing, tmp_path: Path) -> None:
    cases, persons = tmp_path / "案件", tmp_path / "人员.xlsx"
    dialogs = ScriptedDialogs(files=[str(cases), str(persons)])
    window = MainWindow(printing.db, CatalogChoices(), dialogs)
    qtbot.addWidget(window)
    window.actor = Actor("张会计")
    window.cases.search.setText("李国强")
    window.cases.apply_filters()
    assert window.case_model.total == 2
    job = window.export_list()
    assert job is not None
    qtbot.waitUntil(lambda: not is_running(job), timeout=10_000)
    ws = sheet(cases.with_suffix(".xlsx").read_bytes())  # the suffix is added when missing
    top = header_row(ws, ["受理编号", "申请人"])
    assert [c.value for c in column(ws, "申请人", top)] == ["李国强", "李国强", "2件"]
    window.tabs.setCurrentWidget(window.persons)
    job = window.export_list()
    assert job is not None
    qtbot.waitUntil(lambda: not is_running(job), timeout=10_000)
    ws = sheet(persons.read_bytes())
    assert len(column(ws, "身份证号", header_row(ws, ["姓名", "身份证号"]))) == 2
    infos = [m for m in dialogs.messages if m[0] == "info"]
    assert [m[2].split("：")[0] for m in infos] == ["已导出 2 行到", "已导出 2 行到"]
