"""Reading tests (the expression language) and amount rules from catalog JSON.

Every fact a test or rule names is checked against the facts in scope, with its type,
so a typo in a catalog is a load error and never a silent `unknown` at the counter.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from core.policy import model as m
from core.policy.reader import Reader, join
from core.policy.vocab import BOOL_OPS, CATEGORIES, COMPARE_OPS, FACT_TYPE_ZH, LIST_OPS, NUMBER_OPS

Facts = Mapping[str, m.Fact]
R = TypeVar("R", m.Condition, m.Window, m.Limit)
_VARIANT_FORBIDDEN = ("id", "reading", "variants")


class RuleReader:
    """Parses tests and amount rules of one subsidy, knowing its facts and parameters."""

    def __init__(
        self,
        r: Reader,
        facts: Facts,
        parameters: Mapping[str, m.Parameter],
        roster: bool,
        readings: Mapping[str, m.Reading] | None = None,
        bound: set[str] | None = None,
    ) -> None:
        self.r = r
        self.facts = facts
        self.parameters = parameters
        self.roster = roster
        self.readings = readings or {}
        self.bound = bound if bound is not None else set()  # reading ids some rule depends on

    def with_facts(self, facts: Facts, roster: bool) -> RuleReader:
        return RuleReader(self.r, facts, self.parameters, roster, self.readings, self.bound)

    # ------------------------------------------------------------ rules bound to a county reading

    def variants(self, raw: object, path: str, parse_one: Callable[[Any, str], R]) -> R:
        """A condition, window or limit; with `reading`, also its variant under each alternative.

        The base rule applies under every alternative that `variants` does not name; a variant
        replaces the base's keys under its alternative (`"active": false` drops the rule there).
        """
        if not isinstance(raw, dict) or "reading" not in raw:
            return parse_one(raw, path)
        base_raw = {k: v for k, v in raw.items() if k not in ("reading", "variants")}
        base = parse_one(base_raw, path)
        reading = self._reading_ref(raw.get("reading"), join(path, "reading"))
        out: list[tuple[str, R | None]] = []
        given = raw.get("variants", {})
        if not isinstance(given, dict) or not given:
            self.r.error(
                join(path, "variants"),
                "CATALOG_SCHEMA",
                "variants 应为对象 {可选理解标识: 该理解下的改动}，不能为空。",
            )
            given = {}
        for alt, over in given.items():
            p = join(join(path, "variants"), alt)
            ok, variant = self._variant(reading, alt, over, base_raw, p, parse_one)
            if ok:
                out.append((alt, variant))
        return dataclasses.replace(base, reading=reading.id if reading else None, variants=tuple(out))

    def _variant(
        self,
        reading: m.Reading | None,
        alt: str,
        over: object,
        base_raw: dict[str, Any],
        path: str,
        parse_one: Callable[[Any, str], R],
    ) -> tuple[bool, R | None]:
        """(usable, the rule under `alt`); a rule absent under `alt` is (True, None)."""
        if reading is not None and reading.alternative(alt) is None:
            options = "、".join(a.id for a in reading.alternatives)
            self.r.error(
                path, "CATALOG_BAD_VALUE", f"解读“{reading.id}”没有可选理解“{alt}”（可选：{options}）。"
            )
            return False, None
        if reading is not None and alt == reading.default:
            # The rule as written is the default reading: what a screen shows without a selection.
            self.r.error(
                path,
                "CATALOG_BAD_VARIANT",
                f"“{alt}”是默认理解，按默认理解的规则应直接写在规则本身，不写在 variants 中。",
            )
            return False, None
        if not isinstance(over, dict):
            self.r.error(path, "CATALOG_SCHEMA", "每个可选理解下的改动应为对象 {...}。")
            return False, None
        bad = [k for k in over if k in _VARIANT_FORBIDDEN]
        if bad:
            self.r.error(path, "CATALOG_BAD_VARIANT", f"可选理解下不能改动“{'、'.join(bad)}”。")
            return False, None
        if over.get("active") is False:
            return True, None
        merged = {**base_raw, **{k: v for k, v in over.items() if k != "active"}}
        return True, self._quietly(lambda: parse_one(merged, path))

    def _quietly(self, parse: Callable[[], R]) -> R:
        """Parse a variant without repeating the base rule's own errors."""
        seen = {(e.code, e.message_zh) for e in self.r.errors}
        before = len(self.r.errors)
        result = parse()
        fresh = [e for e in self.r.errors[before:] if (e.code, e.message_zh) not in seen]
        del self.r.errors[before:]
        self.r.errors.extend(fresh)
        return result

    def _reading_ref(self, raw: object, path: str) -> m.Reading | None:
        reading = self.readings.get(raw) if isinstance(raw, str) else None
        if reading is None or not reading.alternatives:
            self.r.error(
                path, "CATALOG_UNKNOWN_READING", f"引用了不存在或没有可选理解（alternatives）的解读“{raw}”。"
            )
            return None
        self.bound.add(reading.id)
        if reading.subsidies and self.r.subsidy not in reading.subsidies:
            self.r.error(
                path,
                "CATALOG_READING_SUBSIDY",
                f"解读“{reading.id}”的 subsidies 应列出本补贴“{self.r.subsidy}”，报告才能在本项下显示它。",
            )
        return reading

    # ------------------------------------------------------------ facts

    def fact_ref(self, raw: object, path: str, types: tuple[str, ...]) -> str | None:
        """A fact id that exists in scope and has one of `types`."""
        if not isinstance(raw, str):
            self.r.error(path, "CATALOG_SCHEMA", f"应为事实标识（字符串），现在是{raw!r}。")
            return None
        fact = self.facts.get(raw)
        if fact is None:
            self.r.error(path, "CATALOG_UNKNOWN_FACT", f"引用了未定义的事实“{raw}”，请先在 facts 中定义它。")
            return None
        if fact.type not in types:
            wanted = "或".join(FACT_TYPE_ZH[t] for t in types)
            self.r.error(
                path,
                "CATALOG_FACT_TYPE",
                f"事实“{raw}”的类型是{FACT_TYPE_ZH[fact.type]}，这里需要{wanted}类型。",
            )
            return None
        return raw

    def date_ref(self, raw: object, path: str) -> m.DateRef | None:
        if raw == "application_date":
            return m.DateRef(None)
        if isinstance(raw, str) and raw.startswith("fact:"):
            fact = self.fact_ref(raw[5:], path, ("date",))
            return m.DateRef(fact) if fact else None
        self.r.error(
            path, "CATALOG_BAD_DATE_REF", f'日期“{raw}”应写 "application_date" 或 "fact:<事实标识>"。'
        )
        return None

    # ------------------------------------------------------------ tests

    def test(self, raw: object, path: str) -> m.Test | None:
        if not isinstance(raw, dict):
            self.r.error(path, "CATALOG_SCHEMA", "条件表达式应为对象 {...}。")
            return None
        for key, parse in (
            ("all", self._all),
            ("any", self._any),
            ("not", self._not),
            ("categories_any", self._categories),
            ("ratio", self._ratio),
            ("age", self._age),
            ("months_between", self._months_between),
            ("fact", self._fact_test),
        ):
            if key in raw:
                return parse(raw, path)
        self.r.error(
            path,
            "CATALOG_BAD_TEST",
            "无法识别的条件表达式：应含 fact、ratio、categories_any、age、"
            "months_between、all、any 或 not 之一。",
        )
        return None

    def _parts(self, d: dict[str, Any], key: str, path: str) -> tuple[m.Test, ...]:
        self.r.obj(d, path, (key,), (key,))
        parts = [self.test(item, p) for p, item in self.r.items(d, key, path, required=True)]
        if not parts:
            self.r.error(join(path, key), "CATALOG_BAD_TEST", f"“{key}”的列表不能为空。")
        return tuple(t for t in parts if t is not None)

    def _all(self, d: dict[str, Any], path: str) -> m.Test:
        return m.AllTest(self._parts(d, "all", path))

    def _any(self, d: dict[str, Any], path: str) -> m.Test:
        return m.AnyTest(self._parts(d, "any", path))

    def _not(self, d: dict[str, Any], path: str) -> m.Test | None:
        self.r.obj(d, path, ("not",))
        inner = self.test(d["not"], join(path, "not"))
        return m.NotTest(inner) if inner else None

    def _categories(self, d: dict[str, Any], path: str) -> m.Test:
        self.r.obj(d, path, ("categories_any",))
        return m.CategoriesTest(self.r.str_list(d, "categories_any", path, CATEGORIES))

    def _op(self, d: dict[str, Any], path: str, ops: tuple[str, ...]) -> str:
        return self.r.enum(d, "op", path, ops, "")

    def _ratio(self, d: dict[str, Any], path: str) -> m.Test | None:
        self.r.obj(d, path, ("ratio", "op", "value"), ("ratio", "op", "value"))
        pair = self.ratio_pair(d.get("ratio"), join(path, "ratio"))
        op = self._op(d, path, COMPARE_OPS)
        value = self.r.fraction(d, "value", path)
        if pair is None or not op or value is None:
            return None
        return m.RatioTest(pair[0], pair[1], op, value)

    def ratio_pair(self, raw: object, path: str) -> tuple[str, str] | None:
        if not isinstance(raw, list) or len(raw) != 2:
            self.r.error(path, "CATALOG_SCHEMA", "ratio 应为两个事实标识组成的列表 [分子, 分母]。")
            return None
        num = self.fact_ref(raw[0], join(path, 0), ("int", "money"))
        den = self.fact_ref(raw[1], join(path, 1), ("int", "money"))
        return (num, den) if num and den else None

    def _numbers(self, d: dict[str, Any], path: str, op: str) -> tuple[int, ...] | None:
        raw = d.get("value")
        p = join(path, "value")
        if op == "between":
            if isinstance(raw, list) and len(raw) == 2 and all(_is_int(v) for v in raw):
                return (int(raw[0]), int(raw[1]))
            self.r.error(p, "CATALOG_SCHEMA", "between 的取值应为两个整数 [下限, 上限]（两端都包含）。")
            return None
        if isinstance(raw, int) and not isinstance(raw, bool):
            return (raw,)
        self.r.error(p, "CATALOG_SCHEMA", f"取值应为整数，现在是{raw!r}。")
        return None

    def _age(self, d: dict[str, Any], path: str) -> m.Test | None:
        self.r.obj(d, path, ("age", "op", "value"), ("age", "op", "value"))
        spec = self.r.obj(d.get("age"), join(path, "age"), ("on",), ("on",))
        on = self.date_ref(spec.get("on"), join(path, "age.on")) if spec else None
        op = self._op(d, path, NUMBER_OPS)
        value = self._numbers(d, path, op) if op else None
        return m.AgeTest(on, op, value) if on and op and value else None

    def _months_between(self, d: dict[str, Any], path: str) -> m.Test | None:
        self.r.obj(d, path, ("months_between", "op", "value"), ("months_between", "op", "value"))
        raw = d.get("months_between")
        p = join(path, "months_between")
        if not isinstance(raw, list) or len(raw) != 2:
            self.r.error(p, "CATALOG_SCHEMA", "months_between 应为两个日期 [起, 止]。")
            return None
        start, end = self.date_ref(raw[0], join(p, 0)), self.date_ref(raw[1], join(p, 1))
        op = self._op(d, path, NUMBER_OPS)
        value = self._numbers(d, path, op) if op else None
        if not (start and end and op and value):
            return None
        return m.MonthsBetweenTest(start, end, op, value)

    def _fact_test(self, d: dict[str, Any], path: str) -> m.Test | None:
        self.r.obj(d, path, ("fact", "op", "value", "other_fact"), ("fact", "op"))
        fact_id = self.fact_ref(d.get("fact"), join(path, "fact"), tuple(FACT_TYPE_ZH))
        if fact_id is None:
            return None
        fact = self.facts[fact_id]
        op = self._op(d, path, _ops_for(fact.type))
        if not op:
            return None
        if op in BOOL_OPS:
            return m.FactTest(fact_id, op)
        if "other_fact" in d:
            other = self.fact_ref(d["other_fact"], join(path, "other_fact"), (fact.type,))
            return m.FactTest(fact_id, op, other_fact=other) if other else None
        value = self.fact_value(fact, op, d.get("value"), join(path, "value"))
        return m.FactTest(fact_id, op, value) if value is not None else None

    def fact_value(self, fact: m.Fact, op: str, raw: object, path: str) -> object:
        """The literal of a test, converted to the fact's type (a tuple for in/not_in)."""
        if op in LIST_OPS:
            if not isinstance(raw, list) or not raw:
                self.r.error(path, "CATALOG_SCHEMA", f"“{op}”的取值应为非空列表。")
                return None
            values = [self.fact_value(fact, "==", v, join(path, i)) for i, v in enumerate(raw)]
            return tuple(values) if all(v is not None for v in values) else None
        return self._scalar(fact, raw, path)

    def _scalar(self, fact: m.Fact, raw: object, path: str) -> object:
        if fact.type == "date":
            if raw is None:
                self._missing(path)
            return self.r.date_value(raw, path)
        if fact.type in ("int", "money") and _is_int(raw):
            return raw
        if fact.type == "bool" and isinstance(raw, bool):
            return raw
        if fact.type == "choice" and raw in {c.value for c in fact.choices}:
            return raw
        if fact.type == "text" and isinstance(raw, str):
            return raw
        if fact.type == "choice":
            options = "、".join(c.value for c in fact.choices)
            self.r.error(path, "CATALOG_BAD_VALUE", f"“{raw}”不是事实“{fact.id}”的选项（{options}）。")
        else:
            self.r.error(
                path,
                "CATALOG_FACT_TYPE",
                f"取值 {raw!r} 与事实“{fact.id}”的类型（{FACT_TYPE_ZH[fact.type]}）不符。",
            )
        return None

    def _missing(self, path: str) -> None:
        self.r.error(path, "CATALOG_MISSING", "缺少比较的取值 value（或 other_fact）。")


def _ops_for(fact_type: str) -> tuple[str, ...]:
    if fact_type == "bool":
        return (*BOOL_OPS, "==", "!=")
    if fact_type in ("choice", "text"):
        return ("==", "!=", *LIST_OPS)
    if fact_type == "date":
        return COMPARE_OPS
    return (*COMPARE_OPS, *LIST_OPS)


def _is_int(raw: object) -> bool:
    return isinstance(raw, int) and not isinstance(raw, bool)
