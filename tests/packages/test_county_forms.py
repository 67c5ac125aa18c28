"""The county's decision forms and queue, offscreen: prefilled, checked by field with nothing
typed lost, confirmed in words, and a decision corrected until its result package is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from core.actor import Actor, Role, Station
from core.app import county as ops
from core.app.batches import export_batch
from core.app.county import Decision
from core.packages.decision_rules import REJECTION_REASONS
from tests.packages.conftest import Site
from tests.test_gui import type_text
from ui.county.forms import ApproveForm, CorrectForm, PaidForm, RejectForm
from ui.county.view import CountyWindow, open_county_window
from ui.dialog_service import ScriptedDialogs

OFFICER = Actor("县局审核员", (Role.REVIEWER, Role.FINANCE, Role.ADMIN), Station.COUNTY)


@pytest.fixture
def imported(town: Site, county: Site, usb: Path) -> dict[str, str]:
    town.add_case("张三", "53342219900101123", 50000)
    town.add_case("李四", "53342219910202123", 30000)
    town.add_case("王五", "53342219920303123", 20000)
    report = ops.import_package(
        county.db, county.actor, path=export_batch(town.db, town.actor, folder=usb).path
    )
    return {c.applicant: c.uuid for c in report.cases}


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


@pytest.fixture
def window(qtbot: QtBot, county: Site, imported, dialogs: ScriptedDialogs) -> Iterator[CountyWindow]:
    win = open_county_window(county.db, dialogs, lambda: OFFICER, lambda _c, sid: "一次性外出务工交通补助")
    qtbot.addWidget(win)
    yield win


def status(county: Site, uuid: str) -> tuple[object, ...]:
    r = ops.county_row(county.db, uuid=uuid)
    return (r.status, r.approved_fen, r.paid_fen, r.paid_on, r.reason)


def replace_text(edit: QLineEdit | QPlainTextEdit, text: str) -> None:
    edit.clear()
    type_text(edit, text)


def shown_errors(form) -> dict[str, str]:
    return {name: label.text() for name, label in form.errors.items() if not label.isHidden()}


def test_the_screen_opens_on_the_queue_with_its_count(
    qtbot: QtBot, qtmodeltester, county: Site, imported, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    assert window.status.currentText() == "待审核" and window.queue_label.text() == "待审核 3 件"
    assert window.model.rowCount() == 3 and not window.show_queue.isEnabled()
    qtmodeltester.check(window.model)
    for column in range(window.model.columnCount() - 1):  # every column shows its content whole
        assert window.table.columnWidth(column) >= min(window.table.sizeHintForColumn(column), 260)
    window.select_uuid(imported["张三"])
    form = window.approve()
    dialogs.answers = [True]
    assert form.submit()
    assert window.queue_label.text() == "待审核 2 件" and window.model.rowCount() == 2
    assert (
        window.selected_row() is not None and window.selected_row().applicant_name == "李四"
    )  # the next one
    window.show_all.click()
    assert window.model.rowCount() == 3 and window.count_label.text() == "本列表 3 件"
    assert window.queue_label.text() == "待审核 2 件" and window.show_queue.isEnabled()
    window.show_queue.click()
    assert window.model.rowCount() == 2


def test_approve_is_prefilled_with_the_assessment_and_asks_for_confirmation(
    county: Site, imported, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    window.select_uuid(imported["张三"])
    form = window.approve()
    assert isinstance(form, ApproveForm) and form.isVisible()
    assert form.approval.amount.text() == "500.00"
    assert not form.submit()  # the officer says no: nothing recorded, the form stays as typed
    kind, title, question = dialogs.messages[-1]
    assert (kind, title) == ("confirm", "审核通过")
    assert question.startswith("确认将升平镇劳动保障事务所（533422101）的案件") and "（张三，" in question
    assert question.endswith("审核通过，核定金额 500.00 元？")
    assert status(county, imported["张三"])[0] == "received" and form.isVisible()
    replace_text(form.approval.amount, "450")
    replace_text(form.approval.note, "一张车票无法核实")
    dialogs.answers = [True]
    assert form.submit()
    assert (
        "站所核算金额为 500.00 元" in dialogs.messages[-1][2]
        and "一张车票无法核实" in dialogs.messages[-1][2]
    )
    assert status(county, imported["张三"]) == ("approved", 45000, None, None, "一张车票无法核实")


def test_a_refused_amount_is_named_and_nothing_typed_is_lost(
    county: Site, imported, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    window.select_uuid(imported["张三"])
    form = window.approve()
    replace_text(form.approval.amount, "三百")
    replace_text(form.approval.note, "复核")
    assert not form.submit()
    assert list(shown_errors(form)) == ["核定金额"] and "核定金额应为金额" in shown_errors(form)["核定金额"]
    assert (form.approval.amount.text(), form.approval.note.toPlainText()) == ("三百", "复核")
    assert form.approval.amount.hasFocus() or not form.isActiveWindow()
    replace_text(form.approval.amount, "600")
    form.approval.note.clear()
    assert not form.submit()
    assert (
        list(shown_errors(form)) == ["核定说明"]
        and "高于站所核算的 500.00 元" in shown_errors(form)["核定说明"]
    )
    assert form.approval.amount.text() == "600"
    assert not any(kind == "confirm" for kind, _t, _m in dialogs.messages)  # no question while wrong
    replace_text(form.approval.note, "票据复核为600元")
    dialogs.answers = [True]
    assert form.submit() and shown_errors(form) == {}
    assert status(county, imported["张三"])[:2] == ("approved", 60000)


def test_reject_picks_a_common_reason_or_takes_the_officers_words(
    county: Site, imported, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    window.select_uuid(imported["李四"])
    form = window.reject()
    assert isinstance(form, RejectForm)
    choices = [form.rejection.reason.itemText(i) for i in range(form.rejection.reason.count())]
    assert choices == ["请选择理由……", *REJECTION_REASONS, "其他理由"]
    assert not form.submit()
    assert list(shown_errors(form)) == ["不予通过理由"]
    form.rejection.reason.setCurrentIndex(form.rejection.reason.findText("其他理由"))
    assert not form.submit() and list(shown_errors(form)) == ["不予通过理由"]  # 其他 needs the words
    form.rejection.reason.setCurrentIndex(form.rejection.reason.findText("材料不全"))
    type_text(form.rejection.detail, "缺劳动合同")
    dialogs.answers = [True]
    assert form.submit()
    assert dialogs.messages[-1][2].endswith("理由：材料不全：缺劳动合同（会随结果包告知站所）")
    assert status(county, imported["李四"])[::4] == ("rejected", "材料不全：缺劳动合同")


def test_paid_checks_amount_and_date_together(
    county: Site, imported, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    ops.approve(county.db, OFFICER, uuid=imported["张三"], amount_fen=45000)
    window.show_all.click()
    window.select_uuid(imported["张三"])
    form = window.mark_paid()
    assert isinstance(form, PaidForm)
    assert (form.payment.amount.text(), form.payment.paid_on.text()) == (
        "450.00",
        dt.date.today().isoformat(),
    )
    replace_text(form.payment.amount, "五百")
    replace_text(form.payment.paid_on, "2024-02-30")
    assert not form.submit()
    assert list(shown_errors(form)) == ["拨付金额", "拨付日期"]
    assert (form.payment.amount.text(), form.payment.paid_on.text()) == ("五百", "2024-02-30")
    replace_text(form.payment.amount, "500")
    replace_text(form.payment.paid_on, "2099-01-01")
    assert not form.submit()
    errors = shown_errors(form)
    assert "超过核定金额 450.00 元" in errors["拨付金额"] and "晚于今天" in errors["拨付日期"]
    replace_text(form.payment.amount, "450")
    replace_text(form.payment.paid_on, "2024年6月1日")
    dialogs.answers = [True]
    assert form.submit()
    assert dialogs.messages[-1][2].endswith("已拨付 450.00 元，拨付日期 2024-06-01？")
    assert status(county, imported["张三"])[:4] == ("paid", 45000, 45000, dt.date(2024, 6, 1))


def test_a_decision_is_corrected_with_a_reason_until_the_result_package(
    county: Site, imported, usb: Path, window: CountyWindow, dialogs: ScriptedDialogs
) -> None:
    ops.approve(county.db, OFFICER, uuid=imported["张三"])
    window.show_all.click()
    window.select_uuid(imported["张三"])
    assert window.buttons[Decision.CORRECT].isEnabled()
    form = window.correct()
    assert isinstance(form, CorrectForm)
    targets = [form.target.itemText(i) for i in range(form.target.count())]
    assert targets == ["改正核定金额或说明", "改为不予通过", "撤销决定，改回待审核"]
    form.choose("改为不予通过")
    assert form.pages.currentIndex() == 1 and form.pages.currentWidget().isVisibleTo(form)
    assert not form.submit()
    assert list(shown_errors(form)) == ["不予通过理由", "更正理由"]
    form.part.reason.setCurrentIndex(form.part.reason.findText("重复申报"))
    type_text(form.why, "同一人已在奔子栏镇领取")
    dialogs.answers = [True]
    assert form.submit()
    question = dialogs.messages[-1][2]
    assert "由“审核通过，核定金额 500.00 元”更正为“不予通过（理由：重复申报）”" in question
    assert question.endswith("更正理由：同一人已在奔子栏镇领取")
    assert status(county, imported["张三"])[::4] == ("rejected", "重复申报")
    ops.export_results(county.db, OFFICER, office_code="533422101", folder=usb)
    window.refresh()
    window.select_uuid(imported["张三"])
    assert not window.buttons[Decision.CORRECT].isEnabled()
    assert window.correct() is None  # told to the town: no form
