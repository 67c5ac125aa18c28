"""The corrections as a clerk and the office head meet them: buttons of the case detail enabled
from the state table, each asking for its reason, and the scans of the wizard's materials step."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from core.app import corrections, intake
from core.db.models import Case
from tests.corrections.conftest import CLERK, HEAD, TODAY, Town
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.case_detail import CaseDetailDialog
from ui.intake.wizard import PAGE_MATERIALS, IntakeWizard


def detail(qtbot, town: Town, case_id: int, actor=CLERK, dialogs: ScriptedDialogs | None = None):
    dialog = CaseDetailDialog(
        town.db, case_id, actor, dialogs or ScriptedDialogs(), lambda _id: None, today=TODAY
    )
    qtbot.addWidget(dialog)
    return dialog


def shown(dialog: QWidget, widget: QWidget) -> bool:
    return widget.isVisibleTo(dialog)


def menu_enabled(dialog: CaseDetailDialog, label: str) -> bool:
    found = [a for a in dialog.print_button.menu().actions() if a.text().startswith(f"{label}：")]
    assert found, label
    return all(a.isEnabled() for a in found)


def stored_status(town: Town, case_id: int) -> str:
    with town.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        return case.status


def test_a_clerk_withdraws_a_draft_with_a_chosen_reason(qtbot, town: Town) -> None:
    case_id = town.draft(town.person())
    dialogs = ScriptedDialogs(texts=["申请人主动撤回"])
    dialog = detail(qtbot, town, case_id, dialogs=dialogs)
    assert shown(dialog, dialog.withdraw_button) and not shown(dialog, dialog.revert_button)
    dialog.withdraw_button.click()
    assert dialogs.messages[-1][:2] == ("ask", "撤回案件") and "不再计入" in dialogs.messages[-1][2]
    assert stored_status(town, case_id) == "withdrawn"
    header = dialog.header.text()
    assert "已撤回" in header and "撤回原因</b>：申请人主动撤回（李会计，" in header
    # Read-only now: only the 申请表 can be printed, nothing can be done.
    for button in (dialog.withdraw_button, dialog.resume_button, dialog.remove_scan_button):
        assert not shown(dialog, button)
    assert menu_enabled(dialog, "申请表") and not menu_enabled(dialog, "受理回执")
    timeline = [dialog.timeline.item(i).text() for i in range(dialog.timeline.count())]
    assert timeline[-1].endswith("撤回案件：原因：申请人主动撤回；状态：草稿 → 已撤回")


def test_cancelling_the_reason_changes_nothing_and_an_empty_one_is_explained(qtbot, town: Town) -> None:
    case_id = town.draft(town.person())
    dialogs = ScriptedDialogs(texts=[])  # the clerk presses 取消
    dialog = detail(qtbot, town, case_id, dialogs=dialogs)
    dialog.withdraw_button.click()
    assert stored_status(town, case_id) == "draft" and not [m for m in dialogs.messages if m[0] == "error"]
    dialogs.texts.append("  ")
    dialog.withdraw_button.click()
    assert dialogs.messages[-1][:2] == ("error", "不能撤回") and "请填写撤回原因" in dialogs.messages[-1][2]
    assert stored_status(town, case_id) == "draft"


def test_only_the_office_head_sees_and_uses_the_revert(qtbot, town: Town) -> None:
    case_id = town.reviewed(town.person(), passed=False, note="缺少劳动合同原件")
    clerk = detail(qtbot, town, case_id)
    assert not shown(clerk, clerk.revert_button) and menu_enabled(clerk, "初审不通过告知书")
    assert "初审意见（不通过）</b>：缺少劳动合同原件（赵所长，2022-03-01）" in clerk.header.text()
    dialogs = ScriptedDialogs(texts=["原件已补看"])
    head = detail(qtbot, town, case_id, HEAD, dialogs)
    assert shown(head, head.revert_button)
    head.revert_button.click()
    assert stored_status(town, case_id) == "accepted"
    assert "所长撤销初审的原因</b>：原件已补看（赵所长，" in head.header.text()
    assert not shown(head, head.revert_button) and shown(head, head.pass_button)
    assert not menu_enabled(head, "初审不通过告知书")


def test_the_refusal_notice_is_offered_for_a_refused_draft_only(qtbot, town: Town) -> None:
    refused = town.refused(town.person("张建国", "61032819850203001", poor=False))
    eligible = town.draft(town.person())
    assert menu_enabled(detail(qtbot, town, refused), "不予受理告知书")
    assert not menu_enabled(detail(qtbot, town, eligible), "不予受理告知书")


def test_a_scan_is_removed_from_the_detail_with_its_reason(qtbot, town: Town) -> None:
    case_id = town.draft(town.person())
    for name in ("身份证.png", "别人的身份证.png"):
        intake.attach_scan(
            town.db,
            CLERK,
            case_id=case_id,
            material_id="id_card_copy",
            path=town.scan(name, "red" if "别人" in name else "white"),
        )
    dialogs = ScriptedDialogs(texts=["不是本案的材料"])
    dialog = detail(qtbot, town, case_id, dialogs=dialogs)
    assert dialog.files.count() == 2 and "本人身份证复印件" in dialog.files.item(1).text()
    assert not dialog.remove_scan_button.isEnabled()  # nothing chosen yet
    dialog.files.setCurrentRow(1)
    assert dialog.remove_scan_button.isEnabled()
    dialog.remove_scan_button.click()
    assert dialog.files.count() == 1 and dialog.files.item(0).text().startswith("身份证.png")
    assert [s.filename for s in corrections.case_scans(town.db, case_id=case_id)] == ["身份证.png"]
    assert dialogs.messages[-1][:2] == ("ask", "删除扫描件") and "别人的身份证.png" in dialogs.messages[-1][2]


def test_the_materials_step_lists_the_scans_of_the_current_material_and_removes_one(
    qtbot, town: Town
) -> None:
    person = town.person()
    case_id = town.draft(person)
    contract = town.scan("劳动合同.png", "blue")
    intake.attach_scan(town.db, CLERK, case_id=case_id, material_id="labour_contract", path=contract)
    intake.attach_scan(
        town.db, CLERK, case_id=case_id, material_id="id_card_copy", path=town.scan("身份证.png")
    )
    dialogs = ScriptedDialogs(texts=["扫错文件"])
    wizard = IntakeWizard(town.db, dialogs, CLERK, "qianyang-2021", "水沟镇", today=TODAY)
    qtbot.addWidget(wizard)
    wizard.resume(case_id)
    wizard.show()
    while wizard.currentId() != PAGE_MATERIALS:
        wizard.next()
    page = wizard.materials
    rows = {line.material_id: r for r, line in enumerate(page.lines)}
    page.table.setCurrentCell(rows["labour_contract"], 2)
    assert [page.scans.item(i).text().split("　")[0] for i in range(page.scans.count())] == ["劳动合同.png"]
    assert "劳动合同" in page.scans_label.text()
    page.table.setCurrentCell(rows["id_card_copy"], 2)
    assert [page.scans.item(i).text().split("　")[0] for i in range(page.scans.count())] == ["身份证.png"]
    assert page.remove_button.isEnabled()
    page.remove_button.click()
    assert page.scans.count() == 0 and not page.remove_button.isEnabled()
    assert page.table.item(rows["id_card_copy"], 5).text() == ""
    assert page.table.item(rows["labour_contract"], 5).text() == "1 个"
    assert "已删除：身份证.png" in page.note.text()
    assert [s.filename for s in corrections.case_scans(town.db, case_id=case_id)] == ["劳动合同.png"]
