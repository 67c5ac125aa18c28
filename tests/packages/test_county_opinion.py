"""The county's word at the town: each imported result says, per case, what the county decided,
for how much, when it paid and why; the case's detail keeps it (县局意见) after the import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core.actor import Actor, Role
from core.app import batches
from core.app import county as ops
from core.app.cases import case_view
from core.app.storage import Database
from core.cases.county_opinion import CountyOpinion
from core.ids import CaseId
from core.packages.county_query import CountyCaseFilter
from tests.packages.conftest import Site
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.case_detail import CaseDetailDialog
from ui.dialogs.results_summary import ResultsSummaryDialog, show_results

NOTE = "按车票金额核定"
REASON = "材料不全：缺少务工单位出具的在岗证明"


@pytest.fixture
def decided(town: Site, county: Site, usb: Path) -> dict[str, CaseId]:
    """张三 approved below his claim with a note, 李四 rejected; nothing paid yet."""
    ids = {"张三": CaseId(town.add_case("张三", "53342219900101123", 50000))}
    ids["李四"] = CaseId(town.add_case("李四", "53342219910202123", 30000))
    path = batches.export_batch(town.db, town.actor, folder=usb).path
    uuids = {c.applicant: c.uuid for c in ops.import_package(county.db, county.actor, path=path).cases}
    ops.approve(county.db, county.actor, uuid=uuids["张三"], amount_fen=45000, note=NOTE)
    ops.reject(county.db, county.actor, uuid=uuids["李四"], reason=REASON)
    return ids


def _results(county: Site, usb: Path, name: str) -> Path:
    folder = usb / name
    folder.mkdir()
    return ops.export_results(county.db, county.actor, office_code="533422101", folder=folder).path


def _opinion(db: Database, case_id: CaseId) -> CountyOpinion | None:
    return case_view(db, Actor("李经办"), case_id=case_id).detail.county


def test_each_case_says_what_the_county_decided_and_why(
    town: Site, county: Site, usb: Path, decided: dict[str, CaseId]
) -> None:
    assert _opinion(town.db, decided["张三"]) is None  # before any result package
    report = batches.import_results(town.db, town.actor, path=_results(county, usb, "first"))
    by_name = {c.applicant: c for c in report.changes}
    approved, rejected = by_name["张三"], by_name["李四"]
    assert (approved.outcome, approved.approved_fen, approved.paid_fen, approved.detail) == (
        "县局审核通过", 45000, None, NOTE,
    )  # fmt: skip
    assert approved.case_id == decided["张三"] and approved.reason_label == "县局核定说明"
    assert (
        approved.text == f"{approved.case_number}　张三：县局审核通过，核定 450.00 元。县局核定说明：{NOTE}"
    )
    assert rejected.text == f"{rejected.case_number}　李四：县局未通过。不予通过理由：{REASON}"

    opinion = _opinion(town.db, decided["张三"])
    assert opinion is not None
    assert (opinion.decision, opinion.approved_fen, opinion.paid_fen, opinion.paid_on) == (
        "县局审核通过", 45000, None, None,
    )  # fmt: skip
    assert (opinion.reason_label, opinion.reason, opinion.package) == ("县局核定说明", NOTE, 1)
    assert opinion.imported_by == "李经办" and opinion.imported_on == dt.date.today()
    refused = _opinion(town.db, decided["李四"])
    assert refused is not None
    assert (refused.decision, refused.reason_label, refused.reason) == ("县局未通过", "不予通过理由", REASON)
    assert refused.approved_fen is None


def test_a_later_payment_adds_to_the_approval(
    town: Site, county: Site, usb: Path, decided: dict[str, CaseId]
) -> None:
    batches.import_results(town.db, town.actor, path=_results(county, usb, "first"))
    uuid = next(
        r.uuid
        for r in ops.all_county_rows(county.db, filter=CountyCaseFilter())
        if r.applicant_name == "张三"
    )
    ops.mark_paid(county.db, county.actor, uuid=uuid, paid_on=dt.date(2024, 6, 1))
    report = batches.import_results(town.db, town.actor, path=_results(county, usb, "second"))
    paid = next(c for c in report.changes if c.applicant == "张三")
    assert paid.outcome == "已拨付" and paid.amounts == "核定 450.00 元，拨付 450.00 元（2024-06-01）"
    unchanged = next(c for c in report.changes if c.applicant == "李四")
    assert unchanged.outcome == "没有变化" and unchanged.text.endswith("李四：没有变化")
    opinion = _opinion(town.db, decided["张三"])
    assert opinion is not None
    assert (opinion.decision, opinion.approved_fen, opinion.paid_fen, opinion.paid_on) == (
        "已拨付", 45000, 45000, dt.date(2024, 6, 1),
    )  # fmt: skip
    assert opinion.reason == NOTE and opinion.package == 2


def test_the_results_table_and_the_case_detail_show_it(
    qtbot: QtBot, town: Site, county: Site, usb: Path, decided: dict[str, CaseId]
) -> None:
    report = batches.import_results(town.db, town.actor, path=_results(county, usb, "first"))
    opened: list[CaseId] = []
    dialog = show_results(None, ScriptedDialogs(), report, opened.append)
    assert isinstance(dialog, ResultsSummaryDialog)
    qtbot.addWidget(dialog)
    cells = {
        dialog.table.item(r, 1).text(): [dialog.table.item(r, c).text() for c in range(2, 7)]
        for r in range(dialog.table.rowCount())
    }
    assert cells == {
        "张三": ["县局审核通过", "450.00", "", "", f"县局核定说明：{NOTE}"],
        "李四": ["县局未通过", "", "", "", f"不予通过理由：{REASON}"],
    }
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == "李四")
    dialog.open_row(row)
    assert opened == [decided["李四"]]

    detail = CaseDetailDialog(town.db, decided["李四"], Actor("李经办"), ScriptedDialogs(), lambda _c: None)
    qtbot.addWidget(detail)
    detail.show()
    assert detail.county_box.isVisible() and detail.county_box.title() == "县局意见"
    assert "县局决定：<b>县局未通过</b>" in detail.county.text()
    assert f"不予通过理由：{REASON}" in detail.county.text() and "县局结果包第1号" in detail.county.text()
    before = CaseDetailDialog(town.db, decided["张三"], Actor("张所长", Role.HEAD), ScriptedDialogs(), print)
    qtbot.addWidget(before)
    before.show()
    assert "核定金额：450.00 元" in before.county.text() and NOTE in before.county.text()


def test_a_refused_or_repeated_package_is_told_in_one_box(
    qtbot: QtBot, town: Site, county: Site, usb: Path, decided: dict[str, CaseId]
) -> None:
    path = _results(county, usb, "first")
    batches.import_results(town.db, town.actor, path=path)
    again = batches.import_results(town.db, town.actor, path=path)
    dialogs = ScriptedDialogs()
    assert show_results(None, dialogs, again, print) is None
    assert dialogs.messages == [("info", "导入县局结果", "这个结果包已经导入过，没有改变任何数据。")]
