"""花名册 / 公示名单 as .xlsx for the county's spreadsheets: the same columns and a total row.

Typed cells as every sheet of the program (core/spreadsheet.py): ID numbers are text (Excel
would turn 18 digits into 6.10328E+17 and lose the last three); amounts, and money facts, are
exact decimals in 元 with two decimals; date facts are Excel dates; counts are numbers. The
total is summed in fen.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.printing.roster_pdf import columns
from core.printing.sheets import Roster, RosterRow, zh_date
from core.spreadsheet import DATE_FORMAT, INT_FORMAT, MONEY_FORMAT, TEXT_FORMAT, CellKind, cell_value, yuan

THIN = Side(style="thin", color="333333")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FIXED = 5  # 序号, 姓名, 性别, 身份证号, 户籍村 before the facts
_FORMATS = {CellKind.DATE: DATE_FORMAT, CellKind.MONEY: MONEY_FORMAT, CellKind.INT: INT_FORMAT}


def _kinds(roster: Roster) -> list[CellKind]:
    kinds = [CellKind(k) for k in roster.fact_kinds]
    return kinds if len(kinds) == len(roster.fact_labels) else [CellKind.TEXT] * len(roster.fact_labels)


def _facts(row: RosterRow, kinds: list[CellKind]) -> list[object]:
    if len(row.fact_cells) != len(kinds):
        return list(row.facts)
    return [cell_value(k, v) for k, v in zip(kinds, row.fact_cells, strict=True)]


def render_roster_xlsx(roster: Roster) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "公示名单" if roster.public else "花名册"
    cols = columns(roster)
    n = len(cols)
    ws.append([roster.document_title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    batch = f"批次：{roster.batch_label}" if roster.batch_label else ""
    ws.append(
        [
            f"填报单位：{roster.office.name}",
            *[""] * (n - 4),
            batch,
            "",
            f"填报日期：{zh_date(roster.printed_on)}",
        ]
    )
    ws.append([c.label for c in cols])
    header_row = 3
    kinds = _kinds(roster)
    for i, row in enumerate(roster.rows, 1):
        amount = yuan(row.amount_fen) if row.amount_fen is not None else None
        facts = _facts(row, kinds)
        ws.append([i, row.name, row.sex, roster.shown_id(row), row.village, *facts, amount, row.note])
    ws.append(["合计", *[""] * (n - 3), yuan(roster.total_fen), f"{len(roster.rows)}人"])
    last = ws.max_row
    ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=n - 2)
    _style(ws, cols_count=n, header_row=header_row, last=last, kinds=kinds)
    for i, col in enumerate(cols, 1):
        least = 20 if i == 4 else 12 if FIXED < i <= FIXED + len(kinds) else 6  # an ID; a date or amount
        ws.column_dimensions[get_column_letter(i)].width = max(least, col.width / 5.2)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CENTER = Alignment(horizontal="center", vertical="center")
HEADER = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
BOLD = Font(bold=True)
SHADE = PatternFill("solid", fgColor="EEEEEE")


def _style(ws: Worksheet, cols_count: int, header_row: int, last: int, kinds: list[CellKind]) -> None:
    for r, row in enumerate(ws.iter_rows(min_row=header_row, max_row=last, max_col=cols_count), header_row):
        for c, cell in enumerate(row, 1):
            cell.border = BOX
            cell.alignment = CENTER
            if cell.data_type == "f":
                cell.data_type = "s"  # a name beginning with "=" is text, never a formula
            kind = kinds[c - FIXED - 1] if FIXED < c <= FIXED + len(kinds) else CellKind.TEXT
            if r == header_row:
                cell.alignment, cell.fill, cell.font = HEADER, SHADE, BOLD
            elif c == cols_count - 1:
                cell.number_format = MONEY_FORMAT
                cell.alignment = RIGHT
            elif r == last:
                continue
            elif c in (2, 3, 4, 5, cols_count) or (kind is CellKind.TEXT and c > FIXED):
                cell.number_format = TEXT_FORMAT
            elif kind in _FORMATS:
                cell.number_format = _FORMATS[kind]
                cell.alignment = RIGHT if kind is not CellKind.DATE else CENTER
