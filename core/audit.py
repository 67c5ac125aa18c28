"""Append-only, hash-chained audit events.

Each event stores the hash of the one before it, so a removed or altered row breaks the
chain; `verify_chain` finds the first break. The database also refuses UPDATE and DELETE on
the table (triggers in the baseline migration).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import AuditEvent, utcnow

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [old, new]}."""
    keys = sorted(set(old) | set(new))
    return {k: [_jsonable(old.get(k)), _jsonable(new.get(k))] for k in keys if old.get(k) != new.get(k)}


def event_hash(
    prev_hash: str, at: dt.datetime, actor: str, action: str, entity: str, key: str, changes: dict[str, Any]
) -> str:
    body = json.dumps(
        [prev_hash, at.isoformat(), actor, action, entity, key, changes],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def last_hash(session: Session) -> str:
    found = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return found or GENESIS


def record(
    session: Session, actor: str, action: str, entity: str, key: str, changes: dict[str, Any]
) -> AuditEvent:
    """Add one event to the session; it is written with the caller's transaction."""
    session.flush()  # earlier events of this transaction must be visible to last_hash
    prev = last_hash(session)
    at = utcnow()
    clean = {
        k: _jsonable(v) if not isinstance(v, list) else [_jsonable(x) for x in v] for k, v in changes.items()
    }
    ev = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_key=key,
        changes=clean,
        prev_hash=prev,
        hash=event_hash(prev, at, actor, action, entity, key, clean),
    )
    session.add(ev)
    session.flush()
    return ev


def history(session: Session, entity: str, key: str) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_key == key)
        .order_by(AuditEvent.id)
    )
    return list(session.scalars(stmt))


def verify_chain(session: Session) -> int | None:
    """The id of the first event whose hash does not match, or None when the chain holds."""
    broken = check_chain(session).broken
    return broken.id if broken else None


@dataclass(frozen=True)
class BrokenLink:
    """The first event that does not match the chain: it, or one before it, was changed or removed."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    position: int  # 1-based place in the chain


@dataclass(frozen=True)
class ChainCheck:
    total: int
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def check_chain(
    session: Session, progress: Callable[[str, int, int], None] | None = None, chunk: int = 5000
) -> ChainCheck:
    """Walk the whole chain in id order, recomputing every hash; reports the first break."""
    from sqlalchemy import func

    total = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    columns = (AuditEvent.id, AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.entity,
               AuditEvent.entity_key, AuditEvent.changes, AuditEvent.prev_hash, AuditEvent.hash)  # fmt: skip
    prev = GENESIS
    rows = session.execute(select(*columns).order_by(AuditEvent.id).execution_options(yield_per=chunk))
    for position, (id_, at, actor, action, entity, key, changes, prev_hash, digest) in enumerate(rows, 1):
        if prev_hash != prev or digest != event_hash(prev, at, actor, action, entity, key, changes):
            return ChainCheck(total, BrokenLink(id_, at, actor, action, entity, position))
        prev = digest
        if progress is not None and position % chunk == 0:
            progress("check", position, total)
    return ChainCheck(total, None)
