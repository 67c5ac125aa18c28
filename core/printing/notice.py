"""一次性告知书: everything the applicant still has to bring, told once, with the deadline.

An any-of group is one line ("以下任选其一"); materials already received are not listed.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from core.printing.layout import BLANK_DATE, CONTENT_WIDTH, SHADE, build_pdf, grid, p, plain
from core.printing.sheets import CaseSheet, MissingItem, zh_date


def _item_text(item: MissingItem) -> str:
    if item.options:
        return f"{item.name}\n以下任选其一：" + "；".join(item.options)
    return item.name


def _missing_table(sheet: CaseSheet) -> Any:
    w = CONTENT_WIDTH
    rows: list[list[Any]] = [[p("序号", "label"), p("需补齐的材料", "label"), p("要求", "label")]]
    for i, item in enumerate(sheet.missing, 1):
        demand = item.form_text if not item.options else "提供其中一项即可"
        rows.append([p(str(i), "cell_c"), p(_item_text(item)), p(demand, "cell_c")])
    return grid(rows, [0.09 * w, 0.66 * w, 0.25 * w], ("BACKGROUND", (0, 0), (-1, 0), SHADE), repeat=1)


def _opening(sheet: CaseSheet) -> list[Any]:
    a = sheet.applicant
    who = f"{a.name}（{a.id_label}：{a.masked_id}）："
    body = (
        f"您于{zh_date(sheet.application_date)}向本所申请的“{sheet.subsidy_name}”，经审查，申请材料尚不齐全。"
        f"现将需要补齐的全部材料一次性告知如下（共{len(sheet.missing)}项），请一并补齐，不再另行通知："
    )
    return [p(who, "body"), Spacer(1, 1 * mm), p(body, "indent"), Spacer(1, 3 * mm)]


def _closing(sheet: CaseSheet) -> list[Any]:
    office = sheet.office
    contact = f"联系单位：{office.name}" + (f"　联系电话：{office.phone}" if office.phone else "")
    return [
        Spacer(1, 3 * mm),
        p(f"补齐期限：{sheet.deadline.text}", "body"),
        *([p(f"期限依据：{sheet.deadline.basis}。", "body")] if sheet.deadline.basis else []),
        p("材料补齐后，本所即予受理并出具受理回执。", "body"),
        p(contact, "body"),
    ]


def _signatures(sheet: CaseSheet) -> Any:
    w = CONTENT_WIDTH
    rows = [
        [p("告知人（经办人）签字：", "body"), p("申请人签收：", "body")],
        [p(f"日期：{zh_date(sheet.printed_on)}", "body"), p(f"日期：{BLANK_DATE}", "body")],
        [p(f"{sheet.office.name}（盖章）", "body"), ""],
    ]
    return plain(rows, [0.55 * w, 0.45 * w], ("TOPPADDING", (0, 0), (-1, -1), 10))


def render_notice(sheet: CaseSheet) -> bytes:
    story: list[Any] = [
        p(sheet.office.name, "office"),
        p("一次性告知书", "title"),
        p("（申请材料补正）", "subtitle"),
        p(f"编号：{sheet.case_number_text}", "right"),
        Spacer(1, 3 * mm),
        *_opening(sheet),
        _missing_table(sheet),
        *_closing(sheet),
        Spacer(1, 10 * mm),
        KeepTogether(_signatures(sheet)),
    ]
    title = f"一次性告知书 {sheet.case_number_text}"
    return build_pdf(
        story, title, f"{sheet.office.name} · 一次性告知书 · {sheet.case_number_text} · 本告知书一式两份"
    )
