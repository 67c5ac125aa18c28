"""Every .xlsx the program writes, with typed cells: one writer, so that no sheet gets them wrong.

A clerk sums a column of amounts and sorts by date in Excel; both only work on real cells:
- dates are Excel dates (number format yyyy-mm-dd), never text;
- money is a number of 元 with two decimals (format 0.00), converted exactly from integer fen
  through `Decimal`, so that SUM in Excel gives the program's total to the fen;
- ID numbers, credit codes, bank accounts and case numbers are text cells with the text format
  "@" (Excel would turn 18 digits into 6.10328E+17 and lose the last three);
- counts are whole numbers.
Columns are sized for what they hold and the header row is frozen.

Rows are streamed (openpyxl's write-only mode): a 10,000-row export does not build the sheet in
memory first (bench/bench_xlsx.py). `progress(stage, done, total)` is called every few hundred
rows; it may raise `Cancelled`, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

ProgressFn = Callable[[str, int, int], None]
PROGRESS_EVERY = 500
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "0.00"
TEXT_FORMAT = "@"
INT_FORMAT = "0"


class CellKind(StrEnum):
    TEXT = "text"  # names, labels; also any code made of digits (ID numbers, accounts)
    DATE = "date"  # a datetime.date
    MONEY = "money"  # integer fen, written as 元 with two decimals
    INT = "int"  # a count


_WIDTH = {CellKind.DATE: 12.0, CellKind.MONEY: 13.0, CellKind.INT: 8.0, CellKind.TEXT: 12.0}
_FORMAT = {
    CellKind.DATE: DATE_FORMAT,
    CellKind.MONEY: MONEY_FORMAT,
    CellKind.INT: INT_FORMAT,
    CellKind.TEXT: TEXT_FORMAT,
}


@dataclass(frozen=True)
class SheetColumn:
    title: str
    kind: CellKind = CellKind.TEXT
    width: float | None = None  # in Excel's character widths; None: from the kind and the title

    @property
    def shown_width(self) -> float:
        if self.width is not None:
            return self.width
        return max(_WIDTH[self.kind], text_width(self.title) + 2)


@dataclass
class Sheet:
    """One worksheet: an optional title line, a frozen header, the rows, then footer rows (totals)."""

    name: str
    columns: Sequence[SheetColumn]
    rows: Iterable[Sequence[object]]
    title: str = ""
    expected_rows: int = 0  # for progress; 0 when unknown
    # Totals rows; a function when they are summed while the rows stream past.
    footer: Sequence[Sequence[object]] | Callable[[], Sequence[Sequence[object]]] = field(
        default_factory=list
    )


def text_width(text: str) -> float:
    """Excel's width of a text: a Chinese character is about two digits wide."""
    return float(sum(2 if ord(ch) > 0x2E7F else 1 for ch in text))


def yuan(fen: int) -> Decimal:
    """Integer fen as an exact Decimal of 元 (12345 -> 123.45)."""
    return Decimal(fen).scaleb(-2)


def cell_value(kind: CellKind, value: object) -> object:
    """What the cell holds for a value of the column's kind; None stays an empty cell."""
    if value is None or value == "":
        return None
    if kind is CellKind.MONEY:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"money is integer fen, got {value!r}")
        return yuan(value)
    if kind is CellKind.DATE:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise TypeError(f"a date column takes dates, got {value!r}")
        return value
    if kind is CellKind.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"a count is an int, got {value!r}")
        return value
    return str(value)


def write_xlsx(sheets: Sequence[Sheet], progress: ProgressFn | None = None) -> bytes:
    """The workbook of the sheets, as bytes."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    try:
        for sheet in sheets:
            _write_sheet(wb, sheet, progress)
    except BaseException:
        _discard(wb)
        raise
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _discard(wb: Any) -> None:
    """A cancelled or failed workbook: end its sheets' streams and remove their temporary files."""
    for ws in wb.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        if rows is not None:
            rows.close()
        if writer is not None:
            writer.close()
            writer.cleanup()


def _write_sheet(wb: Any, sheet: Sheet, progress: ProgressFn | None) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet.name[:31])
    for index, col in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = col.shown_width
    header_row = 2 if sheet.title else 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    styles = _Styles()
    if sheet.title:
        ws.append([styles.title(ws, sheet.title)])
    ws.append([styles.header(ws, c.title) for c in sheet.columns])
    done = 0
    for row in sheet.rows:
        ws.append(styles.body_row(ws, sheet.columns, row))
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress("xlsx", done, sheet.expected_rows)
    for row in sheet.footer() if callable(sheet.footer) else sheet.footer:
        ws.append(styles.row(ws, sheet.columns, row, bold=True))
    if progress is not None:
        progress("xlsx", done, sheet.expected_rows or done)


class _Styles:
    """Cells of a write-only sheet, with the styles made once (openpyxl shares them by value)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.bold = Font(bold=True)
        self.big = Font(bold=True, size=14)
        self.fill = PatternFill("solid", fgColor="DDEBF7")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self._body: tuple[Sequence[SheetColumn], list[Any]] | None = None

    def title(self, ws: Any, text: str) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=text)
        cell.font = self.big
        return cell

    def header(self, ws: Any, text: str) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill, cell.alignment = self.bold, self.fill, self.center
        return cell

    def body_row(self, ws: Any, columns: Sequence[SheetColumn], values: Sequence[object]) -> list[Any]:
        """A row of the body. Its cells are made once per sheet and refilled: openpyxl writes each
        appended row out at once, and styling new cells was most of the time of a long export."""
        if self._body is None or self._body[0] is not columns:
            from openpyxl.cell import WriteOnlyCell

            cells = [WriteOnlyCell(ws) for _ in columns]
            for cell, col in zip(cells, columns, strict=True):
                cell.number_format = _FORMAT[col.kind]
            self._body = (columns, cells)
        cells = self._body[1]
        for cell, col, value in zip(cells, columns, values, strict=True):
            cell.value = cell_value(col.kind, value)
            if cell.data_type == "f":
                cell.data_type = "s"  # a name that begins with "=" is text, never a formula
        return cells

    def row(
        self, ws: Any, columns: Sequence[SheetColumn], values: Sequence[object], bold: bool = False
    ) -> list[Any]:
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for col, value in zip(columns, values, strict=True):
            # A footer's label ("合计") may stand in a column of another kind.
            kind = col.kind if not (bold and isinstance(value, str)) else CellKind.TEXT
            cell = WriteOnlyCell(ws, value=cell_value(kind, value))
            if kind is CellKind.TEXT and cell.data_type == "f":
                cell.data_type = "s"  # a name that begins with "=" is text, never a formula
            cell.number_format = _FORMAT[kind]
            if bold:
                cell.font = self.bold
            cells.append(cell)
        return cells
