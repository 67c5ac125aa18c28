"""申请表: the application form of any subsidy, laid out from the catalog.

Applicant details, the subsidy's facts (blank where not yet entered, to be written by hand),
the materials with tick boxes, the declaration, signature lines and a box for the town
review's opinion and the office seal.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from core.money import format_yuan
from core.printing.layout import BLANK_DATE, CONTENT_WIDTH, NBSP, SHADE, TickBox, build_pdf, grid, p, plain
from core.printing.sheets import SUBMITTED_BY_ZH, ApplicantInfo, CaseSheet, MaterialLine, zh_date

DECLARATION_PERSON = (
    "本人承诺：以上填写的信息和提交的申请材料真实、准确、完整，本人符合申请条件。"
    "如有隐瞒或虚假，本人愿意退回已领取的补贴资金，并承担相应法律责任。"
    "本人同意经办部门为审核需要查询、核对本人的就业、社保等信息。"
)
DECLARATION_ORGANISATION = (
    "本单位承诺：以上填写的信息和提交的申请材料真实、准确、完整，本单位符合申请条件。"
    "如有隐瞒或虚假，本单位愿意退回已领取的补贴资金，并承担相应法律责任。"
)


def _shade_labels(rows: int, cols: tuple[int, ...]) -> list[tuple[Any, ...]]:
    return [("BACKGROUND", (c, 0), (c, rows - 1), SHADE) for c in cols]


def _applicant(a: ApplicantInfo, sheet: CaseSheet) -> Any:
    w = CONTENT_WIDTH
    widths = [0.17 * w, 0.33 * w, 0.17 * w, 0.33 * w]
    if a.is_person:
        rows = [
            [p("姓名", "label"), p(a.name), p("性别", "label"), p(a.sex)],
            [p("身份证号", "label"), p(a.id_number), p("联系电话", "label"), p(a.phone)],
            [p("户籍所在地", "label"), p(f"{a.town}{a.village}"), "", ""],
            [p("收款账户", "label"), p(a.account), "", ""],
        ]
    else:
        rows = [
            [p("单位名称", "label"), p(a.name), "", ""],
            [p("统一社会信用代码", "label"), p(a.id_number), p("法定代表人", "label"), p(a.representative)],
            [p("单位地址", "label"), p(f"{a.town}{a.address}"), "", ""],
            [p("联系电话", "label"), p(a.phone), p("开户行及账号", "label"), p(a.account)],
        ]
    spans = [("SPAN", (1, 2), (3, 2))] + ([("SPAN", (1, 3), (3, 3))] if a.is_person else [])
    if not a.is_person:
        spans.append(("SPAN", (1, 0), (3, 0)))
    if sheet.submitted_by != "self" or sheet.handler_name:
        who = SUBMITTED_BY_ZH.get(sheet.submitted_by, sheet.submitted_by)
        rows.append([p("代办人", "label"), p(sheet.handler_name), p("与申请人关系", "label"), p(who)])
    shade = [("BACKGROUND", (0, 0), (0, -1), SHADE)]
    shade += [("BACKGROUND", (2, r), (2, r), SHADE) for r, row in enumerate(rows) if row[2] != ""]
    return grid(rows, widths, *spans, *shade)


def _facts(sheet: CaseSheet) -> Any:
    w = CONTENT_WIDTH
    rows = [[p(f.label, "cell"), p(f.value)] for f in sheet.facts]
    amount = f"{format_yuan(sheet.amount_fen)} 元" if sheet.amount_fen is not None else ""
    rows.append([p("申请补贴金额", "cell"), p(amount)])
    return grid(rows, [0.42 * w, 0.58 * w], ("BACKGROUND", (0, 0), (0, -1), SHADE))


def any_of(label: str) -> str:
    """The group's label, saying that one of its members is enough unless it says so already."""
    return label if "任选" in label else f"{label}（以下任选其一）"


def _material_rows(materials: tuple[MaterialLine, ...]) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
    rows: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    group: str | None = None
    number = 0
    for mat in materials:
        if mat.group_label and mat.group_label != group:
            number += 1
            rows.append([p(str(number), "cell_c"), "", p(any_of(mat.group_label)), "", ""])
            extra.append(("SPAN", (2, len(rows)), (4, len(rows))))
        group = mat.group_label
        if not mat.group_label:
            number += 1
        name = (
            ("    " if mat.group_label else "") + mat.name + (f"（{mat.condition}）" if mat.condition else "")
        )
        copies = f"{mat.form_text} {mat.copies}份" if mat.copies > 1 else mat.form_text
        remark = "原件核验后退回" if mat.original_returned or mat.original_seen else ""
        rows.append(
            [
                "" if mat.group_label else p(str(number), "cell_c"),
                TickBox(mat.received),
                p(name),
                p(copies, "cell_c"),
                p(remark),
            ]
        )
    return rows, extra


def _materials(sheet: CaseSheet) -> Any:
    w = CONTENT_WIDTH
    header = [
        p("序号", "label"),
        p("已交", "label"),
        p("材料名称", "label"),
        p("形式", "label"),
        p("备注", "label"),
    ]
    rows, extra = _material_rows(sheet.materials)
    if not rows:
        rows = [["", "", p("（政策文件未列明申请材料）"), "", ""]]
    return grid(
        [header, *rows],
        [0.08 * w, 0.08 * w, 0.52 * w, 0.14 * w, 0.18 * w],
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("ALIGN", (1, 1), (1, -1), "CENTER"),
        *extra,
        repeat=1,
    )


def _closing(sheet: CaseSheet) -> Any:
    """The applicant's declaration and signature beside the town review's opinion and seal."""
    w = CONTENT_WIDTH
    person = sheet.applicant.is_person
    who = "申请人（签字或按手印）：" if person else "单位负责人（签字）："
    declaration = [
        p("申请人承诺", "section"),
        p(DECLARATION_PERSON if person else DECLARATION_ORGANISATION, "indent"),
        Spacer(1, 6 * mm),
        p(who if person else f"{who}{NBSP * 16}（单位盖章）", "body"),
        Spacer(1, 4 * mm),
        p(f"日期：{BLANK_DATE}", "body"),
    ]
    review = [
        p("初审意见", "section"),
        p(f"（{sheet.office.name}填写）", "small"),
        Spacer(1, 16 * mm),
        p("审核人（签字）：", "body"),
        Spacer(1, 4 * mm),
        p("（事务所盖章）", "body"),
        Spacer(1, 4 * mm),
        p(f"日期：{BLANK_DATE}", "body"),
    ]
    return grid(
        [[declaration, review]],
        [0.56 * w, 0.44 * w],
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    )


def render_application_form(sheet: CaseSheet) -> bytes:
    subtitle = sheet.catalog_title + (f"（{sheet.document_number}）" if sheet.document_number else "")
    header = plain(
        [
            [
                p(f"编号：{sheet.case_number_text}", "body"),
                p(f"申请日期：{zh_date(sheet.application_date)}", "right"),
            ]
        ],
        [0.5 * CONTENT_WIDTH, 0.5 * CONTENT_WIDTH],
    )
    story: list[Any] = [
        p(f"{sheet.subsidy_name}申请表", "title"),
        p(f"依据：{subtitle}", "subtitle"),
        header,
        Spacer(1, 2 * mm),
        p("一、申请人基本情况", "section"),
        _applicant(sheet.applicant, sheet),
        p("二、申请事项", "section"),
        _facts(sheet),
        p("三、申请材料（请在已交材料前的方框内打“✓”）", "section"),
        _materials(sheet),
        Spacer(1, 4 * mm),
        KeepTogether(_closing(sheet)),
    ]
    title = f"{sheet.subsidy_name}申请表 {sheet.case_number_text}"
    return build_pdf(
        story, title, f"{sheet.office.name} · {sheet.subsidy_name}申请表 · {sheet.case_number_text}"
    )
