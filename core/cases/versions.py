"""Two people deciding the same case (several PCs on one database): the second is told.

Each case row carries a version, raised by every update (SQLAlchemy's version_id_col on
`Case` and `ImportedCase`). A decision taken from a screen carries the version that screen
showed; when the case has moved on since, nothing is saved and the decider reads who changed
it and when (from the case's last audit event), to look again before deciding.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import AuditEvent
from core.errors import SubsidyDeskError
from core.localtime import local_time

CHANGED_MEANWHILE = "CASE_CHANGED_MEANWHILE"


class ChangedMeanwhile(SubsidyDeskError):
    """The case changed after the decider's screen showed it; nothing was saved."""


def check_seen(session: Session, found: int, seen: int | None, entity: str, key: str) -> None:
    """Refuse when the decider saw an older version of the case (None: nothing was shown)."""
    if seen is not None and found != seen:
        raise changed_meanwhile(session, entity, key)


def changed_meanwhile(session: Session, entity: str, key: str) -> ChangedMeanwhile:
    last = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_key == key)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    by = f"已被{last.actor}于{local_time(last.at):%Y年%m月%d日 %H:%M}修改" if last else "已被他人修改"
    return ChangedMeanwhile(
        CHANGED_MEANWHILE,
        f"您打开这件案件之后，它{by}；您的这次操作没有保存，别人的修改也没有被覆盖。"
        "请关闭后重新打开这件案件，看过最新的内容再决定。",
    )
