"""不予受理告知书: the office tells the applicant, in writing, why an application is not accepted.

Printed when the stored assessment is 不符合条件: every condition that failed, each with the
clause of the policy document it rests on, the office, the date, signature and seal lines, and
where to turn with questions.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from core.printing.layout import BLANK_DATE, CONTENT_WIDTH, SHADE, build_pdf, grid, p, plain
from core.printing.sheets import CaseSheet, RefusalReason, zh_date

TITLE = "不予受理告知书"


def number_text(sheet: CaseSheet) -> str:
    """A refused case usually has no 受理编号: it is known by its registration number."""
    return sheet.case_number or f"登记序号 {sheet.case_id}"


def document_name(sheet: CaseSheet) -> str:
    name = f"《{sheet.catalog_title}》" if sheet.catalog_title else "政策文件"
    return name + (f"（{sheet.document_number}）" if sheet.document_number else "")


def _basis(reason: RefusalReason) -> str:
    if not reason.section:
        return "—"
    quoted = f"\n“{reason.clause_text}”" if reason.clause_text else ""
    return f"条款 {reason.section}{quoted}"


def _reasons_table(sheet: CaseSheet) -> Any:
    w = CONTENT_WIDTH
    rows: list[list[Any]] = [[p("序号", "label"), p("不符合的条件", "label"), p("政策依据", "label")]]
    for i, reason in enumerate(sheet.refusal_reasons, 1):
        rows.append([p(str(i), "cell_c"), p(reason.message), p(_basis(reason))])
    return grid(rows, [0.09 * w, 0.46 * w, 0.45 * w], ("BACKGROUND", (0, 0), (-1, 0), SHADE), repeat=1)


def _opening(sheet: CaseSheet) -> list[Any]:
    a = sheet.applicant
    body = (
        f"您于{zh_date(sheet.application_date)}向本所申请的“{sheet.subsidy_name}”，经对照"
        f"{document_name(sheet)}审查，不符合该补贴的申请条件，本所决定不予受理。"
        f"不符合的条件及其政策依据如下（共{len(sheet.refusal_reasons)}项）："
    )
    return [
        p(f"{a.name}（{a.id_label}：{a.masked_id}）：", "body"),
        Spacer(1, 1 * mm),
        p(body, "indent"),
        Spacer(1, 3 * mm),
    ]


def _closing(sheet: CaseSheet) -> list[Any]:
    office = sheet.office
    phone = f"（联系电话：{office.phone}）" if office.phone else ""
    return [
        Spacer(1, 3 * mm),
        p("今后情况发生变化、符合上述条件的，可以重新提出申请。", "indent"),
        p(
            f"如对本告知有疑问，请携带本告知书到{office.name}咨询{phone}；"
            "对答复仍有异议的，可以向县劳动就业管理局（县人力资源和社会保障局）反映。",
            "indent",
        ),
    ]


def _signatures(sheet: CaseSheet) -> Any:
    w = CONTENT_WIDTH
    rows = [
        [p("告知人（经办人）签字：", "body"), p("申请人签收：", "body")],
        [p(f"日期：{zh_date(sheet.printed_on)}", "body"), p(f"日期：{BLANK_DATE}", "body")],
        [p(f"{sheet.office.name}（盖章）", "body"), ""],
    ]
    return plain(rows, [0.55 * w, 0.45 * w], ("TOPPADDING", (0, 0), (-1, -1), 10))


def render_refusal(sheet: CaseSheet) -> bytes:
    number = number_text(sheet)
    story: list[Any] = [
        p(sheet.office.name, "office"),
        p(TITLE, "title"),
        p(f"编号：{number}", "right"),
        Spacer(1, 3 * mm),
        *_opening(sheet),
        _reasons_table(sheet),
        *_closing(sheet),
        Spacer(1, 10 * mm),
        KeepTogether(_signatures(sheet)),
    ]
    footer = f"{sheet.office.name} · {TITLE} · {number} · 本告知书一式两份，申请人和本所各执一份"
    return build_pdf(story, f"{TITLE} {number}", footer)
