"""Reading a subsidy's windows (time limits) and limits (history), with their references."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from core.policy import model as m
from core.policy import vocab as v
from core.policy.parse_amounts import parse_clause
from core.policy.parse_rules import RuleReader
from core.policy.reader import Reader, join

Raw = dict[str, Any]


def parse_window(rr: RuleReader, raw: object, path: str) -> m.Window:
    keys = (
        "id",
        "kind",
        "event",
        "open_months",
        "close_months",
        "effect",
        "label",
        "clause",
        "month_day",
        "date",
        "months",
    )
    d = rr.r.obj(raw, path, keys, ("id", "kind", "effect", "label")) or {}
    kind = rr.r.enum(d, "kind", path, v.WINDOW_KINDS, "")
    w = m.Window(
        id=rr.r.ident(d, "id", path),
        kind=kind,
        effect=rr.r.enum(d, "effect", path, v.WINDOW_EFFECTS, ""),
        label=rr.r.text(d, "label", path),
        clause=parse_clause(rr, d.get("clause"), join(path, "clause")),
        event=rr.fact_ref(d.get("event"), join(path, "event"), ("date",))
        if kind in ("after_event", "by_year_end")
        else None,
        open_months=rr.r.integer(d, "open_months", path, 0) or 0,
        close_months=rr.r.integer(d, "close_months", path, 0) or 0,
        month_day=_month_day(rr.r, d, path),
        date=rr.r.date(d, "date", path),
        months=tuple(int(x) for x in _ints(rr.r, d, "months", path)),
    )
    _check_window(rr.r, w, d, path)
    return w


def _ints(r: Reader, d: Raw, key: str, path: str) -> list[int]:
    out = []
    for p, item in r.items(d, key, path):
        if isinstance(item, int) and not isinstance(item, bool) and 1 <= item <= 12:
            out.append(item)
        else:
            r.error(p, "CATALOG_BAD_VALUE", f"月份应为 1 至 12 的整数，现在是{item!r}。")
    return out


def _month_day(r: Reader, d: Raw, path: str) -> tuple[int, int]:
    raw = d.get("month_day")
    if raw is None:
        return (12, 31)
    try:
        month, day = (int(x) for x in str(raw).split("-"))
        dt.date(2000, month, day)  # a leap year, so 02-29 is accepted
        return (month, day)
    except ValueError:
        r.error(join(path, "month_day"), "CATALOG_BAD_DATE", f'month_day“{raw}”应写成 MM-DD，如 "12-31"。')
        return (12, 31)


def _check_window(r: Reader, w: m.Window, d: Raw, path: str) -> None:
    need = {
        "after_event": ("event", "close_months"),
        "by_year_end": ("event",),
        "deadline": ("date",),
        "application_months": ("months",),
    }.get(w.kind, ())
    for key in need:
        if key not in d:
            r.error(join(path, key), "CATALOG_MISSING", f"{w.kind} 类时限必须写“{key}”。")
    if w.kind == "after_event" and not 0 <= w.open_months < w.close_months:
        r.error(path, "CATALOG_BAD_WINDOW", "时限应满足 0 ≤ open_months < close_months。")


def parse_limit(
    rr: RuleReader,
    raw: object,
    path: str,
    sid: str,
    all_ids: Collection[str],
    row_facts: Mapping[str, m.Fact] | None = None,
) -> m.Limit:
    keys = (
        "id",
        "kind",
        "max",
        "max_fen",
        "scope",
        "subsidies",
        "year_of",
        "effect",
        "label",
        "clause",
        "mode",
        "months",
        "fact",
        "earlier_fact",
        "per_year",
        "applicants",
    )
    r = rr.r
    d = r.obj(raw, path, keys, ("id", "kind", "scope", "subsidies", "effect", "label")) or {}
    kind = r.enum(d, "kind", path, v.LIMIT_KINDS, "")
    subsidies = r.str_list(d, "subsidies", path)
    for i, other in enumerate(subsidies):
        if other not in all_ids:
            r.error(
                join(join(path, "subsidies"), i), "CATALOG_UNKNOWN_SUBSIDY", f"本目录中没有补贴“{other}”。"
            )
    if kind in ("count_per_year", "count_lifetime", "amount_per_year") and sid not in subsidies:
        r.error(
            join(path, "subsidies"), "CATALOG_LIMIT_SELF", f"限制的 subsidies 必须包含本补贴“{sid}”自身。"
        )
    limit = m.Limit(
        id=r.ident(d, "id", path),
        kind=kind,
        scope=r.enum(d, "scope", path, v.LIMIT_SCOPES, ""),
        subsidies=subsidies,
        effect=r.enum(d, "effect", path, v.LIMIT_EFFECTS, ""),
        label=r.text(d, "label", path),
        clause=parse_clause(rr, d.get("clause"), join(path, "clause")),
        max=r.integer(d, "max", path),
        max_fen=r.integer(d, "max_fen", path),
        year_of=r.enum(d, "year_of", path, v.YEAR_OF, "event"),
        mode=r.enum(d, "mode", path, v.EXCLUSIVE_MODES, "block"),
        months=r.integer(d, "months", path),
        fact=rr.fact_ref(d["fact"], join(path, "fact"), ("int",)) if "fact" in d else None,
        earlier_fact=_earlier_fact(rr, d, path, row_facts or {}),
        per_year=r.boolean(d, "per_year", path, False),
        applicants=r.enum(d, "applicants", path, v.LIMIT_APPLICANTS, "any"),
    )
    _check_limit(r, limit, d, path)
    if limit.scope == "beneficiary" and rr.facts and not rr.roster:
        r.error(
            join(path, "scope"),
            "CATALOG_NO_ROSTER",
            "scope 为 beneficiary 的限制需要该补贴定义 beneficiary（花名册）。",
        )
    return limit


def _earlier_fact(rr: RuleReader, d: Raw, path: str, row_facts: Mapping[str, m.Fact]) -> str | None:
    """Months granted before this claim: a roster row's fact for beneficiary limits, else the case's."""
    if "earlier_fact" not in d:
        return None
    scope = {**rr.facts, **row_facts} if d.get("scope") == "beneficiary" else rr.facts
    return rr.with_facts(scope, rr.roster).fact_ref(d["earlier_fact"], join(path, "earlier_fact"), ("int",))


def _check_limit(r: Reader, limit: m.Limit, d: Raw, path: str) -> None:
    kind = limit.kind
    need = {
        "count_per_year": ("max",),
        "count_lifetime": ("max",),
        "amount_per_year": ("max_fen",),
        "max_duration_months": ("months", "fact"),
        "exclusive": ("mode",),
    }.get(kind, ())
    for key in need:
        if key not in d:
            r.error(join(path, key), "CATALOG_MISSING", f"{kind} 类限制必须写“{key}”。")
    effects = v.LIMIT_EFFECTS_BY_KIND.get(kind, v.LIMIT_EFFECTS)
    if limit.effect and limit.effect not in effects:
        r.error(
            join(path, "effect"),
            "CATALOG_BAD_EFFECT",
            f"{kind} 类限制的 effect 只能是 {'、'.join(effects)}：“cap”只用于可扣减的金额或月数。",
        )
    if kind == "amount_per_year" and limit.scope == "beneficiary":
        r.error(
            join(path, "scope"), "CATALOG_BAD_VALUE", "每年金额限制按本人或申请人计，不能按花名册每人计。"
        )
    misplaced: list[str] = [
        k for k in ("earlier_fact", "per_year") if k in d and kind != "max_duration_months"
    ]
    misplaced += ["applicants"] if "applicants" in d and limit.scope != "beneficiary" else []
    for key in misplaced:
        r.error(join(path, key), "CATALOG_BAD_VALUE", f"“{key}”不适用于这一类限制。")
