"""The county screen, offscreen: its model, filters, decisions, and packages in and out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.actor import Actor, Role, Station
from core.app.county import Decision, decisions_allowed
from core.packages.county_import import import_package
from core.packages.export import export_batch
from core.packages.models import ImportedCase
from core.packages.registry import register_office_key
from tests.packages.conftest import Site, make_town
from ui.county.view import CountyWindow, open_county_window
from ui.dialog_service import ScriptedDialogs


def _import(county: Site, path: Path) -> None:
    with county.db.session() as s, s.begin():
        assert import_package(s, county.data_dir, path, "county-clerk").status == "imported"


def _case(county: Site, name: str) -> ImportedCase:
    with county.db.session() as s:
        return s.scalars(select(ImportedCase).where(ImportedCase.applicant_name == name)).one()


@pytest.fixture
def imported(town: Site, county: Site, usb: Path) -> Path:
    town.add_case("张三", "53342219900101123", 50000)
    town.add_case("李四", "53342219910202123", 30000)
    path = export_batch(town.db, town.data_dir, usb, "clerk").path
    _import(county, path)
    return path


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


@pytest.fixture
def window(qtbot: QtBot, county: Site, dialogs: ScriptedDialogs) -> Iterator[CountyWindow]:
    officer = Actor("县局审核员", (Role.REVIEWER, Role.FINANCE, Role.ADMIN), Station.COUNTY)
    win = open_county_window(county.db, dialogs, lambda: officer, lambda _c, sid: sid)
    qtbot.addWidget(win)
    yield win


def _select(window: CountyWindow, county: Site, name: str) -> str:
    uuid = _case(county, name).uuid
    assert window.select_uuid(uuid)
    return uuid


def test_model_passes_the_model_tester(qtmodeltester, imported: Path, window: CountyWindow) -> None:
    assert window.isVisible() and window.model.rowCount() == 2
    qtmodeltester.check(window.model)
    texts = [window.model.index(0, c).data() for c in range(window.model.columnCount())]
    assert texts[1:3] == ["533422101-0001-123", "张三"] and texts[5] == "500.00" and texts[6] == "待审核"
    assert "********" in texts[3]
    window.model.state.set_status("paid")
    window.model.refresh()
    qtmodeltester.check(window.model)  # and empty


def test_approve_and_reject_through_the_screen(
    imported: Path, county: Site, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    _select(window, county, "张三")
    assert window.buttons[Decision.APPROVE].isEnabled() and not window.buttons[Decision.PAID].isEnabled()
    window.buttons[Decision.APPROVE].click()
    form = window.form
    assert form is not None and form.windowTitle() == "审核通过"
    form.approval.amount.setText("450")
    dialogs.answers = [True]
    assert form.submit()
    row = _case(county, "张三")
    assert (row.status, row.approved_fen, row.decided_by) == ("approved", 45000, "县局审核员")
    assert window.selected_row() is not None and window.selected_row().applicant_name == "李四"  # the next
    assert window.buttons[Decision.REJECT].isEnabled()

    window.buttons[Decision.REJECT].click()
    form = window.form
    form.rejection.reason.setCurrentIndex(form.rejection.reason.findText("其他理由"))
    form.rejection.detail.setPlainText("外出务工时间不足3个月")
    dialogs.answers = [True]
    assert form.submit()
    row = _case(county, "李四")
    assert (row.status, row.decision_reason) == ("rejected", "外出务工时间不足3个月")
    window.show_all.click()
    assert window.model.index(1, 10).data() == "外出务工时间不足3个月"
    assert not any(kind == "error" for kind, _t, _m in dialogs.messages)


def test_cancel_and_bad_answers_change_nothing(
    imported: Path, county: Site, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    _select(window, county, "李四")
    form = window.reject()
    form.reject()  # 取消
    form = window.approve()
    assert not form.submit()  # no to the confirmation
    form.approval.amount.setText("三百")
    assert not form.submit()
    assert "核定金额" in form.errors["核定金额"].text() and form.approval.amount.text() == "三百"
    assert [m[0] for m in dialogs.messages] == ["confirm"]
    assert _case(county, "李四").status == "received"


def test_mark_paid_through_the_screen(
    imported: Path, county: Site, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    uuid = _select(window, county, "张三")
    dialogs.answers = [True, True]
    assert window.approve().submit()  # as assessed
    window.show_all.click()
    window.select_uuid(uuid)
    form = window.mark_paid()
    form.payment.paid_on.setText("2024-06-01")
    assert form.submit()  # the approved amount
    row = _case(county, "张三")
    assert (row.status, row.paid_fen, row.paid_on) == ("paid", 50000, dt.date(2024, 6, 1))
    assert decisions_allowed(window.selected_row()) == {Decision.CORRECT}  # until the result package


def test_filters(imported: Path, county: Site, window: CountyWindow, dialogs: ScriptedDialogs) -> None:
    assert window.model.rowCount() == 2 and window.status.currentText() == "待审核"  # the queue
    _select(window, county, "张三")
    dialogs.answers = [True]
    window.approve().submit()
    assert window.model.rowCount() == 1
    window.status.setCurrentIndex(window.status.findData("approved"))
    assert window.model.rowCount() == 1 and window.count_label.text() == "本列表 1 件"
    window.status.setCurrentIndex(0)
    window.office.setCurrentIndex(window.office.findData("533422101"))
    assert window.model.rowCount() == 2
    window.duplicates.setChecked(True)
    assert window.model.rowCount() == 0


def test_resolve_a_duplicate_through_the_screen(
    tmp_path: Path, town: Site, county: Site, usb: Path, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    other = make_town(tmp_path, "533422102", "奔子栏镇")
    try:
        with county.db.session() as s, s.begin():
            register_office_key(s, other.code, other.public_key_file(), "county-admin")
        for site in (town, other):
            site.add_case("张三", "53342219900101123")
            _import(county, export_batch(site.db, site.data_dir, usb, "clerk").path)
    finally:
        other.db.close()
    window.duplicates.setChecked(True)
    assert window.model.rowCount() == 2
    window.select_uuid(window.model.row_at(0).uuid)
    assert decisions_allowed(window.selected_row()) == {Decision.REJECT, Decision.RESOLVE}
    kept = window.selected_row()
    dialogs.texts = ["系同一人，保留升平镇一件"]
    window.buttons[Decision.RESOLVE].click()
    assert window.model.rowCount() == 0
    with county.db.session() as s:
        statuses = {r.uuid: r.status for r in s.scalars(select(ImportedCase))}
    assert statuses.pop(kept.uuid) == "received" and list(statuses.values()) == ["rejected"]


def test_export_results_and_import_a_package_through_the_screen(
    qtbot: QtBot, town: Site, county: Site, usb: Path, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    town.add_case("张三", "53342219900101123", 50000)
    package = export_batch(town.db, town.data_dir, usb, "clerk").path
    dialogs.files = [str(package)]
    importer = window.import_package()
    qtbot.waitUntil(lambda: importer.report is not None, timeout=10000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10000)

    window.export_results()  # no office chosen, nothing selected
    assert dialogs.messages[-1][0] == "error" and "站所" in dialogs.messages[-1][2]
    window.select_uuid(window.model.row_at(0).uuid)
    form = window.reject()
    form.rejection.reason.setCurrentIndex(form.rejection.reason.findText("材料不全"))
    dialogs.answers = [True]
    assert form.submit()
    assert window.model.rowCount() == 0  # decided: out of the queue; the office is chosen instead
    window.office.setCurrentIndex(window.office.findData("533422101"))
    out = usb / "results"
    out.mkdir()
    dialogs.files = [str(out)]
    assert window.export_results() is not None
    qtbot.waitUntil(
        lambda: window.last_export is not None or dialogs.messages[-1][0] == "error", timeout=10000
    )
    assert window.last_export is not None, dialogs.messages[-1]
    assert window.last_export.path.parent == out and window.last_export.path.exists()
    assert dialogs.messages[-1][0] == "info" and "第1号结果包" in dialogs.messages[-1][2]
