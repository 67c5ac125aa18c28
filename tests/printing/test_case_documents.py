"""申请表, 受理回执 and 一次性告知书 of real cases, read back from the PDF with pypdf."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from core.db.models import Case
from core.printing.data import load_case_sheet
from core.printing.errors import PrintingError
from core.printing.fingerprint import case_content_hash, parse_qr_payload
from core.printing.receipt import grouped
from core.printing.service import render_case_document
from tests.printing.conftest import Printing, pdf_text

TODAY = dt.date(2024, 3, 5)


def render(printing: Printing, kind: str, case_id: int) -> str:
    with printing.db.session() as s:
        return pdf_text(render_case_document(s, kind, case_id, TODAY))


def id_number_of(printing: Printing, case_id: int) -> str:
    with printing.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.person is not None
        return case.person.id_number


def test_receipt_says_accepted_not_approved_with_masked_id(printing: Printing) -> None:
    text = render(printing, "receipt", printing.cases.receipt)
    full = id_number_of(printing, printing.cases.receipt)
    assert "千阳县城关镇劳动保障事务所" in text
    assert "受理回执" in text
    assert "610328-2024-0007" in text
    assert "已受理，待县级审核" in text
    assert f"{full[:6]}********{full[14:]}" in text
    assert full not in text
    assert "跨省就业一次性交通补助" in text
    assert "张会计" in text and "0917-4211234" in text
    for name in ("劳动合同", "交通费票据", "本人身份证复印件", "本人银行卡复印件"):
        assert name in text
    assert "原件已核验并退回" in text and "留存复印件1份" in text


def test_receipt_prints_the_content_hash_of_the_case(printing: Printing) -> None:
    with printing.db.session() as s:
        sheet = load_case_sheet(s, printing.cases.receipt, TODAY)
        case = s.get(Case, printing.cases.receipt)
        assert case is not None and case.person is not None
        expected = case_content_hash(
            case.uuid, case.subsidy_id, case.person.id_number, case.facts, case.amount_fen
        )
    assert sheet.content_hash == expected
    assert parse_qr_payload(sheet.qr_payload) == (sheet.case_uuid, expected)
    assert f"核验码：{grouped(expected)}" in render(printing, "receipt", printing.cases.receipt)


def test_no_receipt_before_the_case_is_accepted(printing: Printing) -> None:
    with printing.db.session() as s, pytest.raises(PrintingError) as err:
        render_case_document(s, "receipt", printing.cases.notice)
    assert err.value.code == "PRINT_NOT_ACCEPTED"


def test_notice_lists_everything_missing_once_with_the_deadline(printing: Printing) -> None:
    text = render(printing, "notice", printing.cases.notice)
    assert "一次性告知书" in text
    assert "李国强" in text
    # Both any-of groups, each with all of its members, and nothing already received.
    assert "就业证明材料" in text and "收款账户" in text
    for member in (
        "劳动合同",
        "就业协议复印件",
        "用人单位出具的就业证明",
        "开通金融功能的社保卡复印件",
        "惠农一折通",
    ):
        assert member in text
    assert text.count("以下任选其一：") == 2
    assert "本人身份证复印件" not in text
    # Employed 2024-02-10, six months: 2024-08-10 is a Saturday, so the Monday after (art. 203).
    assert "2024年8月12日" in text
    assert "0917-4211234" in text
    assert "告知人（经办人）签字" in text and "申请人签收" in text


def test_notice_deadline_set_on_the_case_wins(printing: Printing) -> None:
    with printing.db.session() as s:
        case = s.get(Case, printing.cases.notice)
        assert case is not None
        case.materials_due_on = dt.date(2024, 3, 20)
        s.commit()
    text = render(printing, "notice", printing.cases.notice)
    assert "2024年3月20日" in text
    assert "2024年8月12日" not in text


def test_no_notice_when_nothing_is_missing(printing: Printing) -> None:
    with printing.db.session() as s, pytest.raises(PrintingError) as err:
        render_case_document(s, "notice", printing.cases.receipt)
    assert err.value.code == "PRINT_NOTHING_MISSING"


def test_application_form_has_facts_materials_and_signature_boxes(printing: Printing) -> None:
    text = render(printing, "form", printing.cases.form)
    assert "一次性求职补贴申请表" in text
    assert "千人社发" in text  # the document it rests on
    assert id_number_of(printing, printing.cases.form) in text  # the office's own file: full number
    for label, value in (
        ("实现转移就业日期", "2024年2月10日"),
        ("劳动合同", "12个月"),
        ("申请人身份", "脱贫劳动力"),
    ):
        assert label in text and value in text
    assert "500.00 元" in text
    for name in ("劳动合同", "就业协议复印件", "本人身份证复印件", "惠农一折通"):
        assert name in text
    assert text.count("✓") == 3 + 1  # three ticked boxes, and the "✓" of the instruction
    assert "申请人承诺" in text and "申请人（签字或按手印）" in text
    assert "初审意见" in text and "（事务所盖章）" in text


def test_text_is_set_in_an_embedded_truetype_font(printing: Printing) -> None:
    with printing.db.session() as s:
        data = render_case_document(s, "receipt", printing.cases.receipt, TODAY)
    fonts = [ref.get_object() for ref in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"].values()]
    assert all(font["/Subtype"] != "/Type3" for font in fonts)  # Type 3 text cannot be copied or searched
    cjk = [font for font in fonts if font["/Subtype"] == "/TrueType"]
    assert cjk, [font["/BaseFont"] for font in fonts]
    for font in cjk:
        assert "/ToUnicode" in font
        assert "/FontFile2" in font["/FontDescriptor"]  # embedded, so every PC shows the same


def test_unknown_case_is_a_clear_error(printing: Printing) -> None:
    with printing.db.session() as s, pytest.raises(PrintingError) as err:
        render_case_document(s, "form", 9999)
    assert err.value.code == "PRINT_CASE_NOT_FOUND"
    assert "9999" in err.value.message_zh


def test_hash_changes_when_the_case_content_changes() -> None:
    base = case_content_hash("u-1", "transport_once", "610328198805170011", {"a": 1}, 50000)
    assert len(base) == 12
    assert base == case_content_hash("u-1", "transport_once", "610328198805170011", {"a": 1}, 50000)
    assert base != case_content_hash("u-1", "transport_once", "610328198805170011", {"a": 1}, 50001)
    assert base != case_content_hash("u-1", "transport_once", "610328198805170011", {"a": 2}, 50000)
    assert parse_qr_payload("something else") is None


def test_organisation_details_on_the_form(printing: Printing) -> None:
    from core.db.models import Organisation

    with printing.db.session() as s:
        org = Organisation(
            name="千阳县城关镇社区工厂", uscc="91610328MA6X0000X1", legal_representative="赵六"
        )
        s.add(org)
        s.flush()
        case = s.get(Case, printing.cases.form)
        assert case is not None
        case.person_id, case.organisation_id = None, org.id
        s.flush()
        s.expire(case)
        text = pdf_text(render_case_document(s, "form", case.id, TODAY))
        s.rollback()
    assert "千阳县城关镇社区工厂" in text and "91610328MA6X0000X1" in text and "本单位承诺" in text
