"""The rosters the program wrote with text cells: the printed 花名册 (its date and money facts)
and the batch's roster/roster.xlsx (its dates and amounts). Now Excel can sum and sort them."""

from __future__ import annotations

import datetime as dt

from core.db.models import Case, Office
from core.packages.roster import roster_xlsx
from core.printing.service import render_roster
from tests.printing.conftest import Printing
from tests.printing.sample import add_roster_cases
from tests.spreadsheets.readback import (
    assert_date,
    assert_frozen_header,
    assert_money,
    assert_text,
    column,
    header_row,
    sheet,
)


def _cases(printing: Printing, count: int) -> list[int]:
    with printing.db.session() as s:
        office = s.get(Office, printing.office_id)
        assert office is not None
        ids = add_roster_cases(s, office, count)
        s.commit()
    return ids


def test_printed_roster_has_date_and_money_facts_as_cells(printing: Printing) -> None:
    ids = _cases(printing, 12)
    with printing.db.session() as s:
        data = render_roster(s, ids, "xlsx", batch_label="2024-02", today=dt.date(2024, 12, 20))
        cases = sorted((c for i in ids if (c := s.get(Case, i))), key=lambda c: c.case_number or "")
        employed = [dt.date.fromisoformat(c.facts["employment_date"]) for c in cases]
        costs = [c.facts["transport_cost_fen"] for c in cases]
        amounts = [c.amount_fen for c in cases]
    ws = sheet(data)
    top = header_row(ws, ["序号", "姓名", "性别", "身份证号"])
    titles = [c.value for c in ws[top]]
    date_title = next(t for t in titles if "日期" in t or "时间" in t)
    cost_title = next(t for t in titles if t.endswith("（元）") and t != "金额（元）")
    rows = len(ids)
    assert [assert_date(c) for c in column(ws, date_title, top)[:rows]] == employed
    assert [assert_money(c) for c in column(ws, cost_title, top)[:rows]] == costs
    money = column(ws, "金额（元）", top)
    assert [assert_money(c) for c in money[:rows]] == amounts
    assert assert_money(money[rows]) == sum(a or 0 for a in amounts)  # the 合计 row
    for cell in column(ws, "身份证号", top)[:rows] + column(ws, "姓名", top)[:rows]:
        assert_text(cell)
    assert_frozen_header(ws, top)


def test_batch_roster_has_dates_and_amounts_as_cells(printing: Printing) -> None:
    ids = _cases(printing, 5)
    with printing.db.session() as s:
        cases = [c for i in ids if (c := s.get(Case, i))]
        data = roster_xlsx(cases, "花名册 610328-01-0001")
        expected = [
            (c.application_date, c.amount_fen or 0, c.person.id_number if c.person else "") for c in cases
        ]
    ws = sheet(data)
    top = header_row(ws, ["序号", "案件编号", "申请人"])
    assert top == 2 and ws["A1"].value == "花名册 610328-01-0001"
    dates = [assert_date(c) for c in column(ws, "申请日期", top)[:5]]
    money = column(ws, "金额（元）", top)
    assert dates == [e[0] for e in expected]
    assert [assert_money(c) for c in money[:5]] == [e[1] for e in expected]
    assert assert_money(money[5]) == sum(e[1] for e in expected)
    ids_cells = column(ws, "身份证号/统一社会信用代码", top)[:5]
    for cell in ids_cells + column(ws, "案件编号", top)[:5]:
        assert_text(cell)
    assert [c.value for c in ids_cells] == [e[2] for e in expected]
    assert_frozen_header(ws, top)
    assert ws.column_dimensions["D"].width >= 20
