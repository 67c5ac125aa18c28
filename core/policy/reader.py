"""Typed reading of raw JSON values that records every problem instead of stopping.

Each reader returns a usable value (or None) and appends a CatalogError when the raw value
is wrong, so the loader can go on and report all mistakes of a file at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from core.policy.errors import CatalogError

_COMMENT_KEYS = frozenset({"note", "notes", "comment"})
_FRACTION = re.compile(r"^\s*-?\d+(\.\d+)?(\s*/\s*\d+)?\s*$")

Raw = dict[str, Any]


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def type_name(value: object) -> str:
    names = {bool: "布尔值", int: "整数", float: "小数", str: "字符串", list: "列表", dict: "对象"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


class Reader:
    """Collects CatalogErrors for one file; `subsidy` names the subsidy being read."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.subsidy: str | None = None
        self.errors: list[CatalogError] = []

    def error(self, path: str, code: str, message_zh: str) -> None:
        self.errors.append(CatalogError(self.file, self.subsidy, path, message_zh, code))

    def obj(self, raw: object, path: str, allowed: Iterable[str], required: Iterable[str] = ()) -> Raw | None:
        """A JSON object with only `allowed` keys (plus note/comment and `_`-prefixed keys)."""
        if not isinstance(raw, dict):
            self.error(path, "CATALOG_SCHEMA", f"应为对象 {{...}}，现在是{type_name(raw)}。")
            return None
        allowed_set = set(allowed)
        for key in raw:
            if key not in allowed_set and key not in _COMMENT_KEYS and not key.startswith("_"):
                self.error(
                    join(path, key),
                    "CATALOG_UNKNOWN_KEY",
                    f"未知字段“{key}”（可用字段：{'、'.join(sorted(allowed_set))}）。"
                    "注释请写在 note 或以下划线开头的字段中。",
                )
        for key in required:
            if key not in raw:
                self.error(join(path, key), "CATALOG_MISSING", f"缺少必填字段“{key}”。")
        return raw

    def items(self, d: Raw, key: str, path: str, required: bool = False) -> list[tuple[str, Any]]:
        """The elements of a list field, each with its own path."""
        raw = d.get(key)
        p = join(path, key)
        if raw is None:
            if required and key in d:
                self.error(p, "CATALOG_SCHEMA", "应为列表 [...]，不能为 null。")
            return []
        if not isinstance(raw, list):
            self.error(p, "CATALOG_SCHEMA", f"应为列表 [...]，现在是{type_name(raw)}。")
            return []
        return [(join(p, i), item) for i, item in enumerate(raw)]

    def text(self, d: Raw, key: str, path: str, default: str = "") -> str:
        raw = d.get(key)
        if raw is None:
            return default
        if not isinstance(raw, str):
            self.error(join(path, key), "CATALOG_SCHEMA", f"应为字符串，现在是{type_name(raw)}。")
            return default
        return raw

    def ident(self, d: Raw, key: str, path: str) -> str:
        """A snake_case id (required)."""
        raw = d.get(key)
        if not isinstance(raw, str) or not re.fullmatch(r"[a-z][a-z0-9_\-]*", raw):
            self.error(
                join(path, key),
                "CATALOG_BAD_ID",
                f"标识“{raw}”应为小写英文字母、数字和下划线组成的字符串（snake_case）。",
            )
            return str(raw) if raw is not None else ""
        return raw

    def integer(self, d: Raw, key: str, path: str, default: int | None = None) -> int | None:
        raw = d.get(key)
        if raw is None:
            return default
        if isinstance(raw, bool) or not isinstance(raw, int):
            code = "CATALOG_MONEY_NOT_INT" if key.endswith("fen") else "CATALOG_SCHEMA"
            unit = "分（整数，不要用小数或字符串）" if key.endswith("fen") else "整数"
            self.error(join(path, key), code, f"应为{unit}，现在是{type_name(raw)} {raw!r}。")
            return default
        return raw

    def boolean(self, d: Raw, key: str, path: str, default: bool) -> bool:
        raw = d.get(key)
        if raw is None:
            return default
        if not isinstance(raw, bool):
            self.error(join(path, key), "CATALOG_SCHEMA", f"应为 true 或 false，现在是{raw!r}。")
            return default
        return raw

    def date(self, d: Raw, key: str, path: str) -> dt.date | None:
        return self.date_value(d.get(key), join(path, key))

    def date_value(self, raw: object, path: str) -> dt.date | None:
        if raw is None:
            return None
        if isinstance(raw, str):
            try:
                return dt.date.fromisoformat(raw) if len(raw) == 10 else _bad_date()
            except ValueError:
                pass
        self.error(path, "CATALOG_BAD_DATE", f"日期“{raw}”无效，应写成 YYYY-MM-DD，且须是真实日期。")
        return None

    def fraction(self, d: Raw, key: str, path: str) -> Fraction | None:
        return self.fraction_value(d.get(key), join(path, key))

    def fraction_value(self, raw: object, path: str) -> Fraction | None:
        if raw is None:
            return None
        if isinstance(raw, str) and _FRACTION.match(raw):
            try:
                return Fraction(raw.replace(" ", ""))
            except ZeroDivisionError:
                pass
        hint = "（不要用 JSON 小数，以免精度误差）" if isinstance(raw, float) else ""
        self.error(
            path,
            "CATALOG_BAD_RATIO",
            f'比例“{raw!r}”无效，应为字符串形式的小数或分数，如 "0.3"、"1/3"、"15"{hint}。',
        )
        return None

    def enum(self, d: Raw, key: str, path: str, allowed: Iterable[str], default: str) -> str:
        raw = d.get(key)
        options = list(allowed)
        if raw is None:
            if default == "":
                self.error(join(path, key), "CATALOG_MISSING", f"缺少“{key}”，可选：{'、'.join(options)}。")
            return default
        if raw not in options:
            self.error(
                join(path, key), "CATALOG_BAD_VALUE", f"“{raw}”不是可用的取值，可选：{'、'.join(options)}。"
            )
            return default
        return str(raw)

    def str_list(self, d: Raw, key: str, path: str, allowed: Iterable[str] | None = None) -> tuple[str, ...]:
        options = set(allowed) if allowed is not None else None
        out: list[str] = []
        for p, item in self.items(d, key, path):
            if not isinstance(item, str):
                self.error(p, "CATALOG_SCHEMA", f"应为字符串，现在是{type_name(item)}。")
            elif options is not None and item not in options:
                self.error(
                    p, "CATALOG_BAD_VALUE", f"“{item}”不是可用的取值，可选：{'、'.join(sorted(options))}。"
                )
            else:
                out.append(item)
        return tuple(out)


def _bad_date() -> dt.date:
    raise ValueError("not YYYY-MM-DD")
