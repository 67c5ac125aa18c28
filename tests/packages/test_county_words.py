"""Every label, button, title, tab and cell of the county's case view and decision forms is in
Chinese: no Latin word but PDF, Excel, QR, USB, ID and the data's own values (codes, file names);
the case's UUID only in its small 案件标识 line."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from core.actor import Actor, Role, Station
from core.app import county as ops
from core.packages.keys import public_pem
from core.packages.registry import register_office_key
from tests.packages.conftest import Site, make_town
from tests.packages.county_cases import export_and_import, organisation_case, person_case
from ui.county.case_view import CountyCaseDialog
from ui.county.forms import FORMS
from ui.dialog_service import ScriptedDialogs

OFFICER = Actor("县局审核员", (Role.REVIEWER, Role.FINANCE, Role.ADMIN), Station.COUNTY)
ALLOWED = {"PDF", "Excel", "QR", "USB", "ID"}
DATA = ("劳动合同.png", "身份证复印件.pdf", "91610328383149506Q")  # the data's own values
MNEMONIC = re.compile(r"\(&.\)")
TAG = re.compile(r"<[^>]+>")
# Two letters or more: a single one stands for a number in the catalogs' readings (第N个月, 不超过X).
WORD = re.compile(r"[A-Za-z]{2,}")


def texts(root: QWidget) -> list[str]:
    """What a person can read on `root` and its children."""
    out = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        out.append(w.toolTip())
        if isinstance(w, QLabel):
            out.append(TAG.sub("", w.text()))
        if isinstance(w, QAbstractButton):
            out.append(MNEMONIC.sub("", w.text()))
        if isinstance(w, QGroupBox):
            out.append(w.title())
        if isinstance(w, QTabWidget):
            out += [MNEMONIC.sub("", w.tabText(i)) for i in range(w.count())]
        if isinstance(w, QTableWidget):
            out += [w.horizontalHeaderItem(c).text() for c in range(w.columnCount())]
            out += [w.item(r, c).text() for r in range(w.rowCount()) for c in range(w.columnCount())]
        if isinstance(w, QListWidget):
            out += [w.item(i).text() for i in range(w.count())]
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QLineEdit | QPlainTextEdit):
            out.append(w.placeholderText())
    return [t for t in out if t]


def latin_words(root: QWidget, uuid: str) -> set[str]:
    found = set()
    for text in texts(root):
        if uuid in text:
            assert text == f"案件标识：{uuid}", text
            continue
        for value in DATA:
            text = text.replace(value, "")
        found |= set(WORD.findall(text)) - ALLOWED
    return found


def test_the_case_view_and_the_forms_speak_chinese(
    qtbot: QtBot, tmp_path: Path, town: Site, county: Site, usb: Path
) -> None:
    other = make_town(tmp_path, "533422102", "奔子栏镇")
    try:
        with county.db.session() as s, s.begin():
            register_office_key(
                s, other.code, other.public_key_file(), "county-admin", "奔子栏镇劳动保障事务所"
            )
        other.keys.set_county_public(public_pem(county.keys.county_key().public_key()))
        person_case(town, tmp_path / "a")
        organisation_case(town)
        uuids = export_and_import(town, county, usb)
        person_case(other, tmp_path / "b")
        duplicate = export_and_import(other, county, usb)["王秀兰"]
    finally:
        other.db.close()
    person, agency = uuids["王秀兰"], uuids["千阳县顺达人力资源服务有限公司"]
    dialogs = ScriptedDialogs()
    ops.reveal_numbers(county.db, OFFICER, uuid=person)  # a county history line too
    shown: list[tuple[QWidget, str]] = []
    for uuid in (person, agency):
        dialog = CountyCaseDialog(county.db, dialogs, lambda: OFFICER, uuid)
        qtbot.addWidget(dialog)
        dialog.show()
        shown.append((dialog, uuid))
    dialog = shown[0][0]
    dialog.open_scan(0)
    qtbot.waitUntil(lambda: bool(dialog.scans_opener.viewers), timeout=10000)
    shown.append((dialog.scans_opener.viewers[0], person))

    # Every form, with its red lines showing.
    ops.approve(county.db, OFFICER, uuid=agency)
    for kind, uuid in ((ops.Decision.APPROVE, duplicate), (ops.Decision.REJECT, duplicate),
                       (ops.Decision.PAID, agency), (ops.Decision.CORRECT, agency)):  # fmt: skip
        form = FORMS[kind](county.db, OFFICER, dialogs, ops.county_row(county.db, uuid=uuid), "案件", None)
        qtbot.addWidget(form)
        form.show()
        form.submit()
        shown.append((form, uuid))
    ops.mark_paid(county.db, OFFICER, uuid=agency)
    ops.reject(county.db, OFFICER, uuid=person, reason="材料不全")
    for uuid in (person, agency):  # the corrections of a rejection and of a payment, every page
        form = FORMS[ops.Decision.CORRECT](
            county.db, OFFICER, dialogs, ops.county_row(county.db, uuid=uuid), "", None
        )
        qtbot.addWidget(form)
        form.show()
        for index in range(form.target.count()):
            form.target.setCurrentIndex(index)
            form.submit()
            assert latin_words(form, uuid) == set()
    for widget, uuid in shown:
        assert latin_words(widget, uuid) == set(), widget.windowTitle()
    assert not [m for m in dialogs.messages if m[0] in ("error", "unexpected")]
