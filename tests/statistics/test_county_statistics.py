"""统计 at the county, from real imported batches: the figures against the county's case list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.app import county as decide
from core.app.statistics import Statistics, statistics
from core.cases.statistics import Dimension
from core.packages.county_query import CountyCaseFilter
from tests.packages.conftest import Site
from tests.statistics.conftest import PAID_ON


@pytest.fixture
def stats(county: Site, decided: dict[str, str]) -> Statistics:
    return statistics(
        county.db, county.actor, applied_from=dt.date(2024, 1, 1), applied_to=dt.date(2024, 12, 31)
    )


def test_county_figures_match_its_case_list(county: Site, stats: Statistics) -> None:
    rows = [r for r in decide.all_county_rows(county.db, filter=CountyCaseFilter()) if r.case_number]
    in_2024 = [r for r in rows if r.applicant_name != "王五"]  # 王五 applied in 2023
    assert stats.total.cases == 3
    assert (
        stats.total.sums
        == (
            sum(r.amount_fen for r in in_2024),
            sum(r.approved_fen or 0 for r in in_2024),
            sum(r.paid_fen or 0 for r in in_2024),
        )
        == (90000, 75000, 50000)
    )
    statuses = {line.key: (line.cases, line.sums) for line in stats.tables[Dimension.STATUS].lines}
    for status, (n, sums) in statuses.items():
        listed = [
            r
            for r in decide.all_county_rows(county.db, filter=CountyCaseFilter(status=status))
            if r.applicant_name != "王五"
        ]
        assert n == len(listed) and sums[0] == sum(r.amount_fen for r in listed)
    labels = {line.label for line in stats.tables[Dimension.STATUS].lines}
    assert labels == {"已拨付", "审核通过", "不予通过"}


def test_county_places_are_towns_and_months_come_from_the_documents(stats: Statistics) -> None:
    (place,) = stats.tables[Dimension.PLACE].lines
    assert place.label == "升平镇劳动保障事务所" and place.cases == 3
    assert [line.label for line in stats.tables[Dimension.MONTH].lines] == ["2024年3月"]
    assert stats.tables[Dimension.GROUP].lines[0].label == "未登记人员类别"
    assert stats.measures == ("申报金额（元）", "核定金额（元）", "拨付金额（元）")


def test_payment_summary_pdf_and_xlsx_total_in_figures_and_capitals(
    county: Site, decided: dict[str, str], tmp_path: Path
) -> None:
    from core.app.payments import export_payment_summary, payment_summary, prepare_payment_summary
    from tests.printing.conftest import pdf_text
    from tests.spreadsheets.readback import assert_money, assert_text, column, header_row, sheet

    decide.mark_paid(county.db, county.actor, uuid=decided["李四"], today=dt.date(2024, 6, 20))
    summary = payment_summary(
        county.db, county.actor, paid_from=dt.date(2024, 6, 1), paid_to=dt.date(2024, 6, 30), today=PAID_ON
    )
    paid = [r for r in decide.all_county_rows(county.db, filter=CountyCaseFilter(status="paid"))]
    assert summary.total_fen == sum(r.paid_fen or 0 for r in paid) == 75000 and summary.total_cases == 2
    (row,) = summary.rows
    assert (row.town, row.cases, row.paid_fen) == ("升平镇劳动保障事务所", 2, 75000)
    text = pdf_text(prepare_payment_summary(summary).render())
    assert "就业帮扶补贴拨付汇总表" in text and "升平镇劳动保障事务所" in text
    assert "750.00" in text and "柒佰伍拾元整" in text and "人民币柒佰伍拾元整" in text
    target = tmp_path / "拨付汇总表.xlsx"
    export_payment_summary(county.db, county.actor, summary=summary, target=target)
    ws = sheet(target.read_bytes())
    top = header_row(ws, ["乡镇（事务所）", "补贴项目", "件数"])
    money = column(ws, "拨付金额（元）", top)
    assert [assert_money(c) for c in money] == [75000, 75000, 75000]  # the line, the town's 小计, 合计
    capitals = column(ws, "大写金额", top)
    assert [c.value for c in capitals[1:]] == ["柒佰伍拾元整", "柒佰伍拾元整"]
    assert_text(capitals[2])
    outside = payment_summary(
        county.db, county.actor, paid_from=dt.date(2024, 7, 1), paid_to=dt.date(2024, 7, 31)
    )
    assert outside.rows == () and "所选期间没有拨付记录" in pdf_text(
        prepare_payment_summary(outside).render()
    )


def test_payment_summary_is_the_countys(town: Site) -> None:
    from core.app.payments import payment_summary
    from core.errors import SubsidyDeskError

    with pytest.raises(SubsidyDeskError) as err:
        payment_summary(town.db, town.actor, paid_from=dt.date(2024, 1, 1), paid_to=dt.date(2024, 12, 31))
    assert err.value.code == "STATION_REQUIRED"


def test_the_county_list_is_exported_with_full_ids_and_typed_cells(
    county: Site, decided: dict[str, str], tmp_path: Path
) -> None:
    from core.app.exports import export_county_cases
    from tests.spreadsheets.readback import assert_date, assert_money, assert_text, column, header_row, sheet

    target = tmp_path / "县局.xlsx"
    shown = CountyCaseFilter(status="paid")
    assert export_county_cases(county.db, county.actor, filter=shown, target=target).rows == 1
    ws = sheet(target.read_bytes())
    top = header_row(ws, ["乡镇（事务所）", "案件编号", "申请人"])
    (number,) = column(ws, "身份证号/统一社会信用代码", top)[:1]
    assert_text(number)
    assert len(number.value) == 18 and "*" not in number.value
    assert assert_date(column(ws, "拨付日期", top)[0]) == PAID_ON
    assert [assert_money(c) for c in column(ws, "拨付金额（元）", top)] == [50000, 50000]  # the case, 合计
    assert column(ws, "乡镇（事务所）", top)[0].value == "升平镇劳动保障事务所"


def test_an_organisations_case_counts_as_an_organisation_not_without_a_group(
    county: Site, decided: dict[str, str]
) -> None:
    """Its groups are stored as SQL NULL (not JSON null), so 统计 tells it from a person with none."""
    from sqlalchemy import select

    from core.cases.statistics import ORGANISATION
    from core.packages.county_statistics import CountyStatsFilter, county_counts
    from core.packages.models import ImportedCase

    with county.db.session() as s, s.begin():
        row = s.scalars(select(ImportedCase).where(ImportedCase.applicant_name == "张三")).one()
        row.categories = None  # as the import writes an organisation's (core/packages/county_import.py)
    with county.db.reader() as conn:
        groups = {c.key: c.cases for c in county_counts(conn, CountyStatsFilter())[Dimension.GROUP]}
    assert groups.get(ORGANISATION) == 1
