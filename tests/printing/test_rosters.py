"""花名册 and 公示名单: page subtotals and the grand total are exact, headers repeat, IDs masked."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.db.models import Case, Office
from core.money import format_yuan
from core.printing.errors import PrintingError
from core.printing.roster_layout import region_short
from core.printing.service import render_roster
from tests.printing.conftest import Printing, pdf_pages
from tests.printing.sample import add_roster_cases

TODAY = dt.date(2024, 12, 20)
TOTAL = re.compile(r"(本页小计|合计)（(\d+)人）\s*([\d,]+\.\d\d)")


@pytest.fixture
def sixty(printing: Printing) -> list[int]:
    with printing.db.session() as s:
        office = s.get(Office, printing.office_id)
        assert office is not None
        ids = add_roster_cases(s, office, 60)
        s.commit()
    return ids


def amounts(printing: Printing, ids: list[int]) -> list[int]:
    with printing.db.session() as s:
        cases = [s.get(Case, i) for i in ids]
        return [c.amount_fen or 0 for c in sorted(cases, key=lambda c: (c.case_number, c.id)) if c]


def id_numbers(printing: Printing, ids: list[int]) -> list[str]:
    with printing.db.session() as s:
        return [c.person.id_number for i in ids if (c := s.get(Case, i)) and c.person]


def test_roster_page_totals_and_grand_total_are_exact(printing: Printing, sixty: list[int]) -> None:
    with printing.db.session() as s:
        data = render_roster(s, sixty, batch_label="2024-02", today=TODAY)
    pages = pdf_pages(data)
    fen = amounts(printing, sixty)
    assert len(pages) >= 3
    seen = 0
    for page in pages:
        totals = TOTAL.findall(page)
        label, count, text = totals[0]
        assert label == "本页小计"
        chunk = fen[seen : seen + int(count)]
        assert text == format_yuan(sum(chunk))
        seen += int(count)
    assert seen == 60
    last = TOTAL.findall(pages[-1])
    assert last[-1] == ("合计", "60", format_yuan(sum(fen)))
    assert all("合计（" not in p.replace("本页小计", "") for p in pages[:-1])


def test_roster_header_repeats_on_every_page(printing: Printing, sixty: list[int]) -> None:
    with printing.db.session() as s:
        pages = pdf_pages(render_roster(s, sixty, batch_label="2024-02", today=TODAY))
    for page in pages:
        assert "千阳县脱贫劳动力跨省就业一次性交通费补助花名册" in page
        for column in ("序号", "姓名", "性别", "身份证号", "户籍村", "金额（元）", "备注"):
            assert column in page
        assert "千阳县城关镇劳动保障事务所" in page and "批次：2024-02" in page
    assert "第 2 页  共" in pages[1]


def test_roster_shows_full_ids_and_the_public_list_masks_them(printing: Printing, sixty: list[int]) -> None:
    numbers = id_numbers(printing, sixty)
    with printing.db.session() as s:
        county = "\n".join(pdf_pages(render_roster(s, sixty, today=TODAY)))
        public = "\n".join(pdf_pages(render_roster(s, sixty, public=True, today=TODAY)))
    assert all(n in county for n in numbers)
    assert not any(n in public for n in numbers)
    assert all(f"{n[:6]}********{n[14:]}" in public for n in numbers)
    assert "公示名单" in public and "公示期" in public


def test_roster_as_xlsx_has_text_ids_and_an_exact_total(printing: Printing, sixty: list[int]) -> None:
    with printing.db.session() as s:
        data = render_roster(s, sixty, "xlsx", batch_label="2024-02", today=TODAY)
    ws = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[3]]
    assert header[:5] == ["序号", "姓名", "性别", "身份证号", "户籍村"] and header[-2:] == [
        "金额（元）",
        "备注",
    ]
    rows = list(ws.iter_rows(min_row=4, max_row=63, values_only=True))
    assert all(isinstance(r[3], str) and len(r[3]) == 18 for r in rows)
    total = ws.cell(row=64, column=len(header) - 1).value
    assert ws.cell(row=64, column=1).value == "合计"
    assert Decimal(str(total)) == Decimal(sum(amounts(printing, sixty))) / 100
    assert sum(Decimal(str(r[-2])) for r in rows) == Decimal(str(total))


def test_one_roster_per_subsidy(printing: Printing) -> None:
    with printing.db.session() as s, pytest.raises(PrintingError) as err:
        render_roster(s, [printing.cases.receipt, printing.cases.form])
    assert err.value.code == "PRINT_ROSTER_MIXED"


def test_default_title_is_region_and_subsidy(printing: Printing) -> None:
    with printing.db.session() as s:
        text = pdf_pages(render_roster(s, [printing.cases.form], today=TODAY))[0]
    assert "千阳县一次性求职补贴花名册" in text
    assert "合计（1人）" in text and "500.00" in text


@pytest.mark.parametrize(
    ("region", "short"),
    [
        ("陕西省宝鸡市千阳县", "千阳县"),
        ("云南省迪庆藏族自治州德钦县", "德钦县"),
        ("山东省枣庄市", "枣庄市"),
        ("贵州省", "贵州省"),
        ("江苏省徐州市沛县", "沛县"),
        ("广东省广州市", "广州市"),
    ],
)
def test_region_short(region: str, short: str) -> None:
    assert region_short(region) == short
