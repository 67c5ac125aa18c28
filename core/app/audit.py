"""审计核验: does the audit trail still prove itself? Every event carries the hash of the one
before it, so a changed or removed event breaks the chain at that point."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.actor import Actor
from core.app.base import reading, unit_of_work
from core.db import Database


@dataclass(frozen=True)
class AuditVerdict:
    ok: bool
    total: int
    summary: str  # one paragraph for the screen and the command line


def verify_audit_trail(
    db: Database, actor: Actor, *, progress: Callable[[str, int, int], None] | None = None
) -> AuditVerdict:
    """Recompute every hash of the chain; the check itself is recorded (who checked, what it found)."""
    from core import audit
    from core.localtime import local_time

    with reading(db) as s:
        result = audit.check_chain(s, progress)
    if result.broken is None:
        verdict = AuditVerdict(
            True,
            result.total,
            f"核验通过：办理记录共 {result.total} 条，逐条核对无误，没有被改动或删除的迹象。",
        )
    else:
        b = result.broken
        verdict = AuditVerdict(
            False,
            result.total,
            f"核验未通过：办理记录共 {result.total} 条，从第 {b.position} 条起对不上"
            f"（{local_time(b.at):%Y-%m-%d %H:%M}，操作人：{b.actor}）。"
            "这一条或它前面的一条记录被改动或删除过。请不要再修改数据，立即报告县局，并保留本机和备份。",
        )
    with unit_of_work(db) as s:
        audit.record(s, actor.audit_name, "audit_check", "audit", "chain",
                     {"total": [None, result.total], "ok": [None, verdict.ok]})  # fmt: skip
    return verdict
