"""花名册 and 公示名单 as PDF: A4 landscape, drawn row by row on the canvas.

Pages are cut by us, not by a layout engine, so every page can end with its own subtotal
(本页小计) and the last with the grand total (合计), both summed exactly in fen. The title
block and the column header repeat on every page.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from core.money import format_yuan
from core.printing.fonts import register_font
from core.printing.layout import PRODUCER
from core.printing.sheets import Roster, RosterRow, zh_date

PAGE_W, PAGE_H = landscape(A4)
MARGIN_X = 14 * mm
TOP = PAGE_H - 12 * mm
BOTTOM = 14 * mm
TABLE_W = PAGE_W - 2 * MARGIN_X
HEADER_H = 30.0
ROW_H = 19.0
BODY_SIZE = 9.5
MIN_SIZE = 6.0
GAP = "\u3000"  # an ideographic space: room to write by hand
TABLE_TOP = TOP - 48
# Rows that fit between the header and the subtotal, total and signature lines.
ROWS_PER_PAGE = int((TABLE_TOP - HEADER_H - 2 * ROW_H - BOTTOM - 26) // ROW_H)


@dataclass(frozen=True)
class Column:
    label: str
    width: float
    align: str  # "l" | "c" | "r"


def columns(roster: Roster) -> list[Column]:
    fixed = [
        Column("序号", 30, "c"),
        Column("姓名", 58, "c"),
        Column("性别", 28, "c"),
        Column("身份证号", 128, "c"),
        Column("户籍村", 74, "c"),
    ]
    amount = Column("金额（元）", 72, "r")
    left = TABLE_W - sum(c.width for c in fixed) - amount.width
    n = len(roster.fact_labels)
    note_w = max(90.0, left - 110 * n) if n else left
    fact_w = (left - note_w) / n if n else 0
    facts = [Column(label, fact_w, "r" if label.endswith("（元）") else "c") for label in roster.fact_labels]
    return [*fixed, *facts, amount, Column("备注", note_w, "l")]


def fit(text: str, width: float, font: str, size: float = BODY_SIZE) -> tuple[str, float, float]:
    """(text, font size, drawn width): shrink the font until the text fits the cell, in half
    points down to 6 pt; below that, cut the text with an ellipsis.

    Text width is linear in the font size, so it is measured once: on a 1,000-row roster the
    measuring was a third of the drawing time.
    """
    room = width - 4
    unit = stringWidth(text, font, 1.0)
    if unit * size > room:
        size = max(MIN_SIZE, math.floor(room / unit * 2) / 2)
    if unit * size <= room:
        return text, size, unit * size
    while text and stringWidth(text, font, size) > room:
        text = text[:-2] + "…"
    return text, size, stringWidth(text, font, size)


def _cell(c: Canvas, text: str, x: float, y: float, col: Column, font: str, size: float = BODY_SIZE) -> None:
    text, size, width = fit(text, col.width, font, size)
    if col.align == "c":
        x += (col.width - width) / 2
    elif col.align == "r":
        x += col.width - 3 - width
    else:
        x += 3
    c.setFont(font, size)
    c.drawString(x, y + (ROW_H - size) / 2 + 1.5, text)


def _wrap_header(label: str, width: float, font: str, size: float) -> list[str]:
    if stringWidth(label, font, size) <= width - 4:
        return [label]
    cut = next((i for i in range(len(label), 0, -1) if stringWidth(label[:i], font, size) <= width - 4), 1)
    return [label[:cut], label[cut:]]


def _title_block(c: Canvas, roster: Roster, font: str) -> None:
    c.setFont(font, 16)
    c.drawCentredString(PAGE_W / 2, TOP - 16, roster.document_title)
    c.setFont(font, 10)
    y = TOP - 38
    c.drawString(MARGIN_X, y, f"填报单位：{roster.office.name}（盖章）")
    if roster.batch_label:
        c.drawCentredString(PAGE_W / 2, y, f"批次：{roster.batch_label}")
    c.drawRightString(PAGE_W - MARGIN_X, y, f"填报日期：{zh_date(roster.printed_on)}")


def _header_row(c: Canvas, cols: Sequence[Column], font: str) -> None:
    y = TABLE_TOP - HEADER_H
    c.setFillGray(0.92)
    c.rect(MARGIN_X, y, TABLE_W, HEADER_H, stroke=0, fill=1)
    c.setFillGray(0)
    x = MARGIN_X
    for col in cols:
        lines = _wrap_header(col.label, col.width, font, BODY_SIZE)
        for i, line in enumerate(lines):
            text, fitted, _ = fit(line, col.width, font, BODY_SIZE)
            c.setFont(font, fitted)
            offset = (HEADER_H - fitted) / 2 + 2 if len(lines) == 1 else HEADER_H / 2 + 3 - i * (fitted + 3)
            c.drawCentredString(x + col.width / 2, y + offset, text)
        x += col.width


def _row_cells(roster: Roster, number: int, row: RosterRow) -> list[str]:
    amount = format_yuan(row.amount_fen) if row.amount_fen is not None else ""
    return [str(number), row.name, row.sex, roster.shown_id(row), row.village, *row.facts, amount, row.note]


def _draw_row(c: Canvas, cells: Sequence[str], y: float, cols: Sequence[Column], font: str) -> None:
    x = MARGIN_X
    for text, col in zip(cells, cols, strict=True):
        _cell(c, text, x, y, col, font)
        x += col.width


def _total_row(
    c: Canvas, label: str, fen: int, count: int, y: float, cols: Sequence[Column], font: str
) -> None:
    lead = sum(col.width for col in cols[:-2])
    c.setFont(font, BODY_SIZE)
    c.drawCentredString(MARGIN_X + lead / 2, y + (ROW_H - BODY_SIZE) / 2 + 1.5, f"{label}（{count}人）")
    _cell(c, format_yuan(fen), MARGIN_X + lead, y, cols[-2], font)


def _grid(c: Canvas, cols: Sequence[Column], rows: int, totals: int) -> None:
    """Lines of the header, `rows` body rows and `totals` total rows (merged up to the amount)."""
    bottom = TABLE_TOP - HEADER_H - (rows + totals) * ROW_H
    c.setLineWidth(0.6)
    c.rect(MARGIN_X, bottom, TABLE_W, TABLE_TOP - bottom)
    y = TABLE_TOP - HEADER_H
    for _ in range(rows + totals):
        c.line(MARGIN_X, y, MARGIN_X + TABLE_W, y)
        y -= ROW_H
    body_bottom = TABLE_TOP - HEADER_H - rows * ROW_H
    x = MARGIN_X
    for i, col in enumerate(cols[:-1]):
        x += col.width
        merged = i < len(cols) - 3  # total rows merge the cells before the amount
        c.line(x, body_bottom if merged else bottom, x, TABLE_TOP)


def _footer(c: Canvas, roster: Roster, page: int, pages: int, font: str) -> None:
    c.setFont(font, 10)
    y = BOTTOM
    if roster.public:
        office = roster.office
        phone = f"，联系电话：{office.phone}" if office.phone else ""
        blank = f"{GAP * 2}年{GAP}月{GAP}日"
        text = f"公示期：{blank}至{blank}。如有异议，请在公示期内向{office.name}反映{phone}。"
        c.drawString(MARGIN_X, y, text)
    else:
        c.drawString(MARGIN_X, y, f"经办人：{GAP * 6}审核人：{GAP * 6}单位负责人：")
    c.setFont(font, 9)
    c.drawRightString(PAGE_W - MARGIN_X, y, f"第 {page} 页  共 {pages} 页")


def render_roster_pdf(roster: Roster) -> bytes:
    font = register_font()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    c.setTitle(roster.document_title)
    c.setAuthor(PRODUCER)
    c.setCreator(PRODUCER)
    cols = columns(roster)
    rows = roster.rows
    pages = max(1, -(-len(rows) // ROWS_PER_PAGE))
    for page in range(pages):
        chunk = rows[page * ROWS_PER_PAGE : (page + 1) * ROWS_PER_PAGE]
        last = page == pages - 1
        _title_block(c, roster, font)
        _header_row(c, cols, font)
        y = TABLE_TOP - HEADER_H
        for i, row in enumerate(chunk, page * ROWS_PER_PAGE + 1):
            y -= ROW_H
            _draw_row(c, _row_cells(roster, i, row), y, cols, font)
        y -= ROW_H
        _total_row(c, "本页小计", sum(r.amount_fen or 0 for r in chunk), len(chunk), y, cols, font)
        if last:
            y -= ROW_H
            _total_row(c, "合计", roster.total_fen, len(rows), y, cols, font)
        _grid(c, cols, len(chunk), 2 if last else 1)
        _footer(c, roster, page + 1, pages, font)
        c.showPage()
    c.save()
    return buf.getvalue()
