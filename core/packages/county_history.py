"""A case's history in words, at the county: the town's audit trail that the package carries,
and the county's own events on the imported case.

The town's trail is read from the case document (content.py `_history`): its actions and
field names are program words, so each known one is put in the clerk's words and anything
this program does not know is left out rather than shown raw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from core import audit
from core.cases.states import status_label
from core.money import format_yuan
from core.policy import model as m
from core.policy.words import ON_BEHALF_ZH


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime | None  # local time
    actor: str
    what: str


_TOWN_ACTIONS = {
    "create": "建立案件",
    "update": "修改",
    "checklist": "申请材料",
    "attach": "附加扫描件",
    "roster": "花名册",
    "export": "上报县局",
    "recall": "撤回上报",
    "county_result": "县局审核结果",
    "self_review": "单人办公：受理人本人初审",
}
_FIELDS = {
    "status": "状态",
    "case_number": "受理编号",
    "amount_fen": "金额",
    "application_date": "申请日期",
    "event_date": "事件日期",
    "accepted_on": "受理日期",
    "materials_due_on": "补齐材料期限",
    "submitted_by": "申请方式",
    "handler_name": "经办人",
    "reviewed_by": "初审人",
    "reviewed_on": "初审日期",
    "review_note": "初审意见",
    "note": "备注",
    "subsidy_id": "补贴项目",
    "reason": "理由",
}
# Shown when a case is created: the rest of its first values are in the other tabs.
_ON_CREATE = ("status", "application_date", "subsidy_id")
_COUNTY_ACTIONS = {"decide": "县局决定", "correct": "更正决定", "reveal": "查看完整证件号和收款账号"}
_COUNTY_FIELDS = {
    "status": "决定",
    "approved_fen": "核定金额",
    "paid_fen": "拨付金额",
    "paid_on": "拨付日期",
    "decision_reason": "理由或说明",
    "correction_reason": "更正理由",
}


def local_time(text: object) -> dt.datetime | None:
    """Audit times are stored in UTC; the officer reads local time."""
    try:
        at = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def _blank(value: object) -> bool:
    return value is None or value == ""


def _plain(key: str, value: object, subsidy_name: Callable[[str], str]) -> str:
    if _blank(value):
        return "—"
    if key == "status":
        return status_label(str(value))
    if key == "submitted_by":
        return ON_BEHALF_ZH.get(str(value), "代为申请")
    if key.endswith("_fen") and isinstance(value, int):
        return f"{format_yuan(value)} 元"
    if key == "subsidy_id":
        return subsidy_name(str(value))
    return str(value)


def fact_change_lines(old: object, new: object, subsidy: m.Subsidy | None, show: FactText) -> list[str]:
    before = old if isinstance(old, dict) else {}
    after = new if isinstance(new, dict) else {}
    out = []
    for key in sorted(set(before) | set(after)):
        fact = subsidy.fact(key) if subsidy else None
        if fact is not None and before.get(key) != after.get(key):
            out.append(f"{fact.label}：{show(fact, before.get(key))} → {show(fact, after.get(key))}")
    return out


FactText = Callable[[m.Fact, object], str]


def _material(key: str, new: object, names: Mapping[str, str]) -> str:
    material_id, _, part = key.partition(".")
    name = names.get(material_id, "一项材料")
    if part == "received":
        return f"{name}{'已收到' if new else '改为未收到'}"
    if part == "original_seen":
        return f"{name}{'原件已核验退回' if new else '原件未核验'}"
    return f"{name}留存{new}份"


class TownHistory:
    """Describes the town's audit events of one case, with the case's subsidy for the names."""

    def __init__(self, subsidy: m.Subsidy | None, subsidy_name: Callable[[str], str], show: FactText) -> None:
        self.subsidy, self.subsidy_name, self.show = subsidy, subsidy_name, show
        self.materials = {x.id: x.name for x in subsidy.materials} if subsidy else {}

    def lines(self, events: object) -> tuple[HistoryLine, ...]:
        rows = events if isinstance(events, list) else []
        return tuple(self._line(e) for e in rows if isinstance(e, dict) and e.get("action") in _TOWN_ACTIONS)

    def _line(self, event: dict[str, Any]) -> HistoryLine:
        action = str(event["action"])
        changes = event.get("changes") if isinstance(event.get("changes"), dict) else {}
        parts = [p for p in self._parts(action, changes or {}) if p]
        what = _TOWN_ACTIONS[action] + (f"：{'；'.join(parts)}" if parts else "")
        return HistoryLine(local_time(event.get("at")), str(event.get("actor") or ""), what)

    def _parts(self, action: str, changes: dict[str, Any]) -> list[str]:
        pairs = [(k, v) for k, v in changes.items() if isinstance(v, list) and len(v) == 2]
        if action == "checklist":
            return [_material(k, v[1], self.materials) for k, v in pairs]
        if action == "attach":
            return [self._attachment(dict(pairs))]
        if action in ("export", "county_result"):
            return [self._numbered(k, v[1]) for k, v in pairs if k in ("batch", "result_package")]
        if action == "roster":
            return [f"{v[1]}人" for k, v in pairs if k == "rows"]
        keep = _ON_CREATE if action == "create" else (*_FIELDS, "facts")
        out: list[str] = []
        for key, (old, new) in pairs:
            if key == "facts" and key in keep:
                out += fact_change_lines(old, new, self.subsidy, self.show)
            elif key in _FIELDS and key in keep and not (action == "create" and _blank(new)):
                out.append(self._field(key, old, new, action))
        return out

    def _field(self, key: str, old: object, new: object, action: str) -> str:
        if action == "create" or key == "reason":
            return f"{_FIELDS[key]}：{_plain(key, new, self.subsidy_name)}"
        return (
            f"{_FIELDS[key]}：{_plain(key, old, self.subsidy_name)} → {_plain(key, new, self.subsidy_name)}"
        )

    def _attachment(self, changes: dict[str, list[Any]]) -> str:
        name = str((changes.get("attachment") or [None, ""])[1] or "")
        name = name.rsplit(" (", 1)[0]  # the town's line ends with the file's hash
        material = (changes.get("material") or [None, None])[1]
        return name + (f"（{self.materials.get(str(material), '一项材料')}）" if material else "")

    @staticmethod
    def _numbered(key: str, number: object) -> str:
        return f"第{number}批" if key == "batch" else f"第{number}号结果包"


def _county_value(key: str, value: object, labels: Mapping[str, str]) -> str:
    if _blank(value):
        return "—"
    if key == "status":
        return labels.get(str(value), "未知")
    if key.endswith("_fen") and isinstance(value, int):
        return f"{format_yuan(value)} 元"
    return str(value)


def county_lines(session: Session, uuid: str, labels: Mapping[str, str]) -> tuple[HistoryLine, ...]:
    """The county's own events on an imported case: decisions, corrections, numbers shown."""
    out = []
    for event in audit.history(session, "imported_case", uuid):
        if event.action not in _COUNTY_ACTIONS:
            continue
        parts = []
        for key, pair in (event.changes or {}).items():
            if key in _COUNTY_FIELDS and isinstance(pair, list) and len(pair) == 2:
                old, new = (_county_value(key, v, labels) for v in pair)
                parts.append(
                    f"{_COUNTY_FIELDS[key]}：{new}" if old == "—" else f"{_COUNTY_FIELDS[key]}：{old} → {new}"
                )
        what = _COUNTY_ACTIONS[event.action] + (f"：{'；'.join(parts)}" if parts else "")
        out.append(HistoryLine(local_time(event.at.isoformat()), event.actor, what))
    return tuple(out)
