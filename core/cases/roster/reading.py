"""Reading a filled roster back: header matching, row checks, duplicates, earlier claims."""

from __future__ import annotations

import io
import logging
from decimal import Decimal
from typing import Any

from core.cases.roster.cells import _read_categories, _read_fact, _read_id, _read_name
from core.cases.roster.columns import (
    COL_ID,
    COL_NAME,
    HEADER_SCAN_ROWS,
    RosterCounts,
    RosterImport,
    RowProblem,
    YearHistory,
    _blank,
    _Column,
    _columns,
    _fact_rule_text,
    _Layout,
    _norm_title,
    _RowCheck,
    _rule,
    _text,
    allowed_categories,
)
from core.errors import SubsidyDeskError
from core.identity.id_number import normalise_id_number
from core.policy import model as m

log = logging.getLogger(__name__)
MAX_ROSTER_ROWS = 10_000  # persons in one roster; a larger organisation applies in parts
MAX_ROSTER_COLUMNS = 64  # the template has under 20; a sheet may claim 16,384
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, or an .xlsx with a password
OLE_MESSAGE = (
    "花名册文件无法读取：它是旧的 .xls 文件，或者设置了打开密码。"
    "请在Excel/WPS中取消密码，并“另存为”.xlsx 后再导入。"
)
FILE_MESSAGE = (
    "花名册文件无法读取：文件已损坏，或不是Excel 2007及以后的 .xlsx 文件。"
    "请在Excel/WPS中打开检查，“另存为”.xlsx 后再导入；打不开的，请单位重新填写模板。"
)


def read_roster(data: bytes, subsidy: m.Subsidy, year_history: YearHistory | None = None) -> RosterImport:
    """Read and check the first sheet of a filled roster; every problem is reported at once.

    `year_history`, given the roster's ID numbers, returns id -> descriptions of earlier claims
    of the same subsidy this year (see `year_claims`); such rows get a warning, not an error.
    Raises SubsidyDeskError when the file is not an .xlsx or has no header row.
    """
    cols = _columns(subsidy)
    sheet_rows = _sheet_rows(data)
    header_index, mapping, ignored = _header(sheet_rows, cols)
    if len(sheet_rows) - header_index - 1 > MAX_ROSTER_ROWS:
        raise SubsidyDeskError(
            "ROSTER_TOO_LONG",
            f"花名册超过{MAX_ROSTER_ROWS}行，请分成几份、分几个案件申报（每份不超过{MAX_ROSTER_ROWS}人）。",
        )
    header_row_number = header_index + 1
    problems: list[RowProblem] = []
    for col in cols:
        if col.required and col not in mapping.values():
            problems.append(
                RowProblem(
                    header_row_number,
                    col.title,
                    "ROSTER_COLUMN_MISSING",
                    f"第{header_row_number}行（列名行）：缺少“{col.title}”列。"
                    f"请从模板复制该列名，添加该列并逐行填写。",
                )
            )

    layout = _layout(subsidy, cols, mapping)
    parsed: list[tuple[int, dict[str, Any]]] = []
    rejected: set[int] = set()
    total = 0
    for offset, values in enumerate(sheet_rows[header_index + 1 :], start=header_index + 2):
        cells = {col: values[i] if i < len(values) else None for i, col in mapping.items()}
        if all(_blank(v) for c, v in cells.items() if c.kind != "seq"):
            continue  # fully empty rows (or rows with only a 序号) are skipped
        total += 1
        check = _RowCheck(offset, problems)
        row = _read_row(check, cells, layout)
        if check.failed or row is None:
            rejected.add(offset)
        else:
            parsed.append((offset, row))

    if total == 0:
        problems.append(
            RowProblem(
                header_row_number + 1,
                COL_NAME,
                "ROSTER_EMPTY",
                f"第{header_row_number + 1}行起没有填写任何人员。请在列名下方每人填一行后再导入。",
            )
        )

    parsed = _drop_duplicates(
        parsed, problems, rejected, sheet_ids=_all_ids(sheet_rows, header_index, mapping)
    )
    if year_history is not None and parsed:
        _warn_earlier_claims(parsed, problems, year_history, subsidy)

    problems.sort(key=lambda p: (p.row_number, _column_order(cols, p.column), p.severity != "error"))
    errors = sum(1 for p in problems if p.severity == "error")
    return RosterImport(
        rows=tuple(r for _, r in parsed),
        row_numbers=tuple(n for n, _ in parsed),
        problems=tuple(problems),
        counts=RosterCounts(
            total=total,
            valid=len(parsed),
            rejected=len(rejected),
            errors=errors,
            warnings=len(problems) - errors,
        ),
        ignored_columns=tuple(ignored),
    )


def _column_order(cols: list[_Column], title: str) -> int:
    return next((i for i, c in enumerate(cols) if c.title == title), len(cols))


def _sheet_rows(data: bytes) -> list[tuple[Any, ...]]:
    """The cells of the first worksheet (a chart sheet before it is passed over), at most
    MAX_ROSTER_ROWS rows of MAX_ROSTER_COLUMNS columns, whatever size the file claims."""
    if data.startswith(OLE_SIGNATURE):
        raise SubsidyDeskError("ROSTER_FILE", OLE_MESSAGE)
    try:
        return _read_cells(data)
    except SubsidyDeskError:
        raise
    except Exception as exc:  # openpyxl, zipfile, zlib and XML errors of a damaged file
        log.warning("花名册文件无法读取：%s: %s", type(exc).__name__, exc)
        raise SubsidyDeskError("ROSTER_FILE", FILE_MESSAGE) from exc


def _read_cells(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = next((w for w in wb.worksheets if hasattr(w, "iter_rows")), None)
        if ws is None:
            raise SubsidyDeskError(
                "ROSTER_NO_HEADER", "文件中没有工作表（只有图表），请把花名册放在第一个工作表。"
            )
        rows: list[tuple[Any, ...]] = []
        filled = 0  # rows up to the last one with something in it
        for row in ws.iter_rows(max_col=MAX_ROSTER_COLUMNS, values_only=True):
            rows.append(tuple(row))
            if not all(_blank(v) for v in row):
                filled = len(rows)
            if filled > MAX_ROSTER_ROWS + HEADER_SCAN_ROWS:
                break  # enough to tell it is too long; the rest is not read
            if len(rows) - filled > MAX_ROSTER_ROWS:
                break  # only empty rows for as long as a whole roster: a claimed dimension, not data
        return rows[:filled]
    finally:
        wb.close()


def _header(rows: list[tuple[Any, ...]], cols: list[_Column]) -> tuple[int, dict[int, _Column], list[str]]:
    """Find the header row (the first one naming 姓名 and 身份证号) and map columns by title."""
    by_title: dict[str, _Column] = {}
    for col in cols:
        by_title.setdefault(_norm_title(col.title), col)
        if col.fact is not None:
            by_title.setdefault(_norm_title(col.fact.label), col)  # the label without the unit
    by_title.setdefault(_norm_title("身份证号码"), next(c for c in cols if c.kind == "id"))
    by_title.setdefault(_norm_title("公民身份号码"), next(c for c in cols if c.kind == "id"))
    for index, values in enumerate(rows[:HEADER_SCAN_ROWS]):
        titles = [_norm_title(v) if not _blank(v) else "" for v in values]
        found = {by_title[t].kind for t in titles if t in by_title}
        if {"name", "id"} <= found:
            mapping: dict[int, _Column] = {}
            ignored: list[str] = []
            for i, t in enumerate(titles):
                match = by_title.get(t)
                if match is not None and match not in mapping.values():
                    mapping[i] = match
                elif t:
                    ignored.append(str(values[i]).strip())
            return index, mapping, ignored
    raise SubsidyDeskError(
        "ROSTER_NO_HEADER",
        f"在第一个工作表的前{HEADER_SCAN_ROWS}行中找不到列名行（至少要有“{COL_NAME}”和“{COL_ID}”两列）。"
        "请使用本程序生成的花名册模板，花名册放在第一个工作表。",
    )


def _layout(subsidy: m.Subsidy, cols: list[_Column], mapping: dict[int, _Column]) -> _Layout:
    return _Layout(
        cols=tuple(cols),
        present=frozenset(mapping.values()),
        subsidy_categories=frozenset(_rule(subsidy).categories),
        allowed_labels="、".join(allowed_categories(subsidy).values()),
    )


def _read_row(check: _RowCheck, cells: dict[_Column, Any], layout: _Layout) -> dict[str, Any] | None:
    name_col, id_col, cat_col = layout.col("name"), layout.col("id"), layout.col("categories")
    name = _read_name(check, cells.get(name_col)) if name_col is not None else None
    id_number = _read_id(check, cells.get(id_col)) if id_col is not None else None
    categories = _read_categories(check, cells.get(cat_col), layout, cat_col.required) if cat_col else []
    facts: dict[str, Any] = {}
    for col in layout.cols:
        if col.fact is None or col not in layout.present:
            continue
        raw = cells.get(col)
        if _blank(raw):
            if col.required:
                check.error(
                    col.title, "ROSTER_VALUE_EMPTY", f"没有填写。请填写{_fact_rule_text(col.fact)[0]}。"
                )
            continue
        value = _read_fact(check, col, raw)
        if value is not None:
            facts[col.fact.id] = value
    if name is None or id_number is None or check.failed:
        return None
    return {"name": name, "id_number": id_number, "categories": categories, "facts": facts}


def _all_ids(
    rows: list[tuple[Any, ...]], header_index: int, mapping: dict[int, _Column]
) -> dict[str, list[int]]:
    """Normalised ID text -> Excel rows, over every row that has one (valid or not)."""
    position = next((i for i, c in mapping.items() if c.kind == "id"), None)
    seen: dict[str, list[int]] = {}
    if position is None:
        return seen
    for number, values in enumerate(rows[header_index + 1 :], start=header_index + 2):
        raw = values[position] if position < len(values) else None
        if not _blank(raw):
            seen.setdefault(_id_key(raw), []).append(number)
    return seen


def _id_key(raw: Any) -> str:
    """The ID as compared for duplicates: digits of a number, normalised text otherwise."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        exact = Decimal(str(raw))
        if exact == exact.to_integral_value():
            return str(int(exact))
    return normalise_id_number(_text(raw).lstrip("'‘’`"))


def _drop_duplicates(
    parsed: list[tuple[int, dict[str, Any]]],
    problems: list[RowProblem],
    rejected: set[int],
    sheet_ids: dict[str, list[int]],
) -> list[tuple[int, dict[str, Any]]]:
    """The same ID on two rows: every row involved is named, and none of them is kept."""
    repeated = {key: rows for key, rows in sheet_ids.items() if len(rows) > 1}
    if not repeated:
        return parsed
    by_row = {n: key for key, rows in repeated.items() for n in rows}
    names = {n: row["name"] for n, row in parsed}
    for key, rows in repeated.items():
        where = "、".join(f"第{n}行" + (f"（{names[n]}）" if n in names else "") for n in rows)
        for n in rows:
            problems.append(
                RowProblem(
                    n,
                    COL_ID,
                    "ROSTER_DUPLICATE_ID",
                    f"第{n}行“{COL_ID}”：身份证号 {key} 在{where}重复出现，同一人只能填一行。"
                    "请核对后删除多余的行（如是填错了号码，请改正）。",
                )
            )
            rejected.add(n)
    return [(n, row) for n, row in parsed if n not in by_row]


def _warn_earlier_claims(
    parsed: list[tuple[int, dict[str, Any]]],
    problems: list[RowProblem],
    year_history: YearHistory,
    subsidy: m.Subsidy,
) -> None:
    claims = year_history([row["id_number"] for _, row in parsed])
    for n, row in parsed:
        earlier = claims.get(row["id_number"])
        if earlier:
            problems.append(
                RowProblem(
                    n,
                    COL_ID,
                    "ROSTER_ALREADY_CLAIMED",
                    f"第{n}行“{COL_ID}”：{row['name']}今年已在其他案件中申报过“{subsidy.name}”："
                    f"{'；'.join(earlier)}。请核对是否重复申报；能否再享受由评估按文件规定判断。",
                    "warning",
                )
            )


# ---------------------------------------------------------------- database


# States in which an earlier case does not count as a claim: never submitted, or ended without money.
