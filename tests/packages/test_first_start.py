"""The first start as a clerk or a county officer meets it: this PC's use first, then the first
管理员 (with the recovery code shown once), then the office with its 上报代码 (a town) or the county's name (the county). The code is
editable in the settings; a bad one is refused at its own field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.actor import Actor, PermissionDenied, Role, Station
from core.app import office as office_ops
from core.app.catalogs import CatalogChoices
from core.db import Database
from core.db.models import AuditEvent
from core.errors import InvalidInput, ValidationError
from core.operator import load_station
from core.packages.identity import COUNTY_NAME, check_township_code
from core.packages.models import PackageSetting
from core.settings_types import OfficeInput
from tests.logins import PASSWORD
from tests.packages.conftest import Site
from tests.test_gui import type_text
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.export_batch import ExportBatchDialog
from ui.dialogs.login import FirstAdminDialog, RecoveryCodeDialog
from ui.dialogs.office import OfficeDialog
from ui.dialogs.station import CountyDialog, StationDialog
from ui.main_window import MainWindow

Fill = Callable[[OfficeDialog], None]
ADMIN = Actor("李经办", (Role.CLERK, Role.HEAD, Role.ADMIN))


class Screens:
    """Stands in for the person at the keyboard: answers each first-start dialog, records the order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, station: Station = Station.TOWN) -> None:
        self.shown: list[str] = []
        self.codes: list[str] = []
        self.office_errors: list[str] = []
        self.station = station
        self.office_fills: list[Fill] = [_fill_office("533422101")]
        screens = self

        def station_exec(dialog: StationDialog) -> int:
            screens.shown.append("station")
            dialog.options[screens.station].setChecked(True)
            dialog.try_save()
            return dialog.result()

        def admin_exec(dialog: FirstAdminDialog) -> int:
            screens.shown.append("first_admin")
            dialog.name.setText("李经办")
            dialog.password.setText(PASSWORD)
            dialog.again.setText(PASSWORD)
            dialog.try_create()
            return dialog.result()

        def code_exec(dialog: RecoveryCodeDialog) -> int:
            screens.shown.append("recovery_code")
            screens.codes.append(dialog.code.text())
            dialog.kept.setChecked(True)
            dialog.accept()
            return dialog.result()

        def office_exec(dialog: OfficeDialog) -> int:
            screens.shown.append("office")
            for fill in screens.office_fills:
                fill(dialog)
                dialog.try_save()
                if dialog.result():
                    break
                screens.office_errors.append(dialog.error_labels["上报代码"].text())
            return dialog.result()

        def county_exec(dialog: CountyDialog) -> int:
            screens.shown.append("county")
            type_text(dialog.name, "德钦县劳动就业管理局")
            dialog.try_save()
            return dialog.result()

        monkeypatch.setattr(StationDialog, "exec", station_exec)
        monkeypatch.setattr(FirstAdminDialog, "exec", admin_exec)
        monkeypatch.setattr(RecoveryCodeDialog, "exec", code_exec)
        monkeypatch.setattr(OfficeDialog, "exec", office_exec)
        monkeypatch.setattr(CountyDialog, "exec", county_exec)


def _fill_office(code: str) -> Fill:
    def fill(dialog: OfficeDialog) -> None:
        for field, text in (
            (dialog.county_code, "533422"),
            (dialog.town, "升平镇"),
            (dialog.name, "升平镇劳动保障事务所"),
        ):
            field.clear()
            type_text(field, text)
        dialog.code.clear()
        type_text(dialog.code, code)

    return fill


def _window(
    qtbot: QtBot, db: Database, dialogs: ScriptedDialogs | None = None, actor: Actor | None = None
) -> MainWindow:
    window = MainWindow(db, CatalogChoices(), dialogs or ScriptedDialogs(), actor=actor)
    qtbot.addWidget(window)
    return window


def test_a_town_pc_is_asked_its_use_then_the_first_admin_then_the_office_with_its_code(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    screens = Screens(monkeypatch)
    screens.office_fills = [_fill_office("53342210"), _fill_office("533422101")]
    _window(qtbot, db).ask_office_if_missing()
    assert screens.shown == ["station", "first_admin", "recovery_code", "office"]
    assert len(screens.codes[0]) == 23
    assert len(screens.office_errors) == 1  # the first, 8-digit code was refused at its field
    assert "9位数字" in screens.office_errors[0]
    assert office_ops.office_code(db) == "533422101"
    assert load_station(db.path.parent) == Station.TOWN and office_ops.station_chosen(db.path.parent)

    screens.shown.clear()
    _window(qtbot, db).ask_office_if_missing()  # the next start asks nothing
    assert screens.shown == []


def test_a_county_pc_is_asked_the_countys_name_and_never_the_towns_office(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    screens = Screens(monkeypatch, Station.COUNTY)
    window = _window(qtbot, db)
    window.ask_office_if_missing()
    assert screens.shown == ["station", "first_admin", "recovery_code", "county"]
    assert window.actor == Actor("李经办", Role.ADMIN, Station.COUNTY)
    assert office_ops.county_name(db) == "德钦县劳动就业管理局"
    assert window.county_menu.menuAction().isVisible() and not window.report_menu.menuAction().isVisible()
    assert window.office_action.text().startswith("县局设置")
    assert window.office_label.text() == "德钦县劳动就业管理局" and "德钦县" in window.windowTitle()

    screens.shown.clear()
    again = _window(qtbot, db, actor=window.actor)
    again.ask_office_if_missing()
    assert screens.shown == []  # no office row, yet no town office dialog: this PC is the county's
    again.edit_office()  # 设置 → 县局设置
    assert screens.shown == ["county"]


def test_an_office_set_up_before_the_question_existed_is_not_asked_its_use(
    qtbot: QtBot, town: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    screens = Screens(monkeypatch)
    assert not office_ops.station_chosen(town.data_dir)
    _window(qtbot, town.db, actor=town.actor).ask_office_if_missing()
    assert screens.shown == []


def test_the_code_is_edited_in_the_settings_and_a_bad_one_is_refused_at_its_field(
    qtbot: QtBot, town: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    screens = Screens(monkeypatch)
    seen: list[str] = []

    def check_prefilled(dialog: OfficeDialog) -> None:
        seen.append(dialog.code.text())
        dialog.code.clear()
        type_text(dialog.code, "５３３４２２１０")  # full-width digits, one short

    def fix(dialog: OfficeDialog) -> None:
        dialog.code.clear()
        type_text(dialog.code, "５３３４２２１０２")

    screens.office_fills = [check_prefilled, fix]
    _window(qtbot, town.db, actor=town.actor).edit_office()
    assert seen == ["533422101"]
    assert len(screens.office_errors) == 1 and "9位数字" in screens.office_errors[0]
    assert office_ops.office_code(town.db) == "533422102"
    with town.db.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity_key == "office_code")).all()[-1]
    assert event.changes == {"value": ["533422101", "533422102"]} and event.actor == "李经办"


def test_a_code_stored_before_the_nine_digit_rule_is_kept(town: Site) -> None:
    with town.db.session() as s, s.begin():
        row = s.get(PackageSetting, "office_code")
        assert row is not None
        row.value = "SPZ0001"
    data = OfficeInput("533422", "升平镇", "升平镇劳动保障事务所", phone="0887-8412345")
    office_ops.save_office_setup(town.db, town.actor, data=data, reporting_code="SPZ0001")
    assert office_ops.office_code(town.db) == "SPZ0001"
    with pytest.raises(InvalidInput) as info:
        office_ops.save_office_setup(town.db, town.actor, data=data, reporting_code="SPZ0002")
    assert info.value.codes == ["OFFICE_CODE_FORMAT"] and info.value.errors[0].field == "上报代码"


def test_every_field_error_comes_at_once_and_nothing_is_saved(db: Database) -> None:
    with pytest.raises(InvalidInput) as info:
        office_ops.save_office_setup(
            db, ADMIN, data=OfficeInput("5334", "", "升平镇劳动保障事务所"), reporting_code=""
        )
    assert info.value.codes == ["COUNTY_CODE", "TOWN_EMPTY", "OFFICE_CODE_EMPTY"]
    assert office_ops.load_office(db) is None and office_ops.office_code(db) is None


def test_the_township_code_rules() -> None:
    assert check_township_code(" 533422101 ") == "533422101"
    assert check_township_code("５３３４２２１０１") == "533422101"
    for bad in ("53342210", "5334221011", "53342210A", "533 422 101"):
        with pytest.raises(ValidationError) as info:
            check_township_code(bad)
        assert info.value.code == "OFFICE_CODE_FORMAT" and info.value.field == "上报代码"
        assert "9位数字" in info.value.message_zh


def test_the_county_name_is_the_countys_and_read_without_the_orm(db: Database, data_dir: Path) -> None:
    assert office_ops.COUNTY_NAME == COUNTY_NAME
    county = Actor("王审核", Role.ADMIN, Station.COUNTY)
    with pytest.raises(InvalidInput) as info:
        office_ops.save_county_name(db, county, name="  ")
    assert info.value.errors[0].field == "县局名称"
    office_ops.save_county_name(db, county, name="德钦县劳动就业管理局")
    assert office_ops.county_name(db) == "德钦县劳动就业管理局"
    with pytest.raises(PermissionDenied) as refused:
        office_ops.save_county_name(db, ADMIN, name="德钦县劳动就业管理局")
    assert refused.value.code == "STATION_REQUIRED"


def test_export_without_a_code_says_so_and_offers_the_settings(qtbot: QtBot, db: Database) -> None:
    office_ops.save_office(db, ADMIN, data=OfficeInput("533422", "升平镇", "升平镇劳动保障事务所"))
    opened: list[bool] = []
    dialogs = ScriptedDialogs(answers=[True])
    dialog = ExportBatchDialog(db, ADMIN, dialogs, open_settings=lambda: opened.append(True))
    qtbot.addWidget(dialog)
    assert dialog.code_warning.isVisibleTo(dialog) and "上报代码" in dialog.code_warning.text()
    assert dialog.start() is None
    kind, _title, text = dialogs.messages[0]
    assert kind == "confirm" and "上报代码" in text and "设置 → 事务所设置" in text
    assert opened == [True]
