"""The two PCs of the whole-cycle test, the applicants, and the operator dialog's answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ui.dialogs.operator import OperatorDialog

from core.actor import Role
from core.db import Database
from core.identity.id_number import check_character
from tests.cycle.screens import Modals, Printed, click, menu_item, replace_text
from ui.dialog_service import ScriptedDialogs
from ui.main_window import MainWindow

CODE = "533422101"  # 升平镇, 德钦县
TODAY = dt.date.today()  # the windows take today's date, as at the counter
SUBSIDY = "一次性外出务工交通补助"  # 德钦县: no materials beyond the facts, no period end


@dataclass
class Desk:
    """One PC: its window, its data folder, and the answers its person gives to message boxes."""

    window: MainWindow
    dialogs: ScriptedDialogs
    printed: Printed
    db: Database

    def said(self, kind: str = "info") -> list[str]:
        return [text for k, _title, text in self.dialogs.messages if k == kind]


@dataclass(frozen=True)
class Applicant:
    name: str
    first17: str
    village: str
    destination: str  # as the fact form lists it
    cost: str  # 元, as typed

    @property
    def id_number(self) -> str:
        return self.first17 + check_character(self.first17)


WANG = Applicant("王秀兰", "53342219880315102", "阿东村", "省外就业", "680")
ZHAO = Applicant("赵永福", "53342219920708201", "巴美村", "县外省内就业", "450")


def operator(name: str, role: Role) -> Callable[[OperatorDialog], None]:
    def answer(dialog: OperatorDialog) -> None:
        replace_text(dialog.name, name)
        dialog.role.setCurrentIndex(dialog.role.findData(role.value))
        click(dialog, "确定")

    return answer


def switch_operator(desk: Desk, modals: Modals, name: str, role: Role) -> None:
    modals.run(menu_item(desk.window, "设置", "切换操作人"), (OperatorDialog, operator(name, role)))
