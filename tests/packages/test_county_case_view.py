"""The county's case view of real imported cases: what the town entered, in the officer's words."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.actor import Actor, Role, Station
from core.app import county as ops
from core.db.models import AuditEvent
from core.packages.county_cards import ScanKind
from core.packages.keys import public_pem
from core.packages.registry import register_office_key
from tests.packages.conftest import Site, make_town
from tests.packages.county_cases import (
    CATALOG,
    PERSON_FACTS,
    export_and_import,
    organisation_case,
    person_case,
)
from ui.county.case_view import CountyCaseDialog
from ui.county.scan_viewer import ImageViewer
from ui.county.view import open_county_window
from ui.dialog_service import ScriptedDialogs

OFFICER = Actor("县局审核员", (Role.REVIEWER, Role.FINANCE, Role.ADMIN), Station.COUNTY)
PERSON, AGENCY = "王秀兰", "千阳县顺达人力资源服务有限公司"


@pytest.fixture
def uuids(tmp_path: Path, town: Site, county: Site, usb: Path) -> dict[str, str]:
    person_case(town, tmp_path / "files")
    organisation_case(town)
    return export_and_import(town, county, usb)


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


def open_view(qtbot: QtBot, county: Site, uuid: str, dialogs: ScriptedDialogs) -> CountyCaseDialog:
    dialog = CountyCaseDialog(county.db, dialogs, lambda: OFFICER, uuid)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def cells(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def tab_titles(dialog: CountyCaseDialog) -> list[str]:
    return [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]


def test_the_view_reads_the_document_in_the_clerks_words(county: Site, uuids) -> None:
    view = ops.case_view(county.db, uuid=uuids[PERSON])
    assert view.title == "王秀兰 — 一次性求职补贴" and view.office == "升平镇劳动保障事务所（533422101）"
    assert view.applicant.number == "610328********1244" and view.applicant.masked
    assert dict((i.label, i.value) for i in view.applicant.items)["收款账号"] == "***************3446"
    facts = {i.label: i.value for i in view.facts}
    assert facts == {
        "实现转移就业日期": "2022-01-10",
        "是否在户籍所在县（区）以外就业": "是",
        "劳动合同（就业协议、就业证明）期限": "12 个月",
        "申请人身份": "脱贫劳动力",  # the choice's label, not its value
    }
    assert not set(PERSON_FACTS) & {v for i in view.facts for v in (i.label, i.value)}
    assert view.assessment.headline == "符合条件，核算金额 500.00 元"
    assert "千人社发〔2021〕141号" in view.assessment.catalog
    clauses = {r.clause for r in view.assessment.rules}
    assert "二(一)1" in clauses and all(
        r.outcome == "符合" or r.outcome == "说明" for r in view.assessment.rules
    )
    contract = next(x for x in view.materials if x.name == "劳动合同")
    assert (contract.received, contract.original, contract.copies, contract.scans) == ("已收到", "原件已核验退回",
                                                                                        "1份", 1)  # fmt: skip
    assert [(s.filename, s.material, s.kind) for s in view.scans] == [
        ("劳动合同.png", "劳动合同", ScanKind.IMAGE), ("身份证复印件.pdf", "本人身份证复印件", ScanKind.PDF)]  # fmt: skip
    history = [h.what for h in view.town_history]
    assert (
        history[0].startswith("建立案件：申请日期：2022-03-01") and "补贴项目：一次性求职补贴" in history[0]
    )
    assert "修改：受理日期：— → 2022-03-01；受理编号：— → 2022-000001；状态：草稿 → 已受理" in history
    assert "附加扫描件：劳动合同.png（劳动合同）" in history
    assert any(h.actor == "赵所长" and "状态：已受理 → 初审通过" in h.what for h in view.town_history)
    assert view.roster == () and view.duplicates == () and view.county_history == ()


def test_the_dialog_shows_applicant_facts_assessment_checklist_and_history(
    qtbot: QtBot, qtmodeltester, county: Site, uuids, dialogs: ScriptedDialogs
) -> None:
    dialog = open_view(qtbot, county, uuids[PERSON], dialogs)
    assert dialog.windowTitle() == "案件详情（县局）：王秀兰 — 一次性求职补贴"
    assert tab_titles(dialog) == ["概况", "申请人", "申请信息", "核对结果", "申请材料",
                                  "扫描件", "办理记录"]  # fmt: skip
    assert dialog.number_label.text() == "610328********1244"
    rules = cells(dialog.rules)
    assert rules[3][:2] == ["符合", "符合：劳动合同（就业协议、就业证明）期限不低于1年。"]
    assert rules[3][2].startswith("二(一)1：脱贫劳动力实现就业")  # the clause's section and its words
    materials = cells(dialog.materials)
    assert materials[0][:5] == ["劳动合同", materials[0][1], "已收到", "原件已核验退回", "1份"]
    assert [r[2] for r in materials].count("已收到") == 4
    history = cells(dialog.history)
    assert history[-1][1:3] == ["站所", "赵所长"] and "初审通过" in history[-1][3]
    for table in (dialog.rules, dialog.materials, dialog.scans, dialog.history):
        qtmodeltester.check(table.model())
    assert dialog.identifier.text() == f"案件标识：{uuids[PERSON]}"
    assert not dialog.decision_buttons[ops.Decision.PAID].isEnabled()
    assert dialog.decision_buttons[ops.Decision.APPROVE].isEnabled()


def test_the_full_id_number_is_shown_on_request_and_audited(
    qtbot: QtBot, county: Site, uuids, dialogs: ScriptedDialogs
) -> None:
    dialog = open_view(qtbot, county, uuids[PERSON], dialogs)
    dialog.reveal_button.click()
    assert dialog.number_label.text() == "610328199001011244"
    assert dialog.applicant_values["收款账号"].text() == "6222020200112233446"
    assert not dialog.reveal_button.isEnabled()
    with county.db.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "reveal")).one()
    assert (event.actor, event.entity_key) == ("县局审核员", uuids[PERSON])
    dialog.refresh()
    assert cells(dialog.history)[-1][1:] == ["县局", "县局审核员", "查看完整证件号和收款账号"]
    assert dialog.number_label.text() == "610328********1244"  # masked again when read afresh


def test_an_image_scan_opens_in_the_viewer_and_zooms(
    qtbot: QtBot, county: Site, uuids, dialogs: ScriptedDialogs
) -> None:
    dialog = open_view(qtbot, county, uuids[PERSON], dialogs)
    assert cells(dialog.scans)[0][:2] == ["劳动合同.png", "劳动合同"]
    dialog.scans.selectRow(0)
    dialog.view_button.click()  # read and decoded on a worker
    qtbot.waitUntil(lambda: bool(dialog.scans_opener.viewers), timeout=10000)
    viewer = dialog.scans_opener.viewers[0]
    qtbot.addWidget(viewer)
    assert isinstance(viewer, ImageViewer) and viewer.windowTitle() == "扫描件：劳动合同.png"
    assert viewer.view.item.pixmap().width() == 1200
    viewer.view.set_zoom(1.0)
    viewer.buttons["放大"].click()
    assert viewer.view.zoom == pytest.approx(1.25) and viewer.zoom_label.text() == "125%"
    viewer.buttons["缩小"].click()
    viewer.buttons["缩小"].click()
    assert viewer.view.zoom == pytest.approx(0.8)
    viewer.buttons["适合窗口"].click()
    shown = viewer.view.mapFromScene(viewer.view.item.boundingRect()).boundingRect()
    assert shown.width() <= viewer.view.viewport().width() + 2
    assert dialogs.messages == []


def test_a_pdf_scan_opens_in_the_system_viewer(
    qtbot: QtBot, county: Site, uuids, dialogs: ScriptedDialogs
) -> None:
    dialog = open_view(qtbot, county, uuids[PERSON], dialogs)
    opened: list[Path] = []
    dialog.scans_opener.system_opener = opened.append
    dialog.scans.selectRow(1)
    dialog.system_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    assert opened[0].name == "身份证复印件.pdf" and opened[0].read_bytes().startswith(b"%PDF")


def test_an_organisation_case_shows_its_roster(qtbot: QtBot, county: Site, uuids, dialogs) -> None:
    dialog = open_view(qtbot, county, uuids[AGENCY], dialogs)
    assert "花名册" in tab_titles(dialog)
    assert cells(dialog.roster) == [
        [
            "1",
            "张国强",
            "610328********3018",
            "脱贫人口",
            "与用人单位或劳务派遣公司签订的劳动合同期限：12 个月",
        ],
        [
            "2",
            "刘桂芳",
            "610328********3029",
            "农民工",
            "与用人单位或劳务派遣公司签订的劳动合同期限：24 个月",
        ],
    ]
    assert dialog.number_label.text() == "91610328383149506Q"  # a credit code is public
    assert dialog.applicant_values["单位类型"].text() == "人力资源服务机构"
    assert dialog.applicant_values["银行账号"].text() == "************0123"


def test_a_suspected_duplicate_shows_the_other_claim_side_by_side(
    qtbot: QtBot, tmp_path: Path, town: Site, county: Site, usb: Path, dialogs: ScriptedDialogs
) -> None:
    other = make_town(tmp_path, "533422102", "奔子栏镇")
    try:
        with county.db.session() as s, s.begin():
            register_office_key(
                s, other.code, other.public_key_file(), "county-admin", "奔子栏镇劳动保障事务所"
            )
        other.keys.set_county_public(public_pem(county.keys.county_key().public_key()))
        person_case(town, tmp_path / "a")
        first = export_and_import(town, county, usb)
        person_case(other, tmp_path / "b")
        second = export_and_import(other, county, usb)
    finally:
        other.db.close()
    dialog = open_view(qtbot, county, first[PERSON], dialogs)
    assert tab_titles(dialog)[-1] == "重复申报"
    (table,) = dialog.duplicate_tables
    assert cells(table) == [
        ["站所", "升平镇劳动保障事务所（533422101）", "奔子栏镇劳动保障事务所（533422102）"],
        ["受理编号", "2022-000001", "2022-000001"],
        ["申请人", "王秀兰", "王秀兰"],
        ["证件号", "610328********1244", "610328********1244"],
        ["补贴项目", "一次性求职补贴", "一次性求职补贴"],
        ["申请金额", "500.00 元", "500.00 元"],
        ["申请日期", "2022-03-01", "2022-03-01"],
        ["状态", "待审核", "待审核"],
    ]
    decided = {i.label: i.value for i in ops.case_view(county.db, uuid=second[PERSON]).decision}
    assert decided["重复申报"].startswith("有1件疑似重复申报待核定")
    assert not dialog.decision_buttons[ops.Decision.APPROVE].isEnabled()  # resolve the duplicate first


def test_the_list_opens_the_case_on_double_click_and_enter(
    qtbot: QtBot, county: Site, uuids, dialogs
) -> None:
    from PySide6.QtCore import Qt

    window = open_county_window(county.db, dialogs, lambda: OFFICER, lambda _c, sid: sid)
    qtbot.addWidget(window)
    window.select_uuid(uuids[AGENCY])
    index = window.table.currentIndex()
    rect = window.table.visualRect(index)
    # As a hand does it: the first click of a double click presses the row (Qt's item views
    # only emit doubleClicked for the index that the press chose).
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.case_dialog is not None and window.case_dialog.uuid == uuids[AGENCY]
    window.case_dialog.close()
    window.select_uuid(uuids[PERSON])
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert window.case_dialog.uuid == uuids[PERSON]
    assert window.case_dialog.tabs.count() == 7 and CATALOG not in window.case_dialog.view.assessment.catalog
