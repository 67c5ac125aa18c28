"""拨付汇总表: what the county paid, per town and subsidy, for the finance office; PDF and xlsx.

Totals in figures and in Chinese capital numerals (大写金额, core/money.capital_yuan): each town's
小计 and the 合计, as a payment voucher writes them. Every sum is of integer fen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from core.money import capital_yuan, format_yuan
from core.spreadsheet import CellKind, Sheet, SheetColumn

TITLE = "就业帮扶补贴拨付汇总表"


@dataclass(frozen=True)
class PaymentRow:
    town: str  # the office's name as registered at the county
    subsidy: str
    cases: int
    paid_fen: int


@dataclass(frozen=True)
class PaymentSummary:
    county: str
    paid_from: dt.date
    paid_to: dt.date
    rows: tuple[PaymentRow, ...]  # in town order, then subsidy
    printed_on: dt.date

    @property
    def total_cases(self) -> int:
        return sum(r.cases for r in self.rows)

    @property
    def total_fen(self) -> int:
        return sum(r.paid_fen for r in self.rows)

    def by_town(self) -> list[tuple[str, list[PaymentRow]]]:
        return [(town, list(rows)) for town, rows in groupby(self.rows, key=lambda r: r.town)]

    @property
    def period_text(self) -> str:
        return f"拨付日期：{_zh(self.paid_from)}至{_zh(self.paid_to)}"


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- xlsx

COLUMNS = (
    SheetColumn("乡镇（事务所）", width=28),
    SheetColumn("补贴项目", width=30),
    SheetColumn("件数", CellKind.INT, 8),
    SheetColumn("拨付金额（元）", CellKind.MONEY, 16),
    SheetColumn("大写金额", width=44),
)


def payment_sheet(summary: PaymentSummary) -> Sheet:
    rows: list[list[object]] = []
    for town, lines in summary.by_town():
        rows += [[town, r.subsidy, r.cases, r.paid_fen, ""] for r in lines]
        fen = sum(r.paid_fen for r in lines)
        rows.append([f"{town} 小计", "", sum(r.cases for r in lines), fen, capital_yuan(fen)])
    total = [["合计", "", summary.total_cases, summary.total_fen, capital_yuan(summary.total_fen)]]
    title = f"{summary.county}{TITLE}　{summary.period_text}"
    return Sheet("拨付汇总", COLUMNS, rows, title=title, footer=total)


# ---------------------------------------------------------------- PDF


def render_payment_summary_pdf(summary: PaymentSummary) -> bytes:
    from core.printing.layout import build_pdf

    title = f"{summary.county}{TITLE}"
    return build_pdf(_story(summary), title, f"{title}　{summary.period_text}")


def _story(summary: PaymentSummary) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from core.printing.layout import BLANK_DATE, CONTENT_WIDTH, SHADE, grid, p, plain

    w = CONTENT_WIDTH
    header = [p(t, "label") for t in ("序号", "乡镇（事务所）", "补贴项目", "件数", "拨付金额（元）")]
    rows: list[list[Any]] = [header]
    shaded: list[tuple[Any, ...]] = [("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    n = 0
    for town, lines in summary.by_town():
        for r in lines:
            n += 1
            rows.append(
                [
                    p(str(n), "cell_c"),
                    p(town),
                    p(r.subsidy),
                    p(str(r.cases), "right"),
                    p(format_yuan(r.paid_fen), "right"),
                ]
            )
        fen = sum(r.paid_fen for r in lines)
        rows.append(
            [
                p(""),
                p(f"{town} 小计"),
                p(f"大写：{capital_yuan(fen)}", "small"),
                p(str(sum(r.cases for r in lines)), "right"),
                p(format_yuan(fen), "right"),
            ]
        )
        shaded.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SHADE))
    if not summary.rows:
        rows.append([p(""), p("所选期间没有拨付记录", "cell_c"), p(""), p("0", "right"), p("0.00", "right")])
    rows.append(
        [
            p(""),
            p("合计"),
            p(""),
            p(str(summary.total_cases), "right"),
            p(format_yuan(summary.total_fen), "right"),
        ]
    )
    shaded.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SHADE))
    widths = [w * 0.07, w * 0.30, w * 0.33, w * 0.10, w * 0.20]
    signs = [
        [p("制表人：", "body"), p("审核人：", "body"), p("负责人：", "body")],
        [p(f"日期：{BLANK_DATE}", "body"), p(""), p("（盖章）", "body")],
    ]
    return [
        p(summary.county, "office"),
        p(TITLE, "title"),
        p(f"{summary.period_text}　制表日期：{_zh(summary.printed_on)}", "subtitle"),
        Spacer(1, 2 * mm),
        grid(rows, widths, *shaded, repeat=1),
        Spacer(1, 4 * mm),
        p(f"合计拨付金额（大写）：人民币{capital_yuan(summary.total_fen)}", "strong"),
        p(f"合计拨付金额（小写）：¥{format_yuan(summary.total_fen)}　共 {summary.total_cases} 件", "body"),
        Spacer(1, 14 * mm),
        plain(signs, [w / 3] * 3, ("BOTTOMPADDING", (0, 0), (-1, -1), 10)),
    ]
