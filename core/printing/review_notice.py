"""初审不通过告知书: the town review failed; the office head's reason, and what the applicant can do.

The applicant corrects what the reason names and hands the application in again (补正后重新
提交); the office then reviews it anew.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from core.printing.layout import BLANK_DATE, CONTENT_WIDTH, SHADE, build_pdf, grid, p, plain
from core.printing.sheets import CaseSheet, zh_date

TITLE = "初审不通过告知书"
WHAT_TO_DO = (
    "补正后重新提交：请按上述意见补正材料或更正有关情况，携带本告知书到本所重新提交申请；"
    "本所将重新初审，初审通过后按规定报县级主管部门审核。"
)


def _details(sheet: CaseSheet) -> Any:
    a = sheet.applicant
    w = CONTENT_WIDTH
    rows = [
        [p("申请人", "label"), p(a.name), p(a.id_label, "label"), p(a.masked_id)],
        [p("申请项目", "label"), p(sheet.subsidy_name), "", ""],
        [
            p("受理编号", "label"),
            p(sheet.case_number_text),
            p("初审日期", "label"),
            p(zh_date(sheet.reviewed_on) or "—"),
        ],
        [p("初审意见", "label"), p(sheet.review_note), "", ""],
    ]
    return grid(
        rows,
        [0.16 * w, 0.34 * w, 0.18 * w, 0.32 * w],
        ("SPAN", (1, 1), (3, 1)),
        ("SPAN", (1, 3), (3, 3)),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("BACKGROUND", (2, 0), (2, 0), SHADE),
        ("BACKGROUND", (2, 2), (2, 2), SHADE),
    )


def _body(sheet: CaseSheet) -> list[Any]:
    a = sheet.applicant
    office = sheet.office
    phone = f"（联系电话：{office.phone}）" if office.phone else ""
    return [
        p(f"{a.name}：", "body"),
        Spacer(1, 1 * mm),
        p(
            f"您于{zh_date(sheet.application_date)}申请的“{sheet.subsidy_name}”，本所已于"
            f"{zh_date(sheet.accepted_on) or '此前'}受理。经本所初审，未予通过，意见如下：",
            "indent",
        ),
        Spacer(1, 2 * mm),
        _details(sheet),
        Spacer(1, 3 * mm),
        p("您可以：", "section"),
        p(WHAT_TO_DO, "indent"),
        p(f"如对初审意见有疑问，请到{office.name}咨询{phone}。", "indent"),
    ]


def _signatures(sheet: CaseSheet) -> Any:
    w = CONTENT_WIDTH
    rows = [
        [p(f"初审人：{sheet.reviewed_by or '________'}", "body"), p("申请人签收：", "body")],
        [p(f"日期：{zh_date(sheet.printed_on)}", "body"), p(f"日期：{BLANK_DATE}", "body")],
        [p(f"{sheet.office.name}（盖章）", "body"), ""],
    ]
    return plain(rows, [0.55 * w, 0.45 * w], ("TOPPADDING", (0, 0), (-1, -1), 10))


def render_review_failed(sheet: CaseSheet) -> bytes:
    story: list[Any] = [
        p(sheet.office.name, "office"),
        p(TITLE, "title"),
        p(f"编号：{sheet.case_number_text}", "right"),
        Spacer(1, 3 * mm),
        *_body(sheet),
        Spacer(1, 10 * mm),
        KeepTogether(_signatures(sheet)),
    ]
    footer = f"{sheet.office.name} · {TITLE} · {sheet.case_number_text} · 本告知书一式两份"
    return build_pdf(story, f"{TITLE} {sheet.case_number_text}", footer)
