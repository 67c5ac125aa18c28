"""What every ReportLab document shares: the page, the font, paragraph styles, tables, tick boxes.

Imported only by the renderers (it imports ReportLab), never by `core.printing` itself.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from core.printing.fonts import register_font

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
GRID = colors.HexColor("#333333")
SHADE = colors.HexColor("#EEEEEE")
PRODUCER = "SubsidyDesk"


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    font = register_font()

    def style(
        name: str, size: float, align: int = TA_LEFT, leading: float | None = None, **kw: Any
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading or size * 1.45,
            alignment=align,
            wordWrap="CJK",
            **kw,
        )

    return {
        "office": style("office", 12, TA_CENTER, spaceAfter=2),
        "title": style("title", 20, TA_CENTER, leading=28, spaceAfter=4),
        "subtitle": style("subtitle", 9, TA_CENTER, textColor=colors.HexColor("#444444"), spaceAfter=6),
        "section": style("section", 11.5, TA_LEFT, spaceBefore=8, spaceAfter=4),
        "body": style("body", 10.5, TA_LEFT, leading=17),
        "indent": style("indent", 10.5, TA_LEFT, leading=17, firstLineIndent=21),
        "cell": style("cell", 10, TA_LEFT, leading=13.5),
        "cell_c": style("cell_c", 10, TA_CENTER, leading=13.5),
        "label": style("label", 10, TA_CENTER, leading=13.5),
        "small": style("small", 8.5, TA_LEFT, leading=11.5, textColor=colors.HexColor("#444444")),
        "right": style("right", 10, TA_RIGHT, leading=14),
        "strong": style("strong", 13, TA_CENTER, leading=19),
    }


def p(text: str, style: str = "cell") -> Paragraph:
    """A paragraph of plain text (escaped: names may contain & or <)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), styles()[style])


def grid_style(*extra: tuple[Any, ...]) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), register_font()),
            ("GRID", (0, 0), (-1, -1), 0.6, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


def grid(
    rows: Sequence[Sequence[Any]], widths: Sequence[float], *extra: tuple[Any, ...], repeat: int = 0
) -> Table:
    table = Table([list(r) for r in rows], colWidths=list(widths), repeatRows=repeat)
    table.setStyle(grid_style(*extra))
    return table


def plain(rows: Sequence[Sequence[Any]], widths: Sequence[float], *extra: tuple[Any, ...]) -> Table:
    """A borderless table, for signature lines and side-by-side blocks."""
    table = Table([list(r) for r in rows], colWidths=list(widths))
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0), *extra])
    )
    return table


class TickBox(Flowable):
    """☐ / ☑ drawn as a square with a ✓ glyph inside, so a ticked box stays searchable text."""

    def __init__(self, checked: bool, size: float = 10) -> None:
        super().__init__()
        self.checked = checked
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        c = self.canv
        c.setLineWidth(0.8)
        c.rect(0, 0, self.size, self.size)
        if self.checked:
            c.setFont(register_font(), self.size * 1.05)
            c.drawCentredString(self.size / 2, self.size * 0.12, "✓")


def footer(text: str) -> Callable[[Canvas, Any], None]:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(register_font(), 8)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(MARGIN, 10 * mm, text)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    return draw


def build_pdf(story: list[Any], title: str, footer_text: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=13 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=PRODUCER,
        creator=PRODUCER,
        subject=title,
    )
    on_page = footer(footer_text)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


NBSP = "\u00a0"  # a space that paragraphs keep: room to write the date by hand
BLANK_DATE = f"{NBSP * 10}年{NBSP * 6}月{NBSP * 6}日"
