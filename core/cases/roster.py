"""The worker roster (花名册) of an organisation case: Excel template, import with checks, storage.

An organisation (社区工厂, 就业帮扶基地, 职介机构 ...) applies for many workers at once and hands
in its roster as an .xlsx file. `roster_template` gives it a file with the right columns and a
sheet of instructions; `read_roster` reads the filled file back, checks every row and reports
every problem at once, each naming the Excel row, the column and the fix; `set_roster` stores
the good rows on the case. Whether a row earns money is decided later by the engine
(`core.cases.intake.assess_case`), never here: a worker already claimed this year is only a
warning at import.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core import audit
from core.cases.states import CaseStatus, status_label
from core.categories import POPULATION_CATEGORIES
from core.db.models import Case, CaseBeneficiary, Person
from core.errors import SubsidyDeskError, ValidationError
from core.identity.id_number import normalise_id_number, parse_id_number
from core.policy import model as m

Severity = Literal["error", "warning"]
YearHistory = Callable[[list[str]], dict[str, list[str]]]

COL_SEQ = "序号"
COL_NAME = "姓名"
COL_ID = "身份证号"
COL_CATEGORIES = "人员类别"
INSTRUCTIONS_SHEET = "填写说明"

NAME_MAX = 40  # CaseBeneficiary.name is String(40)
TEMPLATE_ROWS = 500  # rows pre-formatted in the template (ID as text, dates as dates)
HEADER_SCAN_ROWS = 10  # a title row or two above the header is tolerated
_QUERY_CHUNK = 500  # ID numbers per IN (...) clause; SQLite limits bound parameters

# Words for categories that offices use besides the labels of POPULATION_CATEGORIES
# (docs: /work/shared/GLOSSARY.md, "Population categories").
CATEGORY_ALIASES: dict[str, str] = {
    "脱贫劳动力": "poverty_alleviated",
    "脱贫户": "poverty_alleviated",
    "监测帮扶对象": "monitored",
    "边缘户": "marginal_at_risk",
    "边缘易致贫户": "marginal_at_risk",
    "易地扶贫搬迁人口": "relocated",
    "零就业家庭": "zero_employment_household",
    "农村低收入劳动力": "rural_low_income",
    "低保对象": "rural_minimum_living",
}
_CATEGORY_SPLIT = re.compile(r"[,，、;；/／\s]+")

_TRUE = {"是", "是的", "y", "yes", "true", "1", "√", "✓", "对", "有"}
_FALSE = {"否", "不是", "n", "no", "false", "0", "×", "✗", "x", "无", "没有"}

_SCIENTIFIC_TEXT = re.compile(r"\d+(\.\d+)?e\+?\d+", re.IGNORECASE)
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
_INT_TEXT = re.compile(r"[+-]?\d+(\.0+)?")
_MONEY_TEXT = re.compile(r"\d+(\.\d+)?")
# Excel serial day numbers of 1990-01-01 and 2100-12-31: a plain number in this range in a date
# column is a date whose cell lost its date format.
_SERIAL_MIN, _SERIAL_MAX = 32874, 73415
_EXCEL_EPOCH = dt.date(1899, 12, 30)

SCIENTIFIC_HINT = "身份证号被Excel改成了科学计数法，请把该列设为文本后重新填写"


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with the file; `row_number` is the row as Excel numbers it."""

    row_number: int
    column: str
    code: str
    message_zh: str
    severity: Severity = "error"


@dataclass(frozen=True)
class RosterCounts:
    total: int  # non-empty data rows
    valid: int  # rows returned in `rows`
    rejected: int  # rows with at least one error
    errors: int
    warnings: int


@dataclass(frozen=True)
class RosterImport:
    """What `read_roster` found.

    `rows` are the rows without errors, as keyword arguments for CaseBeneficiary (name,
    id_number, categories as codes, facts as JSON values: ISO dates, ints, fen, bools, choice
    values); `row_numbers[i]` is the Excel row of `rows[i]`. Rows with only warnings are kept.
    """

    rows: tuple[dict[str, Any], ...]
    row_numbers: tuple[int, ...]
    problems: tuple[RowProblem, ...]
    counts: RosterCounts
    ignored_columns: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[RowProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[RowProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """No errors: every non-empty row of the file is in `rows`."""
        return not self.errors


# ---------------------------------------------------------------- columns


@dataclass(frozen=True)
class _Column:
    title: str
    kind: str  # seq | name | id | categories | fact
    required: bool
    fact: m.Fact | None = None


def _rule(subsidy: m.Subsidy) -> m.BeneficiaryRule:
    if subsidy.beneficiary is None:
        raise SubsidyDeskError(
            "ROSTER_NOT_APPLICABLE", f"“{subsidy.name}”不按人员花名册申请，不需要导入花名册。"
        )
    return subsidy.beneficiary


def fact_title(fact: m.Fact) -> str:
    """The column title of a fact: its label with the unit, e.g. 劳动合同期限（个月）."""
    unit = fact.unit or ("元" if fact.type == "money" else "")
    return f"{fact.label}（{unit}）" if unit else fact.label


def _columns(subsidy: m.Subsidy) -> list[_Column]:
    rule = _rule(subsidy)
    cols = [
        _Column(COL_SEQ, "seq", False),
        _Column(COL_NAME, "name", True),
        _Column(COL_ID, "id", True),
        _Column(COL_CATEGORIES, "categories", bool(rule.categories)),
    ]
    cols.extend(_Column(fact_title(f), "fact", _fact_required(f), f) for f in rule.facts)
    return cols


def _fact_required(fact: m.Fact) -> bool:
    return fact.required and fact.required_when is None


def _norm_title(text: object) -> str:
    """Compare titles without spaces, line breaks, required marks or full/half-width differences."""
    folded = unicodedata.normalize("NFKC", str(text))
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "*")


def allowed_categories(subsidy: m.Subsidy) -> dict[str, str]:
    """Code -> label of the categories the template offers: the subsidy's, or all."""
    rule = _rule(subsidy)
    if rule.categories:
        return {c: POPULATION_CATEGORIES.get(c, c) for c in rule.categories}
    return dict(POPULATION_CATEGORIES)


def _choice_labels(fact: m.Fact) -> str:
    return "、".join(c.label for c in fact.choices)


def _fact_rule_text(fact: m.Fact) -> tuple[str, str]:
    """(what to write, allowed values) for the instructions sheet and messages."""
    if fact.type == "date":
        return "日期，写成 2022-01-10（也可用 2022/1/10 或Excel日期格式）", "有效日期"
    if fact.type == "int":
        return "整数" + (f"，单位：{fact.unit}" if fact.unit else ""), _range_text(fact)
    if fact.type == "money":
        return "金额，单位：元，最多两位小数，例如 1200 或 1200.50", _range_text(fact)
    if fact.type == "bool":
        return "填“是”或“否”", "是、否"
    if fact.type == "choice":
        return "从下列选项中选一个，照原样填写", _choice_labels(fact)
    limit = f"，最多{fact.max_length}个字" if fact.max_length else ""
    return "文字" + limit, ""


def _show_number(fact: m.Fact, value: int) -> str:
    if fact.type == "money":
        yuan = Decimal(value) / 100
        return f"{yuan:f}元"
    return f"{value}{fact.unit}"


def _range_text(fact: m.Fact) -> str:
    if fact.min is not None and fact.max is not None:
        return f"{_show_number(fact, fact.min)}至{_show_number(fact, fact.max)}"
    if fact.min is not None:
        return f"不小于{_show_number(fact, fact.min)}"
    if fact.max is not None:
        return f"不大于{_show_number(fact, fact.max)}"
    return ""


# ---------------------------------------------------------------- template


def roster_template(subsidy: m.Subsidy) -> bytes:
    """An .xlsx roster template for the subsidy: the roster sheet and a 填写说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = _rule(subsidy)
    cols = _columns(subsidy)
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    last_row = TEMPLATE_ROWS + 1
    for index, col in enumerate(cols, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=col.title)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = _width(col)
        fmt = _number_format(col)
        if fmt is not None:
            # The column default is for rows typed beyond the pre-formatted ones.
            ws.column_dimensions[letter].number_format = fmt
            for row in range(2, last_row + 1):
                ws.cell(row=row, column=index).number_format = fmt
        validation = _validation(col, DataValidation)
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last_row}")
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 36

    info = wb.create_sheet(INSTRUCTIONS_SHEET)
    _write_instructions(info, subsidy, rule, cols, bold)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _width(col: _Column) -> float:
    if col.kind == "seq":
        return 6
    if col.kind == "id":
        return 22
    if col.kind == "name":
        return 12
    return max(14.0, min(40.0, len(col.title) * 2.0 + 2))


def _number_format(col: _Column) -> str | None:
    if col.kind in ("id", "name", "categories"):
        return "@"  # text: Excel must not turn 18 digits into 6.1E+17
    if col.fact is None:
        return None
    if col.fact.type == "date":
        return "yyyy-mm-dd"
    if col.fact.type == "money":
        return "0.00"
    if col.fact.type in ("text", "choice", "bool"):
        return "@"
    return None


def _validation(col: _Column, factory: Any) -> Any:
    """An Excel drop-down or range check where Excel can do it; the import checks again."""
    fact = col.fact
    if fact is None:
        return None
    if fact.type == "bool":
        return factory(
            type="list",
            formula1='"是,否"',
            allow_blank=True,
            showErrorMessage=True,
            error="请选择“是”或“否”。",
            errorTitle=col.title,
        )
    if fact.type == "choice":
        labels = [c.label for c in fact.choices]
        formula = '"' + ",".join(labels) + '"'
        if any("," in x or '"' in x for x in labels) or len(formula) > 255:
            return None
        return factory(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            error=f"请从下拉列表中选择：{_choice_labels(fact)}。",
            errorTitle=col.title,
        )
    if fact.type == "int" and fact.min is not None and fact.max is not None:
        return factory(
            type="whole",
            operator="between",
            formula1=str(fact.min),
            formula2=str(fact.max),
            allow_blank=True,
            showErrorMessage=True,
            error=f"请填写{_range_text(fact)}之间的整数。",
            errorTitle=col.title,
        )
    return None


def _write_instructions(
    ws: Any, subsidy: m.Subsidy, rule: m.BeneficiaryRule, cols: list[_Column], bold: Any
) -> None:
    ws.append([f"《{subsidy.name}》{rule.label}花名册 填写说明"])
    ws["A1"].font = bold
    if rule.clause is not None:
        ws.append([f"文件依据（{rule.clause.section}）：{rule.clause.text}"])
    if rule.min_count:
        ws.append([f"文件要求符合条件的人员至少{rule.min_count}人。"])
    ws.append(["1. 每人填一行；同一身份证号只能出现一次。第一行的列名请不要修改，列的先后顺序可以调整。"])
    ws.append(
        [
            "2. “身份证号”列已设为文本格式。从其他表格复制时请用“选择性粘贴→数值”；"
            "如果身份证号显示成 6.1E+17 这样的科学计数法，说明后几位已被Excel改掉，"
            "须把该列设为文本后重新填写。"
        ]
    )
    ws.append(["3. 多个人员类别用顿号（、）或逗号分隔，例如“脱贫人口、农民工”。"])
    ws.append(["4. 不需要的空行可以留着，导入时会跳过；导入时会逐行检查并一次列出所有问题。"])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(["列名", "是否必填", "填写要求", "可以填的值"])
    for cell in ws[header_row]:
        cell.font = bold
    for col in cols:
        ws.append([col.title, "必填" if col.required else "选填", *_column_help(col)])
    for letter, width in zip("ABCD", (36, 10, 50, 60), strict=True):
        ws.column_dimensions[letter].width = width
    cats = allowed_categories(subsidy)
    ws.append([])
    ws.append(["人员类别可填："])
    ws.cell(row=ws.max_row, column=1).font = bold
    for label in cats.values():
        ws.append([label])


def _column_help(col: _Column) -> tuple[str, str]:
    if col.kind == "seq":
        return "1、2、3……，可不填，导入时不使用", ""
    if col.kind == "name":
        return f"与身份证上的姓名一致，最多{NAME_MAX}个字", ""
    if col.kind == "id":
        return "18位居民身份证号，最后一位可以是X；请按文本填写", "18位身份证号"
    if col.kind == "categories":
        return "该人员所属的人员类别，可填多个，用顿号分隔", "见下方“人员类别可填”"
    assert col.fact is not None
    what, allowed = _fact_rule_text(col.fact)
    if col.fact.help:
        what = f"{what}。{col.fact.help}"
    return what, allowed


# ---------------------------------------------------------------- reading


class _RowCheck:
    """Collects the problems of one row."""

    def __init__(self, row_number: int, problems: list[RowProblem]) -> None:
        self.row_number = row_number
        self.problems = problems
        self.failed = False

    def error(self, column: str, code: str, text: str) -> None:
        self.failed = True
        self.problems.append(
            RowProblem(self.row_number, column, code, f"第{self.row_number}行“{column}”：{text}")
        )

    def warn(self, column: str, code: str, text: str) -> None:
        self.problems.append(
            RowProblem(self.row_number, column, code, f"第{self.row_number}行“{column}”：{text}", "warning")
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
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise SubsidyDeskError(
            "ROSTER_FILE",
            "花名册文件无法读取：只支持Excel 2007及以后的 .xlsx 文件。"
            "如果是 .xls 或 WPS 文件，请在Excel/WPS中“另存为”.xlsx 后再导入。",
        ) from exc
    try:
        ws = wb.worksheets[0]
        return [tuple(r) for r in ws.iter_rows(values_only=True)]
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


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


@dataclass(frozen=True)
class _Layout:
    """What every row is read against, worked out once per file."""

    cols: tuple[_Column, ...]
    present: frozenset[_Column]
    subsidy_categories: frozenset[str]
    allowed_labels: str

    def col(self, kind: str) -> _Column | None:
        found = next(c for c in self.cols if c.kind == kind)
        return found if found in self.present else None


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


def _read_name(check: _RowCheck, raw: Any) -> str | None:
    name = "" if _blank(raw) else _text(raw)
    if not name:
        check.error(COL_NAME, "ROSTER_NAME_EMPTY", "姓名没有填写。请按身份证填写该人员的姓名。")
        return None
    if len(name) > NAME_MAX:
        check.error(
            COL_NAME, "ROSTER_NAME_TOO_LONG", f"姓名最多{NAME_MAX}个字，现在是{len(name)}个字，请核对。"
        )
        return None
    return name


def _read_id(check: _RowCheck, raw: Any) -> str | None:
    if _blank(raw):
        check.error(COL_ID, "ID_EMPTY", "身份证号没有填写。请填写18位身份证号。")
        return None
    if isinstance(raw, bool):
        check.error(COL_ID, "ID_CHARS", "身份证号不是号码。请填写18位身份证号。")
        return None
    if isinstance(raw, int | float | Decimal):
        return _read_numeric_id(check, raw)
    text = _text(raw).lstrip("'‘’`")
    if _SCIENTIFIC_TEXT.fullmatch(text.replace(" ", "")):
        check.error(
            COL_ID,
            "ROSTER_ID_SCIENTIFIC",
            f"{SCIENTIFIC_HINT}（现在是“{text}”，后几位数字已丢失，无法恢复）。",
        )
        return None
    try:
        return parse_id_number(text).number
    except ValidationError as exc:
        check.error(COL_ID, exc.code, exc.message_zh)
        return None


def _read_numeric_id(check: _RowCheck, raw: int | float | Decimal) -> str | None:
    """A number in the ID column: fine if all 18 digits survived, else Excel rounded it."""
    try:
        exact = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
    except InvalidOperation:
        exact = Decimal(-1)
    if exact < 0 or exact != exact.to_integral_value():
        check.error(COL_ID, "ID_CHARS", f"身份证号应为18位号码，现在是“{raw}”。请按身份证逐位填写。")
        return None
    digits = str(int(exact))
    # Excel keeps 15 significant digits; a float never holds 18 digits exactly.
    rounded = len(digits) > 15 and (isinstance(raw, float) or len(digits.rstrip("0")) <= 15)
    try:
        number = parse_id_number(digits).number
    except ValidationError as exc:
        if rounded:
            shown = f"{raw:.5E}" if isinstance(raw, float) else digits
            check.error(
                COL_ID,
                "ROSTER_ID_SCIENTIFIC",
                f"{SCIENTIFIC_HINT}（现在是“{shown}”，后几位数字已丢失，无法恢复）。",
            )
        else:
            check.error(COL_ID, exc.code, exc.message_zh)
        return None
    if rounded:
        # Valid by the check digit, but the last digits may be Excel's zeros rather than the card's.
        check.warn(
            COL_ID,
            "ROSTER_ID_NUMERIC",
            f"身份证号 {number} 在Excel中是数字格式，末几位可能已被Excel改成0。请对照身份证核对，"
            "并把该列设为文本。",
        )
    return number


def _category_lookup() -> dict[str, str]:
    lookup = {_norm_title(alias): code for alias, code in CATEGORY_ALIASES.items()}
    for code, label in POPULATION_CATEGORIES.items():
        lookup[code] = code
        lookup[_norm_title(label)] = code
    return lookup


_CATEGORY_LOOKUP = _category_lookup()


def category_code(label: str) -> str | None:
    """The category code of a label the clerk wrote (label, glossary word, or code)."""
    return _CATEGORY_LOOKUP.get(_norm_title(label))


def _read_categories(check: _RowCheck, raw: Any, layout: _Layout, required: bool) -> list[str]:
    tokens = [] if _blank(raw) else [t for t in _CATEGORY_SPLIT.split(_text(raw)) if t]
    if not tokens:
        if required:
            check.error(
                COL_CATEGORIES,
                "ROSTER_CATEGORY_EMPTY",
                f"人员类别没有填写。请填写以下之一：{layout.allowed_labels}。",
            )
        return []
    codes: list[str] = []
    all_known = True
    for token in tokens:
        code = category_code(token)
        if code is None:
            all_known = False
            check.error(
                COL_CATEGORIES,
                "ROSTER_CATEGORY_UNKNOWN",
                f"“{token}”不是本程序认识的人员类别。请改为以下之一：{layout.allowed_labels}；多个类别用顿号分隔。",
            )
        elif code not in codes:
            codes.append(code)
    covered = layout.subsidy_categories
    if all_known and covered and not covered.intersection(codes):
        labels = "、".join(POPULATION_CATEGORIES.get(c, c) for c in codes)
        check.warn(
            COL_CATEGORIES,
            "ROSTER_CATEGORY_NOT_COVERED",
            f"“{labels}”不在本补贴规定的人员类别（{layout.allowed_labels}）中，评估时该人员将不计入。请核对。",
        )
    return sorted(codes)


def _read_fact(check: _RowCheck, col: _Column, raw: Any) -> Any:
    fact = col.fact
    assert fact is not None
    readers: dict[str, Callable[[_RowCheck, _Column, m.Fact, Any], Any]] = {
        "date": _read_date,
        "int": _read_int,
        "money": _read_money,
        "bool": _read_bool,
        "choice": _read_choice,
    }
    return readers.get(fact.type, _read_text)(check, col, fact, raw)


def _wrong(check: _RowCheck, col: _Column, fact: m.Fact, raw: Any) -> None:
    shown = raw.isoformat() if isinstance(raw, dt.date) else _text(raw)
    check.error(col.title, "ROSTER_VALUE_TYPE", f"“{shown}”不符合要求。应填{_fact_rule_text(fact)[0]}。")


def _in_range(check: _RowCheck, col: _Column, fact: m.Fact, value: int) -> int | None:
    if (fact.min is not None and value < fact.min) or (fact.max is not None and value > fact.max):
        check.error(
            col.title,
            "ROSTER_VALUE_RANGE",
            f"{_show_number(fact, value)}超出范围，应在{_range_text(fact)}之间。请核对。",
        )
        return None
    return value


def _read_date(check: _RowCheck, col: _Column, fact: m.Fact, raw: Any) -> str | None:
    value: dt.date | None = None
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer() and _SERIAL_MIN <= raw <= _SERIAL_MAX:
            value = _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        elif float(raw).is_integer():
            value = _date_from(_DATE_DIGITS.fullmatch(str(int(raw))))
    else:
        text = _text(raw)
        value = _date_from(_DATE_TEXT.fullmatch(text) or _DATE_DIGITS.fullmatch(text))
    if value is None:
        _wrong(check, col, fact, raw)
        return None
    return value.isoformat()


def _date_from(match: re.Match[str] | None) -> dt.date | None:
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _read_int(check: _RowCheck, col: _Column, fact: m.Fact, raw: Any) -> int | None:
    value: int | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str):
        text = _text(raw).replace(",", "")
        if fact.unit:
            text = text.removesuffix(fact.unit).strip()
        if _INT_TEXT.fullmatch(text):
            value = int(Decimal(text))
    if value is None:
        _wrong(check, col, fact, raw)
        return None
    return _in_range(check, col, fact, value)


def _read_money(check: _RowCheck, col: _Column, fact: m.Fact, raw: Any) -> int | None:
    amount: Decimal | None = None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        amount = Decimal(str(raw))
    elif isinstance(raw, str):
        text = _text(raw).replace(",", "").removesuffix("元").strip()
        if _MONEY_TEXT.fullmatch(text):
            amount = Decimal(text)
    if amount is None or amount < 0:
        _wrong(check, col, fact, raw)
        return None
    fen = amount * 100
    if fen != fen.to_integral_value():
        check.error(
            col.title, "ROSTER_VALUE_TYPE", f"“{_text(raw)}”最多只能有两位小数（元、角、分）。请改正。"
        )
        return None
    return _in_range(check, col, fact, int(fen))


def _read_bool(check: _RowCheck, col: _Column, fact: m.Fact, raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    key = _text(raw).lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    _wrong(check, col, fact, raw)
    return None


def _read_choice(check: _RowCheck, col: _Column, fact: m.Fact, raw: Any) -> str | None:
    key = _norm_title(_text(raw))
    for choice in fact.choices:
        if key in (_norm_title(choice.label), _norm_title(choice.value)):
            return choice.value
    check.error(
        col.title,
        "ROSTER_VALUE_CHOICE",
        f"“{_text(raw)}”不是可选的值。请改为以下之一：{_choice_labels(fact)}。",
    )
    return None


def _read_text(check: _RowCheck, col: _Column, fact: m.Fact, raw: Any) -> str | None:
    text = _text(raw)
    if fact.max_length is not None and len(text) > fact.max_length:
        check.error(
            col.title, "ROSTER_VALUE_TOO_LONG", f"最多{fact.max_length}个字，现在是{len(text)}个字。请删减。"
        )
        return None
    return text


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
_NOT_CLAIMED = (CaseStatus.DRAFT.value, CaseStatus.WITHDRAWN.value, CaseStatus.REJECTED.value)


def year_claims(
    session: Session,
    subsidy_id: str,
    year: int,
    id_numbers: Sequence[str],
    exclude_case_id: int | None = None,
) -> dict[str, list[str]]:
    """ID number -> earlier claims of the subsidy in `year` (application year), described for the clerk.

    A claim is another case of the same subsidy, in any state except draft, withdrawn and
    rejected, where the person is the applicant or on the roster; e.g.
    "2022-000123 职业介绍补贴（已受理）".
    """
    wanted = sorted({n for n in id_numbers if n})
    out: dict[str, list[str]] = {}
    if not wanted:
        return out
    base = [
        Case.subsidy_id == subsidy_id,
        Case.application_date >= dt.date(year, 1, 1),
        Case.application_date <= dt.date(year, 12, 31),
        Case.status.not_in(_NOT_CLAIMED),
    ]
    if exclude_case_id is not None:
        base.append(Case.id != exclude_case_id)
    found: list[tuple[str, Case]] = []
    for chunk in _chunks(wanted, _QUERY_CHUNK):
        found.extend(
            (n, c)
            for n, c in session.execute(
                select(CaseBeneficiary.id_number, Case)
                .join(Case, CaseBeneficiary.case_id == Case.id)
                .where(CaseBeneficiary.id_number.in_(chunk), *base)
            )
        )
        found.extend(
            (n, c)
            for n, c in session.execute(
                select(Person.id_number, Case)
                .join(Case, Case.person_id == Person.id)
                .where(Person.id_number.in_(chunk), *base)
            )
        )
    found.sort(key=lambda pair: (pair[1].application_date, pair[1].id))
    for number, case in found:
        text = describe_claim(case)
        claims = out.setdefault(number, [])
        if text not in claims:
            claims.append(text)
    return out


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def describe_claim(case: Case) -> str:
    """The case number, the subsidy and the state, e.g. 2022-000123 职业介绍补贴（已受理）."""
    number = case.case_number or f"未编号案件（{case.application_date.isoformat()}申请）"
    return f"{number} {_subsidy_name(case)}（{status_label(case.status)}）"


def _subsidy_name(case: Case) -> str:
    from core.policy.service import get_catalog

    try:
        subsidy = get_catalog(case.catalog_id).subsidy(case.subsidy_id)
    except SubsidyDeskError:  # a catalog no longer installed must not hide the claim
        subsidy = None
    return subsidy.name if subsidy is not None else case.subsidy_id


def claims_for(session: Session, case: Case) -> YearHistory:
    """The `year_history` callback of `read_roster` for a case: same subsidy, same application year."""

    def lookup(id_numbers: list[str]) -> dict[str, list[str]]:
        return year_claims(session, case.subsidy_id, case.application_date.year, id_numbers, case.id)

    return lookup


def set_roster(session: Session, case_id: int, rows: Sequence[Mapping[str, Any]], actor: str) -> int:
    """Replace the case's roster with `rows` (from `RosterImport.rows`); returns the new count.

    Runs in the caller's transaction: the old rows, the new rows and the audit event
    ("roster", {"rows": [old, new]}) are written together or not at all. Refused when the
    case can no longer be edited, or when the rows are not a clean roster.
    """
    from core.cases.intake import ensure_editable, subsidy_of
    from core.cases.service import get_case

    case = get_case(session, case_id)
    ensure_editable(case)
    _rule(subsidy_of(case))
    _check_rows(rows)
    old = session.scalar(
        select(func.count()).select_from(CaseBeneficiary).where(CaseBeneficiary.case_id == case_id)
    )
    session.execute(delete(CaseBeneficiary).where(CaseBeneficiary.case_id == case_id))
    for index, row in enumerate(rows, start=1):
        session.add(
            CaseBeneficiary(
                case_id=case_id,
                row_no=index,
                name=str(row["name"]),
                id_number=str(row["id_number"]),
                categories=list(row.get("categories") or []),
                facts=dict(row.get("facts") or {}),
            )
        )
    session.flush()
    audit.record(session, actor, "roster", "case", case.uuid, {"rows": [old or 0, len(rows)]})
    return len(rows)


def _check_rows(rows: Sequence[Mapping[str, Any]]) -> None:
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        name, number = str(row.get("name") or "").strip(), str(row.get("id_number") or "")
        if not name or len(name) > NAME_MAX:
            raise SubsidyDeskError("ROSTER_ROW", f"花名册第{index}人的姓名为空或过长，请重新导入花名册。")
        try:
            parse_id_number(number)
        except ValidationError as exc:
            raise SubsidyDeskError("ROSTER_ROW", f"花名册第{index}人（{name}）：{exc.message_zh}") from None
        if number in seen:
            raise SubsidyDeskError(
                "ROSTER_DUPLICATE_ID", f"花名册第{index}人（{name}）的身份证号重复出现，同一人只能有一行。"
            )
        seen.add(number)


__all__ = [
    "CATEGORY_ALIASES",
    "SCIENTIFIC_HINT",
    "RosterCounts",
    "RosterImport",
    "RowProblem",
    "allowed_categories",
    "category_code",
    "claims_for",
    "describe_claim",
    "fact_title",
    "read_roster",
    "roster_template",
    "set_roster",
    "year_claims",
]
