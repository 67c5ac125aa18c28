"""Reading one cell of a roster row: names, ID numbers, categories and typed facts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from core.cases.roster.columns import (
    _CATEGORY_SPLIT,
    _DATE_DIGITS,
    _DATE_TEXT,
    _EXCEL_EPOCH,
    _FALSE,
    _INT_TEXT,
    _MONEY_TEXT,
    _SCIENTIFIC_TEXT,
    _SERIAL_MAX,
    _SERIAL_MIN,
    _TRUE,
    CATEGORY_ALIASES,
    COL_CATEGORIES,
    COL_ID,
    COL_NAME,
    NAME_MAX,
    SCIENTIFIC_HINT,
    _blank,
    _choice_labels,
    _Column,
    _fact_rule_text,
    _Layout,
    _norm_title,
    _range_text,
    _RowCheck,
    _show_number,
    _text,
)
from core.categories import POPULATION_CATEGORIES
from core.errors import ValidationError
from core.identity.id_number import parse_id_number
from core.policy import model as m


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
