"""The county's 拨付汇总表: what was paid, per town and subsidy, for a period of payment dates;
printed (PDF, through the preview) and as xlsx for the finance office."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.actor import Actor, Station
from core.app.exports import ListExport, export_sheets
from core.app.reports import PreparedDocument
from core.db import Database
from core.errors import ValidationError
from core.printing.payment_summary import TITLE, PaymentRow, PaymentSummary


def payment_summary(
    db: Database, actor: Actor, *, paid_from: dt.date, paid_to: dt.date, today: dt.date | None = None
) -> PaymentSummary:
    """The cases marked paid (已拨付) with a payment date in the period, both ends included."""
    from core.app.office import county_name
    from core.app.statistics import office_names, subsidy_names_by_id
    from core.packages.county_statistics import payment_lines

    actor.require_station(Station.COUNTY, "编制拨付汇总表")
    if paid_to < paid_from:
        raise ValidationError(
            "PAYMENT_PERIOD_REVERSED", "拨付日期", "拨付日期的结束日期早于开始日期，请调换或重新选择。"
        )
    names = subsidy_names_by_id()
    with db.reader() as conn:
        lines = payment_lines(conn, paid_from, paid_to)
        offices = office_names(conn)
    rows = tuple(
        PaymentRow(
            offices.get(x.office_code) or f"上报代码 {x.office_code}",
            names.get(x.subsidy_id, x.subsidy_id),
            x.cases,
            x.paid_fen,
        )
        for x in lines
    )
    county = county_name(db) or "县劳动就业管理局"
    return PaymentSummary(county, paid_from, paid_to, rows, today or dt.date.today())


def prepare_payment_summary(summary: PaymentSummary) -> PreparedDocument:
    """The PDF, drawn when the preview asks (on a worker)."""
    from core.printing.payment_summary import render_payment_summary_pdf

    name = f"{TITLE}_{summary.paid_from:%Y%m%d}-{summary.paid_to:%Y%m%d}.pdf"
    return PreparedDocument(name, TITLE, lambda: render_payment_summary_pdf(summary))


def export_payment_summary(
    db: Database, actor: Actor, *, summary: PaymentSummary, target: Path
) -> ListExport:
    from core.printing.payment_summary import payment_sheet

    actor.require_station(Station.COUNTY, "导出拨付汇总表")
    return export_sheets(
        db,
        actor,
        what="payment_summary",
        sheets=[payment_sheet(summary)],
        target=target,
        rows=len(summary.rows),
    )
