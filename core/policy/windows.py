"""Time limits of an application (docs/catalog-format.md "window"; Civil Code arts. 201-203)."""

from __future__ import annotations

import calendar
import datetime as dt

from core.policy import model as m
from core.policy.assessment import Outcome, RuleOutcome
from core.policy.case import CaseInput
from core.policy.dates import ONE_DAY, next_working_day, period_end


def check_window(w: m.Window, case: CaseInput, labels: dict[str, str]) -> RuleOutcome:
    if w.kind == "application_months":
        return _months(w, case)
    if w.kind == "deadline":
        assert w.date is not None
        return _until(w, case, None, w.date)
    event = case.facts.get(w.event or "")
    if not isinstance(event, dt.date):
        label = labels.get(w.event or "", w.event)
        return RuleOutcome(
            w.id, "window", "unknown", f"缺少“{label}”，无法判断是否在申请期限内（{w.label}）。", w.clause
        )
    if w.kind == "by_year_end":
        return _until(w, case, None, _month_day(event.year, w.month_day))
    opens = event if w.open_months == 0 else period_end(event, w.open_months) + ONE_DAY
    return _until(w, case, opens, period_end(event, w.close_months))


def _month_day(year: int, month_day: tuple[int, int]) -> dt.date:
    month, day = month_day
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _until(w: m.Window, case: CaseInput, opens: dt.date | None, last: dt.date) -> RuleOutcome:
    """Within [opens, last], `last` moved to the next working day when it is a day off (art. 203)."""
    closes = next_working_day(last, case.holidays, case.workdays)
    moved = (
        f"（期限最后一天{_zh(last)}是休息日或节假日，依民法典第二百零三条顺延至{_zh(closes)}）"
        if closes != last
        else ""
    )
    applied = case.application_date
    if opens is not None and applied < opens:
        return _miss(w, f"申请日期{_zh(applied)}早于可申请的起始日{_zh(opens)}：{w.label}。")
    if applied > closes:
        return _miss(w, f"申请日期{_zh(applied)}已超过申请期限{_zh(closes)}{moved}：{w.label}。")
    span = f"{_zh(opens)}至{_zh(closes)}" if opens else f"{_zh(closes)}前"
    return RuleOutcome(w.id, "window", "pass", f"在申请期限内（{span}）{moved}：{w.label}。", w.clause)


def _months(w: m.Window, case: CaseInput) -> RuleOutcome:
    month = case.application_date.month
    if month in w.months:
        return RuleOutcome(w.id, "window", "pass", f"申请月份符合：{w.label}。", w.clause)
    listed = "、".join(f"{x}月" for x in w.months)
    return _miss(w, f"文件规定在{listed}申报，本次申请在{month}月：{w.label}。")


def _miss(w: m.Window, message: str) -> RuleOutcome:
    outcome: Outcome = "fail" if w.effect == "reject" else "warn"
    return RuleOutcome(w.id, "window", outcome, message, w.clause)


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
