"""Roster columns, limits and the shapes of an import's result."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from core.categories import POPULATION_CATEGORIES
from core.errors import SubsidyDeskError
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
