"""The office head's 待初审 queue: the window opens on it, counts it, and the case detail steps from
one waiting case to the next; a case skipped comes round again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from core.actor import Actor, Role
from core.app.catalogs import read_catalog_names
from core.cases.states import CaseStatus
from core.db.models import Case
from core.ids import CaseId
from tests.cycle.screens import Modals, Printed, click, menu_item, press_enter
from tests.logins import add_account, answer_login
from tests.packages.conftest import Site
from ui.cases.state import next_in_queue
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.case_detail import CaseDetailDialog
from ui.main_window import MainWindow

PEOPLE = (("张三", "53342219900101123"), ("李四", "53342219910202123"), ("王五", "53342219920303123"))


@pytest.fixture
def waiting(town: Site) -> list[CaseId]:
    """Three accepted cases (oldest application first) and one already reviewed."""
    ids = []
    for year, (name, first17) in enumerate(PEOPLE, start=2022):
        ids.append(CaseId(town.add_case(name, first17, year=year)))
    town.add_case("赵六", "53342219930404123")
    with town.db.session() as s, s.begin():
        for case_id in ids:
            case = s.get(Case, case_id)
            assert case is not None
            case.status = CaseStatus.ACCEPTED.value
    return ids


def _window(qtbot: QtBot, town: Site, name: str, role: Role) -> Iterator[tuple[MainWindow, ScriptedDialogs]]:
    dialogs = ScriptedDialogs()
    window = MainWindow(town.db, read_catalog_names(), dialogs, show=Printed(), actor=Actor(name, role))
    qtbot.addWidget(window)
    window.show()
    yield window, dialogs


@pytest.fixture
def head(qtbot: QtBot, town: Site) -> Iterator[tuple[MainWindow, ScriptedDialogs]]:
    yield from _window(qtbot, town, "张所长", Role.HEAD)


def test_the_next_case_is_the_next_one_still_waiting() -> None:
    a, b, c, d = (CaseId(i) for i in (1, 2, 3, 4))
    assert next_in_queue([a, b, c], [b, c], a) == b  # a was reviewed: the one after it
    assert next_in_queue([a, b, c], [a, c], b) == c
    assert next_in_queue([a, b, c], [a], c) == a  # at the end: back to the one skipped
    assert next_in_queue([a, b, c], [c], c) is None  # only the one on the screen is left
    assert next_in_queue([a, b], [b, d], c) == b  # a case from outside the queue: the first waiting


def test_the_head_opens_on_his_queue_with_its_count(
    qtbot: QtBot, qtmodeltester, town: Site, waiting: list[CaseId], head: tuple[MainWindow, ScriptedDialogs]
) -> None:
    window, _ = head
    cases = window.cases
    assert cases.model.state.is_queue and cases.status.currentText() == "已受理"
    assert cases.model.rowCount() == 3 and cases.queue_label.text() == "待初审 3 件"
    assert window.tabs.tabText(window.tabs.indexOf(cases)) == "案件（待初审 3）"
    assert not cases.show_queue.isEnabled() and cases.show_all.isEnabled()
    assert cases.selected_case_id() == cases.model.row_at(0).id  # type: ignore[union-attr]  # Enter opens it
    qtmodeltester.check(cases.model)
    click(cases, "查看全部案件")
    assert cases.model.rowCount() == 4 and cases.show_queue.isEnabled()
    assert cases.queue_label.text() == "待初审 3 件"  # the count stays whatever the filter
    click(cases, "只看待初审")
    assert cases.model.rowCount() == 3

    # A clerk logging in after the head sees every case again; the tab no longer counts the queue.
    add_account(town.db, "小李", Role.CLERK)
    Modals().run(menu_item(window, "设置", "注销"), answer_login("小李"))
    assert window.actor == Actor("小李", Role.CLERK)
    assert not cases.model.state.is_queue and cases.model.rowCount() == 4
    assert window.tabs.tabText(window.tabs.indexOf(cases)) == "案件"


def test_a_clerks_window_lists_every_case_and_shows_the_count(
    qtbot: QtBot, town: Site, waiting: list[CaseId]
) -> None:
    window, _ = next(_window(qtbot, town, "李经办", Role.CLERK))
    assert not window.cases.model.state.is_queue and window.cases.model.rowCount() == 4
    assert window.cases.queue_label.text() == "待初审 3 件"


def test_the_head_steps_through_the_queue_and_a_skipped_case_comes_round(
    qtbot: QtBot, town: Site, waiting: list[CaseId], head: tuple[MainWindow, ScriptedDialogs]
) -> None:
    window, dialogs = head
    cases = window.cases
    numbers = [cases.model.row_at(r).case_number for r in range(3)]  # type: ignore[union-attr]
    shown: list[str] = []

    def step(dialog: CaseDetailDialog) -> None:
        def number() -> str:
            return next(n for n in numbers if n and n in dialog.header.text())

        shown.append(number())
        click(dialog, "初审通过")
        assert dialog.next_button.isDefault()
        click(dialog, "下一件待初审")
        shown.append(number())  # the second: skipped
        assert not dialog.next_button.isDefault()
        click(dialog, "下一件待初审")
        shown.append(number())
        dialogs.texts = ["缺少在岗证明"]
        click(dialog, "初审不通过")
        assert "初审未通过" in dialog.header.text()
        click(dialog, "下一件待初审")
        shown.append(number())  # back to the skipped one
        # Printing from here prints the case on the screen, not the first one opened.
        receipt = next(a for a in dialog.print_button.menu().actions() if a.text() == "受理回执：打印预览")
        receipt.trigger()
        qtbot.waitUntil(lambda: bool(window.show_pdf().documents), timeout=20_000)  # type: ignore[attr-defined]
        assert not dialog.next_button.isEnabled()
        click(dialog, "关闭")

    Modals().run(lambda: press_enter(cases.table), (CaseDetailDialog, step))  # the first is selected
    assert shown == [numbers[0], numbers[1], numbers[2], numbers[1]]
    [(title, _data)] = window.show_pdf().documents  # type: ignore[attr-defined]
    assert title == f"受理回执_{numbers[1]}"
    assert cases.model.rowCount() == 1 and cases.selected_case_id() is not None  # the skipped one, ready
    assert cases.queue_label.text() == "待初审 1 件"


def test_a_clerk_opening_a_case_has_no_queue_to_step_through(
    qtbot: QtBot, town: Site, waiting: list[CaseId]
) -> None:
    dialog = CaseDetailDialog(
        town.db, waiting[0], Actor("李经办", Role.CLERK), ScriptedDialogs(), lambda _c: None
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.next_button.isVisible() and not dialog.pass_button.isVisible()
