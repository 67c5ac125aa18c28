"""The window as a clerk uses it: keyboard only, real database, offscreen."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import text

from core.actor import Actor, Role
from core.app import applicants as applicant_ops
from core.app import office as office_ops
from core.app.catalogs import CatalogChoices
from core.applicants import PersonInput
from core.cases.service import CaseDraft, create_case
from core.identity.id_number import check_character
from core.settings import OfficeInput, save_office
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.office import OfficeDialog
from ui.dialogs.person import PersonDialog
from ui.main_window import MainWindow

CLERK = Actor("李经办")

NUMBER = "61032819900101123" + check_character("61032819900101123")


def type_text(widget: QWidget, text: str) -> None:
    """Type like a keyboard (and an input method) would: one key event per character.

    qtbot.keyClicks cannot send Chinese text; a key event carrying the character can.
    """
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.NoModifier, ch))


def press(widget: QWidget, key: Qt.Key) -> None:
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.NoModifier))


@pytest.fixture
def window(qtbot, db):
    win = MainWindow(db, CatalogChoices(), ScriptedDialogs(), actor=CLERK)
    qtbot.addWidget(win)
    win.show()
    return win


def test_models_pass_qt_model_tester(qtmodeltester, window, db) -> None:
    with db.session() as s, s.begin():
        office = save_office(s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所"), "t")
    applicant_ops.save_person(db, CLERK, person_id=None, data=PersonInput("张三", NUMBER))
    with db.session() as s, s.begin():
        pid = s.execute(text("SELECT id FROM person")).scalar_one()
        create_case(
            s,
            CaseDraft(
                office.id,
                "qianyang-2021",
                "1.0.0",
                "job_seeking_once",
                dt.date(2022, 3, 1),
                person_id=pid,
                amount_fen=50000,
            ),
            "t",
        )
    window.cases.apply_filters()
    window.persons.apply_search()
    qtmodeltester.check(window.case_model)
    qtmodeltester.check(window.person_model)
    assert window.case_model.rowCount() == 1
    assert window.case_model.data(window.case_model.index(0, 7)) == "500.00"


def test_create_applicant_with_keyboard_and_find_it_in_the_list(qtbot, window, db) -> None:
    dialog = PersonDialog(
        lambda data: applicant_ops.save_person(db, CLERK, person_id=None, data=data), parent=window
    )
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name, "王秀兰")
    type_text(dialog.id_number, NUMBER)
    assert "1990-01-01" in dialog.derived.text() and "男" in dialog.derived.text()
    type_text(dialog.village, "柿沟村")
    dialog.category_boxes["poverty_alleviated"].setChecked(True)
    press(dialog.village, Qt.Key_Return)  # Enter saves
    assert dialog.result() == PersonDialog.Accepted
    assert dialog.saved_id is not None

    window.tabs.setCurrentWidget(window.persons)
    window.persons.refresh()
    type_text(window.persons.search, "王秀")
    qtbot.waitUntil(lambda: window.persons.model.text == "王秀", timeout=2000)
    assert window.persons.model.rowCount() == 1
    row = window.persons.model.row_at(0)
    assert row is not None and row.name == "王秀兰" and row.id_number_masked == "610328********" + NUMBER[-4:]
    assert "脱贫人口" in row.categories


def test_bad_id_number_is_explained_live_and_blocks_saving(qtbot, db) -> None:
    dialog = PersonDialog(lambda data: applicant_ops.save_person(db, CLERK, person_id=None, data=data))
    qtbot.addWidget(dialog)
    type_text(dialog.id_number, NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1"))
    assert "校验位" in dialog.error_labels["身份证号"].text()  # said while typing
    dialog.try_save()
    assert dialog.result() != PersonDialog.Accepted
    assert "请填写姓名" in dialog.error_labels["姓名"].text()
    assert "校验位" in dialog.error_labels["身份证号"].text()
    rows = applicant_ops.person_rows(db, text="")
    rows.reload()
    assert rows.total == 0


def test_escape_cancels_without_saving(qtbot, db) -> None:
    dialog = PersonDialog(lambda data: applicant_ops.save_person(db, CLERK, person_id=None, data=data))
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name, "赵六")
    press(dialog.name, Qt.Key_Escape)
    assert dialog.result() == PersonDialog.Rejected
    rows = applicant_ops.person_rows(db, text="")
    rows.reload()
    assert rows.total == 0


def test_office_dialog_saves_and_is_editable_later(qtbot, db) -> None:
    def save(data: OfficeInput, code: str) -> None:
        office_ops.save_office_setup(db, Actor("周管理", Role.ADMIN), data=data, reporting_code=code)

    dialog = OfficeDialog(save, {"qianyang-2021": "千阳"}, first_start=True)
    qtbot.addWidget(dialog)
    type_text(dialog.county_code, "61032")
    type_text(dialog.town, "水沟镇")
    type_text(dialog.name, "水沟镇劳动保障事务所")
    type_text(dialog.code, "610328101")
    dialog.try_save()
    assert "6位数字" in dialog.error_labels["县级行政区划代码"].text()
    assert office_ops.load_office(db) is None
    type_text(dialog.county_code, "8")
    dialog.catalog.setCurrentIndex(1)
    dialog.try_save()
    saved = office_ops.load_office(db)
    assert saved is not None and saved.county_code == "610328" and saved.catalog_id == "qianyang-2021"
    assert office_ops.office_code(db) == "610328101"


def test_case_list_search_filters_as_you_type(qtbot, window, db) -> None:
    with db.session() as s, s.begin():
        office = save_office(s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所"), "t")
    ids = []
    for name, first17 in (("张三", "61032819900101123"), ("李四", "61032819850615002")):
        ids.append(
            applicant_ops.save_person(
                db, CLERK, person_id=None, data=PersonInput(name, first17 + check_character(first17))
            )
        )
    with db.session() as s, s.begin():
        for pid in ids:
            create_case(
                s,
                CaseDraft(
                    office.id,
                    "qianyang-2021",
                    "1.0.0",
                    "job_seeking_once",
                    dt.date(2022, 3, 1),
                    person_id=pid,
                ),
                "t",
            )
    window.cases.apply_filters()
    assert window.case_model.rowCount() == 2
    type_text(window.cases.search, "李")
    qtbot.waitUntil(lambda: window.case_model.rowCount() == 1, timeout=2000)
    assert window.cases.count_label.text() == "共 1 件"


def test_qt_standard_buttons_speak_chinese(qapp) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.app import load_translations

    load_translations(qapp)
    box = QDialogButtonBox(QDialogButtonBox.Yes | QDialogButtonBox.No | QDialogButtonBox.Cancel)
    assert {b.text() for b in box.buttons()} == {"是(&Y)", "否(&N)", "取消"}


def test_county_station_sees_county_work_and_town_sees_its_own(qtbot, db) -> None:
    from core.operator import load_station

    dialogs = ScriptedDialogs(answers=[True, True])
    win = MainWindow(db, CatalogChoices(), dialogs, actor=Actor("周管理", Role.ADMIN))
    qtbot.addWidget(win)
    assert win.actor.station == "town" and win.county_tab is None
    assert win.case_menu.menuAction().isVisible() and not win.county_menu.menuAction().isVisible()
    win.change_station()  # confirmed: this PC becomes the county's
    assert load_station(db.path.parent) == "county"
    assert win.tabs.widget(0) is win.county_tab and win.tabs.tabText(0).startswith("县局审核")
    assert not win.case_menu.menuAction().isVisible() and win.county_menu.menuAction().isVisible()
    win.change_station()
    assert win.county_tab is None and win.case_menu.menuAction().isVisible()
