"""The 统计 chart, drawn with QPainter: bars by month (or by village, state, group), shares by subsidy.

Qt's own painter rather than QtCharts or matplotlib (docs/statistics.md): QtCharts comes only in
the PySide6-Addons wheel, which would more than double the bundle for two kinds of chart, and
matplotlib (with numpy) adds tens of megabytes and a noticeable import on an office PC. The same
`paint_chart` draws on the screen and into the PNG that is saved, so both look the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.money import format_yuan
from ui.shield import shielded

PALETTE = (
    "#3b6ea5",
    "#e07b39",
    "#5a9e4b",
    "#c44e52",
    "#8172b2",
    "#937860",
    "#da8bc3",
    "#8c8c8c",
    "#ccb974",
    "#64b5cd",
)
MAX_SLICES = 8  # more subsidies than this: the smallest are 其他


class ChartKind(StrEnum):
    BARS = "bars"  # one column per line (months, in order)
    SHARE = "share"  # a pie: each line's share of the amount


@dataclass(frozen=True)
class Bar:
    label: str
    fen: int
    cases: int


@dataclass(frozen=True)
class Chart:
    title: str
    kind: ChartKind
    bars: tuple[Bar, ...]


def amount_text(fen: int) -> str:
    """Short amounts for the chart: 万元 from ten thousand yuan up."""
    if abs(fen) >= 1_000_000:
        return f"{fen / 1_000_000:,.1f}万元"
    return f"{format_yuan(fen)}元"


def paint_chart(p: QPainter, rect: QRectF, chart: Chart) -> None:
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.fillRect(rect, QColor("white"))
    title_font = QFont(p.font())
    title_font.setPointSizeF(max(9.0, title_font.pointSizeF() * 1.2))
    title_font.setBold(True)
    p.setFont(title_font)
    p.setPen(QColor("#222222"))
    # The title's lines (what, then the period), wrapped when the chart is narrow.
    lines = chart.title.split("\n")
    wide = any(p.fontMetrics().horizontalAdvance(line) > rect.width() - 16 for line in lines)
    title_h = 22.0 * (len(lines) + wide)
    p.drawText(
        QRectF(rect.left() + 8, rect.top() + 4, rect.width() - 16, title_h),
        Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
        chart.title,
    )
    p.setFont(QFont(p.font().family(), 9))
    body = rect.adjusted(8, 10 + title_h, -8, -8)
    if not chart.bars or all(b.fen == 0 and b.cases == 0 for b in chart.bars):
        p.drawText(body, Qt.AlignmentFlag.AlignCenter, "所选期间没有案件")
    elif chart.kind is ChartKind.SHARE:
        _pie(p, body, chart.bars)
    else:
        _columns(p, body, chart.bars)
    p.restore()


def _columns(p: QPainter, area: QRectF, bars: tuple[Bar, ...]) -> None:
    top = max(b.fen for b in bars) or 1
    label_h = 34.0
    plot = area.adjusted(4, 34, -4, -label_h)  # room for 最高 and the values above the bars
    step = plot.width() / len(bars)
    width = max(2.0, step * 0.7)
    p.setPen(QPen(QColor("#999999"), 1))
    p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
    every = max(1, int(len(bars) * 40 / max(plot.width(), 1)) + 1)  # labels that fit
    for i, bar in enumerate(bars):
        h = plot.height() * bar.fen / top
        x = plot.left() + i * step + (step - width) / 2
        p.fillRect(QRectF(x, plot.bottom() - h, width, h), QColor(PALETTE[0]))
        p.setPen(QColor("#222222"))
        if i % every == 0:
            cell = QRectF(
                plot.left() + i * step - step * (every - 1) / 2, plot.bottom() + 2, step * every, label_h
            )
            lines = [_fit(p, line, cell.width() - 2) for line in bar.label.split("\n")]
            p.drawText(cell, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, "\n".join(lines))
        value = amount_text(bar.fen)
        if len(bars) <= 14 and p.fontMetrics().horizontalAdvance(value) < step - 2:  # values that fit
            above = QRectF(x - step / 2, plot.bottom() - h - 15, width + step, 14)
            p.drawText(above, Qt.AlignmentFlag.AlignCenter, value)
    p.drawText(
        QRectF(area.left(), area.top() - 2, area.width(), 14),
        Qt.AlignmentFlag.AlignLeft,
        f"最高：{amount_text(top)}",
    )


def _fit(p: QPainter, text: str, width: float) -> str:
    """The text, or as much of it as fits with an ellipsis in the middle (the table has it whole)."""
    return p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, max(int(width), 1))


def _pie(p: QPainter, area: QRectF, bars: tuple[Bar, ...]) -> None:
    ordered = sorted(bars, key=lambda b: -b.fen)
    if len(ordered) > MAX_SLICES:
        rest = ordered[MAX_SLICES - 1 :]
        other = Bar("其他", sum(b.fen for b in rest), sum(b.cases for b in rest))
        ordered = [*ordered[: MAX_SLICES - 1], other]
    total = sum(b.fen for b in ordered) or 1
    side = min(area.height(), area.width() * 0.36)
    circle = QRectF(area.left() + 10, area.top() + (area.height() - side) / 2, side, side)
    start = 90 * 16
    legend_x = circle.right() + 24
    line_h = min(22.0, area.height() / max(len(ordered), 1))
    legend_y = area.top() + (area.height() - line_h * len(ordered)) / 2
    for i, bar in enumerate(ordered):
        colour = QColor(PALETTE[i % len(PALETTE)])
        span = -round(360 * 16 * bar.fen / total)
        p.setPen(QPen(QColor("white"), 1))
        p.setBrush(colour)
        p.drawPie(circle, start, span)
        start += span
        y = legend_y + i * line_h
        p.fillRect(QRectF(legend_x, y + 4, 12, 12), colour)
        p.setPen(QColor("#222222"))
        room = area.right() - legend_x - 18
        text = f"{bar.label}　{bar.fen * 100 / total:.1f}%　{amount_text(bar.fen)}"
        text = p.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideMiddle, int(room)
        )  # the table has it whole
        p.drawText(QRectF(legend_x + 18, y, room, line_h), Qt.AlignmentFlag.AlignVCenter, text)


class ChartWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = Chart("", ChartKind.BARS, ())
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_chart(self, chart: Chart) -> None:
        self.chart = chart
        self.update()

    def image(self, width: int = 1200, height: int = 600) -> QImage:
        """The chart drawn for saving, at a size that does not depend on the window's."""
        img = QImage(width, height, QImage.Format.Format_ARGB32)
        img.fill(QColor("white"))
        painter = QPainter(img)
        try:
            paint_chart(painter, QRectF(0, 0, width, height), self.chart)
        finally:
            painter.end()
        return img

    @shielded(None)
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            paint_chart(painter, QRectF(self.rect()), self.chart)
        finally:
            painter.end()
