"""Reading a written .xlsx back with openpyxl, as Excel would see its cells."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from core.spreadsheet import DATE_FORMAT, MONEY_FORMAT, TEXT_FORMAT


def sheet(data: bytes, name: str | None = None) -> Any:
    assert data[:2] == b"PK"
    wb = load_workbook(io.BytesIO(data))
    return wb[name] if name else wb.worksheets[0]


def header_row(ws: Any, titles: list[str]) -> int:
    """The row that holds the column titles."""
    for row in ws.iter_rows(min_row=1, max_row=5):
        if [c.value for c in row[: len(titles)]] == titles:
            return int(row[0].row)
    raise AssertionError(f"no header {titles}")


def column(ws: Any, title: str, header: int) -> list[Any]:
    """The cells under a column title, down to the last row."""
    titles = [c.value for c in ws[header]]
    index = titles.index(title) + 1
    return [ws.cell(row=r, column=index) for r in range(header + 1, ws.max_row + 1)]


def assert_text(cell: Any) -> None:
    assert cell.data_type == "s" and isinstance(cell.value, str), (cell.coordinate, cell.value)
    assert cell.number_format == TEXT_FORMAT, (cell.coordinate, cell.number_format)


def assert_date(cell: Any) -> dt.date:
    assert cell.is_date and isinstance(cell.value, dt.datetime), (cell.coordinate, cell.value)
    assert cell.number_format == DATE_FORMAT, (cell.coordinate, cell.number_format)
    return cell.value.date()


def assert_money(cell: Any) -> int:
    """The cell is a number of 元 with two decimals; its value in fen."""
    assert cell.data_type == "n" and isinstance(cell.value, int | float), (cell.coordinate, cell.value)
    assert cell.number_format == MONEY_FORMAT, (cell.coordinate, cell.number_format)
    fen = Decimal(str(cell.value)) * 100
    assert fen == int(fen), (cell.coordinate, cell.value)
    return int(fen)


def assert_frozen_header(ws: Any, header: int) -> None:
    assert ws.freeze_panes == f"A{header + 1}"
