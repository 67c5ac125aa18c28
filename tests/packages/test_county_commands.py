"""County decisions from the command line: `county cases / approve / reject / paid / resolve-duplicate`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from core import audit
from core.cases.states import CaseStatus
from core.db.models import Case
from core.packages.export import export_batch
from core.packages.models import DuplicateFlag, ImportedCase
from core.packages.registry import register_office_key
from main import main
from tests.packages.conftest import Site, id_number, make_town


def run(site: Site, *argv: str) -> int:
    return main(site.cli(*argv))


def listed(site: Site, capsys: pytest.CaptureFixture[str], *filters: str) -> list[list[str]]:
    """The rows printed by `county cases` (without the heading and the count)."""
    capsys.readouterr()
    assert run(site, "county", "cases", *filters) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"共 {len(lines) - 2} 件。"
    return [line.split("\t") for line in lines[1:-1]]


def uuids(town: Site) -> dict[str, str]:
    """Applicant name -> case uuid, read at the town."""
    with town.db.session() as s:
        return {c.person.name: c.uuid for c in s.scalars(select(Case)) if c.person}


def test_full_round_trip_through_the_command_line(
    town: Site, county: Site, usb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = town.add_case("张三", "53342219900101123", 50000)
    second = town.add_case("李四", "53342219910202123", 30000)
    ids = uuids(town)
    assert run(town, "export-batch", "--to", str(usb)) == 0
    assert run(county, "import-package", str(next(usb.glob("batch-*.zip")))) == 0

    rows = listed(county, capsys)
    assert [(r[0], r[1], r[3], r[6]) for r in rows] == [
        (ids["张三"][:8], town.code, "张三", "500.00"),
        (ids["李四"][:8], town.code, "李四", "300.00"),
    ]
    assert rows[0][4] == "533422********" + id_number("53342219900101123")[14:]  # masked
    assert rows[0][7] == "待审核" and rows[0][8] == ""

    assert run(county, "county", "approve", ids["张三"][:8], "--amount", "450") == 0
    assert "审核通过，450.00 元" in capsys.readouterr().out
    assert run(county, "county", "paid", ids["张三"], "--amount", "450.00", "--date", "2024-06-01") == 0
    assert run(county, "county", "reject", ids["李四"][:8], "--reason", "外出务工时间不足3个月") == 0
    assert [r[7] for r in listed(county, capsys)] == [
        "已拨付 450.00 2024-06-01",
        "不予通过：外出务工时间不足3个月",
    ]
    assert [r[3] for r in listed(county, capsys, "--status", "paid")] == ["张三"]
    assert listed(county, capsys, "--office", "999999999") == []

    assert run(county, "export-results", "--office", town.code, "--to", str(usb)) == 0
    assert run(town, "import-results", str(next(usb.glob("results-*.zip")))) == 0
    with town.db.session() as s:
        paid, rejected = s.get(Case, first), s.get(Case, second)
        assert paid is not None and rejected is not None
        assert (paid.status, paid.amount_fen) == (CaseStatus.PAID.value, 45000)
        assert (rejected.status, rejected.amount_fen) == (CaseStatus.REJECTED.value, 30000)
        event = audit.history(s, "case", paid.uuid)[-1]
        assert event.action == "county_result" and event.changes["paid_on"][1] == "2024-06-01"
        assert audit.history(s, "case", rejected.uuid)[-1].changes["reason"][1] == "外出务工时间不足3个月"
    with county.db.session() as s:
        row = s.scalar(select(ImportedCase).where(ImportedCase.uuid == ids["张三"]))
        assert row is not None and (row.approved_fen, row.paid_fen) == (45000, 45000)
        assert row.paid_on == dt.date(2024, 6, 1)
        assert [e.action for e in audit.history(s, "imported_case", row.uuid)] == ["decide", "decide"]


@pytest.fixture
def imported(town: Site, county: Site, usb: Path) -> dict[str, str]:
    town.add_case("张三", "53342219900101123", 50000)
    town.add_case("李四", "53342219910202123", 30000)
    assert run(town, "export-batch", "--to", str(usb)) == 0
    assert run(county, "import-package", str(next(usb.glob("batch-*.zip")))) == 0
    return uuids(town)


@pytest.mark.parametrize(
    "argv, said",
    [
        (["approve", "{a}", "--amount", "四百五"], "核定金额应为金额"),
        (["approve", "{a}", "--amount", "0"], "核定金额必须大于0"),
        (["approve", "ffffffff"], "没有导入过"),
        (["approve", "{a5}"], "太短"),
        (["reject", "{a}", "--reason", "  "], "必须写明理由"),
        (["paid", "{a}", "--amount", "500", "--date", "2024-06-01"], "不能登记拨付"),
        (["paid", "{b}", "--amount", "500", "--date", "2024-13-01"], "拨付日期"),
        (["paid", "{b}", "--amount", "500.001", "--date", "2024-06-01"], "最多两位小数"),
        (["paid", "{b}", "--amount", "600", "--date", "2024-06-01"], "超过核定金额"),
        (["paid", "{b}", "--amount", "300", "--date", "{tomorrow}"], "晚于今天"),
        (["approve", "{b}"], "当前为“审核通过”"),
        (["resolve-duplicate", "99", "--keep", "{a}", "--reason", "x"], "找不到第 99 号"),
    ],
)
def test_bad_input_exits_2_with_a_chinese_message(
    imported: dict[str, str],
    county: Site,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    said: str,
) -> None:
    assert run(county, "county", "approve", imported["李四"]) == 0  # {b} is approved
    values = {
        "a": imported["张三"][:8],
        "a5": imported["张三"][:5],
        "b": imported["李四"],
        "tomorrow": (dt.date.today() + dt.timedelta(days=1)).isoformat(),
    }
    capsys.readouterr()
    assert run(county, "county", *[a.format(**values) for a in argv]) == 2
    err = capsys.readouterr().err
    assert said in err and "COUNTY_" not in err


def test_usage_errors_exit_2(county: Site, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["county", "cases", "--status", "done"],
        ["county", "reject", "abcdef12"],  # no --reason
        ["county", "paid"],  # no case
        ["county", "resolve-duplicate", "one", "--keep", "abcdef12", "--reason", "x"],
    ):
        with pytest.raises(SystemExit) as info:
            run(county, *argv)
        assert info.value.code == 2


def test_duplicates_are_listed_and_resolved_from_the_command_line(
    tmp_path: Path, town: Site, county: Site, usb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = make_town(tmp_path, "533422102", "奔子栏镇")
    try:
        with county.db.session() as s, s.begin():
            register_office_key(s, other.code, other.public_key_file(), "county-admin")
        town.add_case("张三", "53342219900101123")
        other.add_case("张三", "53342219900101123")
        here, there = uuids(town)["张三"], uuids(other)["张三"]
        for site in (town, other):
            path = export_batch(site.db, site.data_dir, usb, "clerk").path
            assert run(county, "import-package", str(path)) == 0
    finally:
        other.db.close()
    with county.db.session() as s:
        flag = s.scalars(select(DuplicateFlag)).one().id
    rows = listed(county, capsys, "--duplicates")
    assert {r[1] for r in rows} == {town.code, other.code} and {r[8] for r in rows} == {f"#{flag}"}
    assert listed(county, capsys, "--duplicates", "--office", other.code)[0][0] == there[:8]

    assert run(county, "county", "approve", here[:8]) == 2
    assert "重复申报" in capsys.readouterr().err
    assert run(county, "county", "resolve-duplicate", str(flag), "--keep", "ffffffff", "--reason", "x") == 2
    reason = "系同一人，已在升平镇申报"
    assert run(county, "county", "resolve-duplicate", str(flag), "--keep", here[:8], "--reason", reason) == 0
    assert listed(county, capsys, "--duplicates") == []
    assert run(county, "county", "resolve-duplicate", str(flag), "--keep", here[:8], "--reason", "再次") == 2
    assert "已经核定过" in capsys.readouterr().err
    statuses = {r[1]: r[7] for r in listed(county, capsys)}
    assert statuses[town.code] == "待审核"
    assert (
        statuses[other.code].startswith("不予通过：重复申报，已核定保留 533422101")
        and reason in statuses[other.code]
    )
    assert run(county, "county", "approve", here[:8]) == 0
