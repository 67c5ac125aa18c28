"""不予受理告知书 and 初审不通过告知书 of real cases, read back from the PDF with pypdf."""

from __future__ import annotations

import datetime as dt

import pytest

from core.app import cases, corrections, review
from core.app.reports import prepare_case_document
from core.cases.states import CaseAction
from core.printing.errors import PrintingError
from main import main
from tests.corrections.conftest import CLERK, HEAD, Town
from tests.printing.conftest import pdf_pages, pdf_text

PRINTED = dt.date(2022, 3, 2)


def text_of(town: Town, kind: str, case_id: int) -> str:
    document = prepare_case_document(town.db, kind=kind, case_id=case_id, today=PRINTED)
    return pdf_text(document.render())


def test_the_refusal_names_every_failed_rule_with_its_clause(town: Town) -> None:
    person = town.person("张建国", "61032819850203001", poor=False)
    case_id = town.refused(person)
    document = prepare_case_document(town.db, kind="refusal", case_id=case_id, today=PRINTED)
    assert document.title == "不予受理告知书" and document.file_name == f"不予受理告知书_案件{case_id}.pdf"
    pages = pdf_pages(document.render())
    assert len(pages) == 1
    text = "".join(pages[0].split())  # the table wraps its cells: compare without line breaks
    assert "千阳县水沟镇劳动保障事务所" in text and "不予受理告知书" in text
    assert "张建国" in text and "身份证号" in text
    assert "一次性求职补贴" in text and "2022年3月1日" in text and "不予受理" in text
    assert "千人社发〔2021〕141号" in text
    # The three unmet conditions, each with its clause where the catalog names one.
    assert "申请人不属于文件规定的人员类别" in text
    assert (
        "不符合：实现转移就业（离开户籍所在县（区）就业）。" in text
        and "不符合：劳动合同（就业协议、就业证明）期限不低于1年。" in text
    )
    assert text.count("条款二(一)1") == 2 and "“补贴对象：实现转移就业的脱贫劳动力”" in text
    assert "共3项" in text
    # Office, date, signature and seal lines, and where to turn.
    assert "2022年3月2日" in text and "告知人（经办人）签字" in text and "申请人签收" in text
    assert "（盖章）" in text and "0917-4212345" in text and "县劳动就业管理局" in text
    assert "可以重新提出申请" in text
    for word in ("not_eligible", "fail", "job_seeking", "labourer", "None"):
        assert word not in text


def test_the_full_id_number_is_not_printed(town: Town) -> None:
    from tests.corrections.conftest import number

    person = town.person("张建国", "61032819850203001", poor=False)
    text = text_of(town, "refusal", town.refused(person))
    full = number("61032819850203001")
    assert full not in text and f"{full[:6]}********{full[14:]}" in text


def test_a_refusal_is_printed_only_for_a_case_assessed_not_eligible(town: Town) -> None:
    eligible = town.draft(town.person())
    with pytest.raises(PrintingError) as info:
        prepare_case_document(town.db, kind="refusal", case_id=eligible)
    assert info.value.code == "PRINT_NOT_REFUSED"
    assert CaseAction.PRINT_REFUSAL not in cases.case_view(town.db, CLERK, case_id=eligible).actions
    accepted = town.accepted(town.person("李国强", "61032819880517003"))
    with pytest.raises(PrintingError) as info:
        prepare_case_document(town.db, kind="refusal", case_id=accepted)
    assert info.value.code == "PRINT_NOT_REFUSED" and "已经受理" in info.value.message_zh


def test_a_refused_case_withdrawn_can_have_its_refusal_printed_again(town: Town) -> None:
    case_id = town.refused(town.person("张建国", "61032819850203001", poor=False))
    assert CaseAction.PRINT_REFUSAL in cases.case_view(town.db, CLERK, case_id=case_id).actions
    corrections.withdraw_case(town.db, CLERK, case_id=case_id, reason="不符合条件，不予受理")
    view = cases.case_view(town.db, CLERK, case_id=case_id)
    assert view.actions == {CaseAction.PRINT_FORM, CaseAction.PRINT_REFUSAL}
    assert "申请人不属于文件规定的人员类别" in text_of(town, "refusal", case_id)


def test_the_failed_review_notice_gives_the_heads_reason_and_what_to_do(town: Town) -> None:
    case_id = town.reviewed(
        town.person(), passed=False, note="劳动合同未加盖用人单位公章，请补正后重新提交。"
    )
    assert CaseAction.PRINT_REVIEW_FAILED in cases.case_view(town.db, CLERK, case_id=case_id).actions
    document = prepare_case_document(town.db, kind="review_failed", case_id=case_id, today=PRINTED)
    assert document.file_name == "初审不通过告知书_2022-000001.pdf"
    pages = pdf_pages(document.render())
    assert len(pages) == 1
    text = "".join(pages[0].split())
    assert "初审不通过告知书" in text and "千阳县水沟镇劳动保障事务所" in text
    assert "王秀兰" in text and "一次性求职补贴" in text and "2022-000001" in text
    assert "劳动合同未加盖用人单位公章，请补正后重新提交。" in text
    assert "补正后重新提交：请按上述意见补正材料" in text and "本所将重新初审" in text
    assert "初审人：赵所长" in text and "2022年3月1日" in text and "2022年3月2日" in text
    assert "（盖章）" in text and "申请人签收" in text and "0917-4212345" in text
    for word in ("review_failed", "None", "reviewer"):
        assert word not in text


def test_the_failed_review_notice_is_refused_once_the_review_is_reverted(town: Town) -> None:
    case_id = town.reviewed(town.person(), passed=False, note="缺少劳动合同原件")
    review.revert_review(town.db, HEAD, case_id=case_id, reason="原件已补看")
    with pytest.raises(PrintingError) as info:
        prepare_case_document(town.db, kind="review_failed", case_id=case_id)
    assert info.value.code == "PRINT_NOT_REVIEW_FAILED"
    passed = town.reviewed(town.person("李国强", "61032819880517003"), passed=True)
    with pytest.raises(PrintingError):
        prepare_case_document(town.db, kind="review_failed", case_id=passed)


def test_the_command_line_prints_both_notices(town: Town, tmp_path, capsys) -> None:
    refused = town.refused(town.person("张建国", "61032819850203001", poor=False))
    failed = town.reviewed(town.person(), passed=False, note="缺少劳动合同原件")
    folder = str(town.data_dir)
    for kind, ref, words in (("refusal", str(refused), "不予受理"), ("review-failed", "2022-000001", "缺少")):
        target = tmp_path / f"{kind}.pdf"
        assert main(["--data-dir", folder, "print", kind, ref, "-o", str(target)]) == 0
        assert words in pdf_text(target.read_bytes())
    assert failed
    bad = tmp_path / "bad.pdf"
    assert main(["--data-dir", folder, "print", "refusal", "2022-000001", "-o", str(bad)]) == 2
    assert "不能打印不予受理告知书" in capsys.readouterr().err and not bad.exists()


def test_the_command_line_offers_every_case_document() -> None:
    from cli.printing import DOCUMENTS
    from core.printing.service import CASE_DOCUMENTS

    assert dict(DOCUMENTS) == CASE_DOCUMENTS
