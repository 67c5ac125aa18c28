"""The whole cycle's first part: both first starts and the exchange of keys, from the screens."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from core.actor import Station
from tests.cycle.desk import CODE, Desk, first_admin
from tests.cycle.screens import Modals, click, menu_item, type_text
from tests.printing.conftest import pdf_text
from ui.county.view import CountyWindow
from ui.dialogs.keys_county import CountyKeyDialog, OfficeRegistryDialog, RegisterOfficeKeyDialog
from ui.dialogs.keys_town import CountyKeyImportDialog, OfficeKeyDialog
from ui.dialogs.office import OfficeDialog
from ui.dialogs.station import CountyDialog, StationDialog


# The town's first start and its key
def first_start_town(town: Desk, modals: Modals) -> None:
    def station(dialog: StationDialog) -> None:
        dialog.options[Station.TOWN].click()
        click(dialog, "确定")

    def office(dialog: OfficeDialog) -> None:
        for field, text in (
            (dialog.county_code, "533422"),
            (dialog.town, "升平镇"),
            (dialog.name, "升平镇劳动保障事务所"),
            (dialog.phone, "0887-8412345"),
            (dialog.code, CODE),
        ):
            type_text(field, text)
        dialog.catalog.setCurrentIndex(dialog.catalog.findData("deqin-2021"))
        click(dialog, "保存")

    codes: list[str] = []
    modals.run(
        town.window.ask_office_if_missing,  # what the program does once its window is up
        (StationDialog, station),
        *first_admin("周管理", codes),
        (OfficeDialog, office),
    )
    assert town.window.report_menu.menuAction().isVisible()
    assert town.window.office_label.text().startswith("升平镇劳动保障事务所")
    assert town.window.operator_label.text() == "操作人：周管理（管理员）"
    assert len(codes) == 1 and len(codes[0]) == 23


def town_key(qtbot: QtBot, town: Desk, modals: Modals, stick: Path) -> str:
    """上报 → 本所密钥: the slip printed for the head to sign, the public key file to the stick."""
    seen: list[str] = []

    def keys(dialog: OfficeKeyDialog) -> None:
        seen.append(dialog.fingerprint.text())
        click(dialog, "打印密钥登记表")
        qtbot.waitUntil(lambda: bool(town.printed.documents), timeout=20_000)
        town.dialogs.files.append(str(stick))
        click(dialog, "写出本所公钥文件")
        click(dialog, "关闭")

    modals.run(menu_item(town.window, "上报", "本所密钥"), (OfficeKeyDialog, keys))
    [slip] = town.printed.documents
    assert "密钥登记表" in slip[0]
    text = pdf_text(slip[1])
    assert CODE in text and all(group in text for group in seen[0].split())
    assert (stick / f"本所公钥-{CODE}.pem").is_file()
    return seen[0]


# The county's first start, the town's registration, the county's keys
def first_start_county(county: Desk, modals: Modals) -> None:
    def station(dialog: StationDialog) -> None:
        dialog.options[Station.COUNTY].click()
        click(dialog, "确定")

    def name(dialog: CountyDialog) -> None:
        type_text(dialog.name, "德钦县劳动就业管理局")
        click(dialog, "保存")

    modals.run(
        county.window.ask_office_if_missing,
        (StationDialog, station),
        *first_admin("县管理", []),
        (CountyDialog, name),
    )
    assert isinstance(county.window.county_tab, CountyWindow)
    assert county.window.tabs.currentWidget() is county.window.county_tab
    assert county.window.office_label.text() == "德钦县劳动就业管理局"
    assert county.window.cases.queue_label.isHidden()  # the town's 待初审 is not the county's work


def register_town(county: Desk, modals: Modals, stick: Path, slip_fingerprint: str) -> None:
    """县局 → 站所密钥登记: the town's file read, its fingerprint compared with the signed slip."""

    def register(dialog: RegisterOfficeKeyDialog) -> None:
        county.dialogs.files.append(str(stick / f"本所公钥-{CODE}.pem"))
        click(dialog, "选择站所公钥文件")
        assert dialog.fingerprint.isVisible()
        assert dialog.fingerprint.text() == slip_fingerprint  # what the officer compares, group by group
        assert dialog.code.text() == CODE and dialog.name.text() == "升平镇劳动保障事务所"
        county.dialogs.answers = [True]  # 屏幕上的指纹与密钥登记表一致
        click(dialog, "核对无误，登记")

    def registry(dialog: OfficeRegistryDialog) -> None:
        modals.run(lambda: click(dialog, "登记站所公钥"), (RegisterOfficeKeyDialog, register))
        assert dialog.model.rowCount() == 1
        assert dialog.model.data(dialog.model.index(0, 0)) == CODE
        click(dialog, "关闭")

    modals.run(menu_item(county.window, "县局", "站所密钥登记"), (OfficeRegistryDialog, registry))
    confirm = next(text for kind, _t, text in county.dialogs.messages if kind == "confirm")
    assert slip_fingerprint.replace("\n", " ") in confirm.replace("\n", " ")
    assert "已登记 升平镇劳动保障事务所 的公钥。" in county.said()


def county_keys(qtbot: QtBot, county: Desk, modals: Modals, stick: Path) -> tuple[str, str]:
    """县局 → 县局密钥: the county's slip printed, its two public key files to its stick."""
    seen: list[str] = []

    def keys(dialog: CountyKeyDialog) -> None:
        seen.extend((dialog.signing.text(), dialog.encryption.text()))
        click(dialog, "打印县局密钥公布表")
        qtbot.waitUntil(lambda: bool(county.printed.documents), timeout=20_000)
        county.dialogs.files.append(str(stick))
        click(dialog, "写出县局公钥文件")
        click(dialog, "关闭")

    modals.run(menu_item(county.window, "县局", "县局密钥"), (CountyKeyDialog, keys))
    [(title, data)] = county.printed.documents
    assert "县局密钥公布表" in title and "德钦县劳动就业管理局" in pdf_text(data)
    assert {p.name for p in stick.iterdir()} == {"县局公钥.pem", "县局加密公钥.pem"}
    return seen[0], seen[1]


def import_county_keys(town: Desk, modals: Modals, stick: Path, fingerprints: tuple[str, str]) -> None:
    """上报 → 导入县局公钥: both files, each compared with the county's published slip first."""

    def load(dialog: CountyKeyImportDialog) -> None:
        for name, expected in zip(("县局公钥.pem", "县局加密公钥.pem"), fingerprints, strict=True):
            town.dialogs.files.append(str(stick / name))
            click(dialog, "选择公钥文件")
            assert dialog.fingerprint.text() == expected
            assert "德钦县劳动就业管理局" in dialog.holder.text()
            click(dialog, "核对无误，导入")
        assert len(dialog.imported) == 2
        click(dialog, "关闭")

    modals.run(menu_item(town.window, "上报", "导入县局公钥"), (CountyKeyImportDialog, load))
