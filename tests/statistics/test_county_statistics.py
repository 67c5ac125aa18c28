"""统计 at the county, from real imported batches: the figures against the county's case list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.app import county as decide
from core.app.batches import export_batch
from core.app.statistics import Statistics, statistics
from core.cases.statistics import Dimension
from core.packages.county_query import CountyCaseFilter
from tests.packages.conftest import Site

PAID_ON = dt.date(2024, 6, 1)


@pytest.fixture
def decided(town: Site, county: Site, usb: Path) -> dict[str, str]:
    town.add_case("张三", "53342219900101123", 50000)
    town.add_case("李四", "53342219910202123", 30000)
    town.add_case("王五", "53342219920303123", 42000, year=2023)
    town.add_case("赵六", "53342219930404123", 10000)
    result = export_batch(town.db, town.actor, folder=usb)
    report = decide.import_package(county.db, county.actor, path=result.path)
    uuids = {c.applicant: c.uuid for c in report.cases}
    decide.approve(county.db, county.actor, uuid=uuids["张三"])
    decide.mark_paid(county.db, county.actor, uuid=uuids["张三"], today=PAID_ON)
    decide.approve(county.db, county.actor, uuid=uuids["李四"], amount_fen=25000)
    decide.reject(county.db, county.actor, uuid=uuids["赵六"], reason="材料不全，劳动合同未签字。")
    return uuids


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
