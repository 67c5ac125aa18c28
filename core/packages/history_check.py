"""The county checks the history a case carries: each event of the town's audit trail is
re-hashed from its content and its link (core/audit.py `event_hash`).

The events of one case are a part of the town's whole chain (other cases' events sit between
them), so what the county can prove is that no carried event was altered after it was chained,
that none is missing between two (their times keep their order) and that the history begins
with the case's creation. A town that rewrote and re-chained its whole database is caught by
its own 审计核验, not here; the package's signature proves the office sent this history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.audit import event_hash

SELF_REVIEW = "self_review"  # core.cases.duties.SELF_REVIEW, spelled here: the county has no town cases


def _event_ok(event: dict[str, Any], uuid: str) -> bool:
    try:
        at = dt.datetime.fromisoformat(str(event["at"]))
        changes = event.get("changes") if isinstance(event.get("changes"), dict) else {}
        expected = event_hash(
            str(event["prev_hash"]),
            at,
            str(event["actor"]),
            str(event["action"]),
            "case",
            uuid,
            changes or {},
        )
    except (KeyError, ValueError, TypeError):
        return False
    return expected == event.get("hash")


def history_break(history: object, uuid: str) -> str | None:
    """Where the case's carried history does not hold, in the officer's words; None when it holds."""
    events = history if isinstance(history, list) else []
    if not events or not isinstance(events[0], dict) or events[0].get("action") != "create":
        return "案件的办理记录不完整（缺少建立案件的记录）"
    previous = ""
    for position, event in enumerate(events, 1):
        if not isinstance(event, dict) or not _event_ok(event, uuid):
            return f"案件办理记录的第{position}条与其校验值不符，可能在站所被改动过"
        at = str(event.get("at"))
        if at < previous:
            return f"案件办理记录的第{position}条时间早于前一条，记录的顺序被改动过"
        previous = at
    return None


def self_reviewed(history: object) -> bool:
    """The town's office was 单人办公 and the intake clerk reviewed the case (core/cases/duties.py)."""
    events = history if isinstance(history, list) else []
    return any(isinstance(e, dict) and e.get("action") == SELF_REVIEW for e in events)


def warnings(doc: dict[str, Any], uuid: str) -> tuple[str, ...]:
    """What the county's import report and case view flag about a case's history."""
    out = []
    broken = history_break(doc.get("history"), uuid)
    if broken:
        out.append(f"{broken}，请与站所核实。")
    if self_reviewed(doc.get("history")):
        out.append("站所为单人办公：本案由受理人本人初审。")
    return tuple(out)
