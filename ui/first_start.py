"""The first start, and the settings that belong to it: what this PC is for, the first 管理员
(with its recovery code), then the office with its 上报代码 (a town) or the county's name (the county).

A county PC is never asked for the town's office again. Functions of the main window, kept
here so that the window holds only its menus and lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.actor import Role, Station
from core.app import office as office_ops

if TYPE_CHECKING:
    from core.settings_types import OfficeInput
    from ui.main_window import MainWindow


def run(window: MainWindow) -> None:
    """Ask, in order, whatever this PC has not been told yet."""
    # An office set up before the station was asked is a town: it is not asked again.
    unasked = office_ops.load_office(window.db) is None and not office_ops.station_chosen(
        window.db.path.parent
    )
    if unasked and not choose_station(window, first_start=True):
        return
    from core.app.accounts import has_accounts

    if not has_accounts(window.db) and not window.create_first_admin():
        return
    if window.actor.station == Station.COUNTY:
        if office_ops.county_name(window.db) is None:
            edit_county(window, first_start=True)
        return
    if office_ops.load_office(window.db) is None:
        edit_town_office(window, first_start=True)


def choose_station(window: MainWindow, first_start: bool = False) -> bool:
    """本机用途: 乡镇劳动保障事务所 or 县劳动就业管理局."""
    from ui.dialogs.station import StationDialog

    def save(station: Station) -> None:
        if first_start and not window.actor.has(Role.ADMIN):  # before the first 管理员 exists
            office_ops.first_station(window.db, station=station)
            window.actor = office_ops.nobody(window.db.path.parent)
        else:
            window.actor = office_ops.change_station(window.db.path.parent, window.actor, station=station)

    dialog = StationDialog(save, window.actor.station, first_start=first_start, parent=window)
    accepted = bool(dialog.exec())
    window.apply_station()
    return accepted


def edit_settings(window: MainWindow) -> bool:
    """设置 → 事务所设置 at a town, 县局设置 at the county."""
    if window.actor.station == Station.COUNTY:
        return edit_county(window, first_start=False)
    return edit_town_office(window, first_start=False)


def edit_town_office(window: MainWindow, first_start: bool) -> bool:
    from ui.dialogs.office import OfficeDialog

    db, catalogs = window.db, window.catalogs

    def save(data: OfficeInput, code: str) -> None:
        office_ops.save_office_setup(db, window.actor, data=data, reporting_code=code)

    office, code = office_ops.load_office(db), office_ops.office_code(db)
    dialog = OfficeDialog(save, catalogs.titles, office, code, first_start=first_start, parent=window)
    accepted = bool(dialog.exec())
    window.refresh_office()
    window.refresh_filters()
    return accepted


def edit_county(window: MainWindow, first_start: bool) -> bool:
    from ui.dialogs.station import CountyDialog

    def save(name: str) -> None:
        office_ops.save_county_name(window.db, window.actor, name=name)

    initial = office_ops.county_name(window.db)
    accepted = bool(CountyDialog(save, initial, first_start=first_start, parent=window).exec())
    window.refresh_office()
    return accepted
