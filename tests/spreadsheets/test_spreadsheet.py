"""core/spreadsheet.py: typed cells, exact money, text IDs, sized columns, a frozen header."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import Cancelled
from core.spreadsheet import CellKind, Sheet, SheetColumn, cell_value, write_xlsx, yuan
from tests.spreadsheets.readback import (
    assert_date,
    assert_frozen_header,
    assert_money,
    assert_text,
    column,
    header_row,
    sheet,
)

COLUMNS = [
    SheetColumn("姓名"),
    SheetColumn("身份证号", width=22),
    SheetColumn("银行账号", width=22),
    SheetColumn("申请日期", CellKind.DATE),
    SheetColumn("金额（元）", CellKind.MONEY),
    SheetColumn("件数", CellKind.INT),
]
ROWS = [
    ["王小梅", "610328198805170021", "6217995230012345678", dt.date(2024, 3, 20), 43650, 1],
    ["=SUM(A1)", "61032819880517002X", "0012345", dt.date(2024, 12, 31), 1, 2],
    ["李国强", "610328199001010013", "", None, None, 3],
]


def written(**kw: object) -> bytes:
    return write_xlsx(
        [Sheet("案件", COLUMNS, ROWS, title="案件列表", footer=[["合计", "", "", None, 43651, 6]])]
    )


def test_every_cell_has_its_type() -> None:
    ws = sheet(written())
    top = header_row(ws, [c.title for c in COLUMNS])
    assert top == 2 and ws["A1"].value == "案件列表"
    names, ids, accounts, dates, amounts, counts = (column(ws, c.title, top) for c in COLUMNS)
    for cell in [*names, *ids[:3], *accounts[:2]]:
        assert_text(cell)
    assert [c.value for c in ids[:3]] == [r[1] for r in ROWS]  # 18 digits, never 6.1E+17
    assert names[1].value == "=SUM(A1)"  # a name, not a formula
    assert accounts[1].value == "0012345"  # the leading zeros stay
    assert [assert_date(c) for c in dates[:2]] == [dt.date(2024, 3, 20), dt.date(2024, 12, 31)]
    assert dates[2].value is None and amounts[2].value is None
    assert [assert_money(c) for c in amounts[:2]] == [43650, 1]
    assert [c.value for c in counts[:3]] == [1, 2, 3] and all(c.data_type == "n" for c in counts)


def test_the_footer_total_sums_the_rows_to_the_fen() -> None:
    ws = sheet(written())
    top = header_row(ws, [c.title for c in COLUMNS])
    amounts = column(ws, "金额（元）", top)
    assert ws.cell(row=ws.max_row, column=1).value == "合计"
    assert assert_money(amounts[-1]) == sum(assert_money(c) for c in amounts[:2]) == 43651


def test_columns_are_sized_and_the_header_frozen() -> None:
    ws = sheet(written())
    assert_frozen_header(ws, 2)
    widths = {k: ws.column_dimensions[k].width for k in "ABCDEF"}
    assert widths["B"] == 22 and widths["D"] >= 10 and widths["E"] >= 10 and widths["A"] >= 6


def test_a_sheet_without_title_freezes_its_first_row() -> None:
    ws = sheet(write_xlsx([Sheet("表", COLUMNS[:1], [["甲"]])]))
    assert ws["A1"].value == "姓名" and ws.freeze_panes == "A2"


def test_money_is_converted_exactly() -> None:
    assert (
        str(yuan(43650)) == "436.50"
        and str(yuan(-1)) == "-0.01"
        and str(yuan(10**12 + 1)) == "10000000000.01"
    )


@pytest.mark.parametrize(
    ("kind", "value"),
    [(CellKind.MONEY, 1.5), (CellKind.MONEY, "1.50"), (CellKind.DATE, "2024-03-20"), (CellKind.INT, True)],
)
def test_wrong_values_are_refused(kind: CellKind, value: object) -> None:
    with pytest.raises(TypeError):
        cell_value(kind, value)


def test_cancelling_from_progress_writes_nothing() -> None:
    seen: list[int] = []

    def progress(_stage: str, done: int, _total: int) -> None:
        seen.append(done)
        if done >= 1000:
            raise Cancelled

    rows = (["甲", "1", "2", dt.date(2024, 1, 1), 100, 1] for _ in range(5000))
    with pytest.raises(Cancelled):
        write_xlsx([Sheet("表", COLUMNS, rows, expected_rows=5000)], progress)
    assert seen == [500, 1000]
