"""受理回执: the paper the applicant takes home when the office accepts the application.

It says what was received and that the case is accepted but not yet approved (已受理，待县级
审核); its QR code carries the case UUID and the content hash (fingerprint.py) so the county
can match the paper to the exported data.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from core.printing.layout import BLANK_DATE, CONTENT_WIDTH, SHADE, build_pdf, grid, p, plain
from core.printing.qr import QrFlowable
from core.printing.sheets import SUBMITTED_BY_ZH, CaseSheet, zh_date

ACCEPTED_WORDING = "已受理，待县级审核"
QR_SIZE = 30 * mm


def _header(sheet: CaseSheet) -> list[Any]:
    return [
        p(sheet.office.name, "office"),
        p("受理回执", "title"),
        p(f"案件编号：{sheet.case_number_text}", "right"),
        Spacer(1, 3 * mm),
    ]


def _details(sheet: CaseSheet) -> Any:
    a = sheet.applicant
    w = CONTENT_WIDTH
    rows = [
        [p("申请人", "label"), p(a.name), p(a.id_label, "label"), p(a.masked_id)],
        [p("申请项目", "label"), p(sheet.subsidy_name), "", ""],
        [
            p("申请日期", "label"),
            p(zh_date(sheet.application_date)),
            p("受理日期", "label"),
            p(zh_date(sheet.accepted_on or sheet.printed_on)),
        ],
    ]
    extra: list[tuple[Any, ...]] = [("SPAN", (1, 1), (3, 1))]
    if sheet.submitted_by != "self" or sheet.handler_name:
        who = SUBMITTED_BY_ZH.get(sheet.submitted_by, sheet.submitted_by)
        rows.append([p("代办人", "label"), p(f"{sheet.handler_name}（{who}）"), "", ""])
        extra.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
    if sheet.readings:  # how the county reads the phrases the document leaves open
        rows.append([p("政策理解", "label"), p("；".join(sheet.readings)), "", ""])
        extra.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
    shade = [
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("BACKGROUND", (2, 0), (2, 0), SHADE),
        ("BACKGROUND", (2, 2), (2, 2), SHADE),
    ]
    return grid(rows, [0.16 * w, 0.34 * w, 0.18 * w, 0.32 * w], *extra, *shade)


def _materials(sheet: CaseSheet) -> list[Any]:
    w = CONTENT_WIDTH
    rows: list[list[Any]] = [
        [p("序号", "label"), p("已收材料", "label"), p("形式", "label"), p("处理情况", "label")]
    ]
    for i, mat in enumerate(sheet.received, 1):
        rows.append([p(str(i), "cell_c"), p(mat.name), p(mat.form_text, "cell_c"), p(mat.handling_text)])
    if len(rows) == 1:
        rows.append([p("—", "cell_c"), p("（未收取材料）"), "", ""])
    table = grid(
        rows, [0.08 * w, 0.44 * w, 0.12 * w, 0.36 * w], ("BACKGROUND", (0, 0), (-1, 0), SHADE), repeat=1
    )
    out: list[Any] = [p("一、已收取的申请材料", "section"), table]
    if sheet.missing:
        names = "；".join(x.name for x in sheet.missing)
        out += [Spacer(1, 2 * mm), p(f"尚需补齐：{names}（详见《一次性告知书》）。", "body")]
    return out


def grouped(code: str) -> str:
    """A check code in groups of four, read aloud and compared like a key's fingerprint."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def _status(sheet: CaseSheet) -> list[Any]:
    w = CONTENT_WIDTH
    text = [
        p(f"受理状态：{ACCEPTED_WORDING}", "strong"),
        Spacer(1, 1.5 * mm),
        p(
            "本回执仅证明本所已收到上述材料并受理申请，不代表补贴已审核通过。"
            "审核结果以县级主管部门审核为准，请保管好本回执，查询时请出示。",
            "body",
        ),
        Spacer(1, 1.5 * mm),
        p(f"核验码：{grouped(sheet.content_hash)}", "body"),  # the case's own mark lives in the QR code
    ]
    qr = QrFlowable(sheet.qr_payload, QR_SIZE)
    box = grid([[text, qr]], [w - QR_SIZE - 8 * mm, QR_SIZE + 8 * mm], ("ALIGN", (1, 0), (1, 0), "CENTER"))
    return [p("二、受理结果", "section"), box]


def _signatures(sheet: CaseSheet) -> Any:
    w = CONTENT_WIDTH
    office = sheet.office
    rows = [
        [
            p(f"受理人：{sheet.clerk or '________'}", "body"),
            p(f"联系电话：{office.phone or '________'}", "body"),
        ],
        [
            p(f"受理单位：{office.name}（盖章）", "body"),
            p(zh_date(sheet.accepted_on or sheet.printed_on) or BLANK_DATE, "body"),
        ],
    ]
    return plain(rows, [0.6 * w, 0.4 * w], ("TOPPADDING", (0, 0), (-1, -1), 6))


def render_receipt(sheet: CaseSheet) -> bytes:
    story: list[Any] = [*_header(sheet), _details(sheet), *_materials(sheet), *_status(sheet)]
    story += [Spacer(1, 8 * mm), _signatures(sheet)]
    return build_pdf(
        story,
        f"受理回执 {sheet.case_number_text}",
        f"{sheet.office.name} · 受理回执 · {sheet.case_number_text}",
    )
