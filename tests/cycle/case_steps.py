"""The whole cycle's cases: received, reviewed, exported, decided at the county, read back at the town."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.cycle.desk import CODE, SUBSIDY, TODAY, WANG, ZHAO, Applicant, Desk, log_in
from tests.cycle.screens import Keyboard, Modals, click, menu_item, press_enter, type_text
from ui.county.view import CountyWindow
from ui.dialogs.case_detail import CaseDetailDialog
from ui.dialogs.export_batch import ExportBatchDialog
from ui.dialogs.person import PersonDialog
from ui.intake.wizard import PAGE_FACTS, PAGE_RESULT, PAGE_SUBSIDY, IntakeWizard


# Receiving two cases, and the office head's review
def receive(qtbot: QtBot, town: Desk, modals: Modals, who: Applicant) -> str:
    """案件 → 受理新申请: the person registered in the wizard, then its steps from the keyboard."""
    numbers: list[str] = []

    def person(dialog: PersonDialog) -> None:
        for field, text in (
            (dialog.name, who.name),
            (dialog.id_number, who.id_number),
            (dialog.town, "升平镇"),
            (dialog.village, who.village),
            (dialog.phone, "13988776655"),
        ):
            type_text(field, text)
        dialog.category_boxes["poverty_alleviated"].click()
        click(dialog, "保存")

    def wizard(w: IntakeWizard) -> None:
        kb = Keyboard(w)
        modals.run(lambda: click(w, "新建人员"), (PersonDialog, person))
        w.applicant.search.setFocus()
        kb.type(who.name)
        qtbot.waitUntil(lambda: w.applicant.results.count() == 1, timeout=5000)
        kb.press(Qt.Key.Key_Return)
        assert w.currentId() == PAGE_SUBSIDY
        while not w.subsidy.subsidies.currentItem().text().startswith(SUBSIDY):
            row = w.subsidy.subsidies.currentRow()
            kb.press(Qt.Key.Key_Down)
            assert w.subsidy.subsidies.currentRow() > row
        kb.press(Qt.Key.Key_Return)
        assert w.currentId() == PAGE_FACTS
        form = w.facts.form
        assert form is not None
        destination = form.fields["destination"].widget
        kb.press(Qt.Key.Key_Down, destination.findText(who.destination))  # type: ignore[union-attr]
        kb.press(Qt.Key.Key_Tab)
        kb.type((TODAY - dt.timedelta(days=150)).isoformat())  # 外出务工就业开始日期
        kb.press(Qt.Key.Key_Tab)
        kb.type((TODAY - dt.timedelta(days=10)).isoformat())  # 在岗证明截止日期
        kb.press(Qt.Key.Key_Tab)
        kb.type(who.cost)
        kb.press(Qt.Key.Key_Return)  # the materials: this subsidy asks for none beyond the facts
        kb.press(Qt.Key.Key_Return)
        assert w.currentId() == PAGE_RESULT, w.facts.summary.text()
        assert "符合条件" in w.result_page.headline.text(), w.result_page.headline.text()
        town.dialogs.answers = [True]  # 现在打印受理回执吗？
        kb.press(Qt.Key.Key_Return)  # 受理
        numbers.append(w.result_page.accepted_number or "")

    before = len(town.printed.documents)
    modals.run(menu_item(town.window, "案件", "受理新申请"), (IntakeWizard, wizard))
    qtbot.waitUntil(lambda: len(town.printed.documents) > before, timeout=20_000)
    assert numbers[0], "受理 gave a number"
    assert town.printed.titles()[-1] == f"受理回执_{numbers[0]}"
    return numbers[0]


def review_queue(qtbot: QtBot, town: Desk, modals: Modals, numbers: list[str]) -> None:
    """The head logs in, finds his 待初审 queue, passes the first case and steps to the next."""
    cases = town.window.cases
    assert cases.queue_label.text() == "待初审 2 件"  # the clerk sees it too
    assert not town.window.cases.model.state.is_queue
    log_in(town, modals, "张所长")
    assert cases.model.state.is_queue and cases.model.rowCount() == 2
    assert town.window.tabs.tabText(town.window.tabs.indexOf(cases)) == "案件（待初审 2）"
    seen: list[str] = []

    def detail(dialog: CaseDetailDialog) -> None:
        for _ in numbers:
            assert "已受理" in dialog.header.text() and not dialog.county_box.isVisible()
            seen.append(next(n for n in numbers if n in dialog.header.text()))
            click(dialog, "初审通过")
            assert "初审通过" in dialog.header.text()
            if len(seen) < len(numbers):
                assert dialog.next_button.isDefault()
                click(dialog, "下一件待初审")
        assert not dialog.next_button.isEnabled() and dialog.next_button.text() == "没有其他待初审的案件"
        click(dialog, "关闭")

    modals.run(lambda: press_enter(cases.table), (CaseDetailDialog, detail))  # the first waiting case
    assert sorted(seen) == sorted(numbers)
    assert cases.queue_label.text() == "待初审 0 件" and cases.model.rowCount() == 0


def export(qtbot: QtBot, town: Desk, modals: Modals, stick: Path) -> Path:
    """上报 → 导出上报批次: both cases, encrypted to the county, and the 交接单 printed."""
    done: list[object] = []

    def dialog(d: ExportBatchDialog) -> None:
        assert d.table.rowCount() == 2
        town.dialogs.files.append(str(stick))
        click(d, "选择")
        assert d.encrypt.isEnabled()
        d.encrypt.click()
        town.dialogs.answers = [True]  # 现在打印交接单吗？
        click(d, "导出")
        qtbot.waitUntil(lambda: d.result_value is not None, timeout=30_000)
        done.append(d.result_value)

    modals.run(menu_item(town.window, "上报", "导出上报批次"), (ExportBatchDialog, dialog))
    qtbot.waitUntil(lambda: bool(town.printed.named("交接单")), timeout=20_000)
    assert "第1批已写入并核验通过：2件" in town.said()[-1]
    [batch] = [p for p in stick.iterdir() if p.name.endswith(".sealed")]
    return batch


# The county's decisions and its result package
def county_decides(qtbot: QtBot, county: Desk, batch: Path, numbers: list[str]) -> None:
    screen = county.window.county_tab
    assert isinstance(screen, CountyWindow)
    county.dialogs.files.append(str(batch))
    click(screen, "导入数据包")
    qtbot.waitUntil(lambda: screen.import_dialog.report is not None, timeout=30_000)
    report = screen.import_dialog.report
    assert report.status == "imported" and len(report.cases) == 2, report.summary
    click(screen.import_dialog, "关闭")
    assert screen.queue_label.text() == "待审核 2 件" and screen.model.rowCount() == 2

    approve, reject = numbers
    note = "票据齐全，按实际交通费补助。"
    decide(qtbot, county, screen, approve, WANG, "审核通过", lambda form: type_text(form.approval.note, note))

    def rejection(form: object) -> None:
        box = form.rejection.reason  # type: ignore[attr-defined]
        box.setCurrentIndex(box.findData("材料不全"))
        type_text(form.rejection.detail, "缺少交通费票据原件")  # type: ignore[attr-defined]

    decide(qtbot, county, screen, reject, ZHAO, "不予通过", rejection)
    assert screen.queue_label.text() == "待审核 0 件"


def decide(
    qtbot: QtBot, county: Desk, screen: CountyWindow, number: str, who: Applicant, decision: str, fill: object
) -> None:
    """Open the case's view from the queue (Enter), take the decision in its form, confirm it."""
    row = next(
        r for r in range(screen.model.rowCount()) if screen.model.data(screen.model.index(r, 1)) == number
    )
    screen.table.selectRow(row)
    press_enter(screen.table)
    view = screen.case_dialog
    assert view is not None and view.isVisible()
    assert (
        view.view.row.case_number == number
        and view.windowTitle() == f"案件详情（县局）：{who.name} — {SUBSIDY}"
    )
    click(view, decision)
    form = view.form
    assert form is not None and form.isVisible()
    fill(form)  # type: ignore[operator]
    county.dialogs.answers = [True]
    form.ok_button.click()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=5000)
    assert ("审核通过" if decision == "审核通过" else "不予通过") in view.header.text()
    click(view, "关闭")


def county_results(qtbot: QtBot, county: Desk, stick: Path) -> Path:
    screen = county.window.county_tab
    assert isinstance(screen, CountyWindow)
    click(screen, "查看全部案件")
    screen.office.setCurrentIndex(screen.office.findData(CODE))
    county.dialogs.files.append(str(stick))
    click(screen, "生成结果包")
    qtbot.waitUntil(lambda: screen.last_export is not None, timeout=30_000)
    assert "已生成第1号结果包：2件决定" in county.said()[-1]
    return Path(screen.last_export.path)


# The town reads the county's word
def town_reads_results(qtbot: QtBot, town: Desk, modals: Modals, results: Path, numbers: list[str]) -> None:
    approve, reject = numbers
    town.dialogs.files.append(str(results))
    menu_item(town.window, "上报", "导入县局审核结果")()
    qtbot.waitUntil(lambda: town.window.results_dialog is not None, timeout=30_000)
    table = town.window.results_dialog
    assert table is not None and table.isVisible()
    assert table.summary.text() == "已导入县局审核结果，共2件：县局审核通过1件，县局未通过1件。"
    rows = {
        table.table.item(r, 0).text(): [
            table.table.item(r, c).text() for c in range(table.table.columnCount())
        ]
        for r in range(table.table.rowCount())
    }
    assert rows[approve] == [
        approve,
        WANG.name,
        "县局审核通过",
        "680.00",
        "",
        "",
        "县局核定说明：票据齐全，按实际交通费补助。",
    ]
    assert rows[reject] == [
        reject,
        ZHAO.name,
        "县局未通过",
        "",
        "",
        "",
        "不予通过理由：材料不全：缺少交通费票据原件",
    ]

    cases = town.window.cases
    assert not cases.model.state.filter.statuses  # the clerk's list: every case, the queue was the head's
    states = {
        cases.model.data(cases.model.index(r, 0)): cases.model.data(cases.model.index(r, 6))
        for r in range(cases.model.rowCount())
    }
    assert states == {approve: "县局审核通过", reject: "县局未通过"}

    def opinion(words: list[str]) -> object:
        def read(dialog: CaseDetailDialog) -> None:
            assert dialog.county_box.isVisible() and dialog.county_box.title() == "县局意见"
            text = dialog.county.text()
            assert all(w in text for w in words), text
            click(dialog, "关闭")

        return read

    row = next(r for r in range(table.table.rowCount()) if table.table.item(r, 0).text() == approve)
    table.table.selectRow(row)
    modals.run(
        lambda: press_enter(table.table),
        (
            CaseDetailDialog,
            opinion(["县局审核通过", "核定金额：680.00 元", "县局核定说明：票据齐全", "县局结果包第1号"]),
        ),
    )
    row = next(
        r for r in range(cases.model.rowCount()) if cases.model.data(cases.model.index(r, 0)) == reject
    )
    cases.table.selectRow(row)
    modals.run(
        lambda: press_enter(cases.table),
        (CaseDetailDialog, opinion(["县局未通过", "不予通过理由：材料不全：缺少交通费票据原件", "李经办"])),
    )
