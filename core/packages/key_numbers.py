"""Rotation by batch number, the town's side: what its new key file tells the county (#13).

When a town changes keys, batches it exported with the old key may still be on their way to
the county. The new public key file carries the last batch number the old keys signed
(OLD_LAST_BATCH), which the county registers as the old key's limit: those batches import, a
later number signed with an old key never does. The note is also printed on the 密钥登记表,
which the office head signs, so a swapped file is caught when the two are compared.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.packages.models import Batch

OLD_LAST_BATCH = "旧密钥最后批次"


def retired_last_batch(session: Session, current_fingerprint: str) -> int | None:
    """The highest batch number this office signed with a key other than the current one."""
    stmt = select(func.max(Batch.number)).where(Batch.key_fingerprint != current_fingerprint)
    return session.scalar(stmt)


def note_number(notes: dict[str, str]) -> int | None:
    """OLD_LAST_BATCH read from a key file's notes; None when absent or not a number."""
    text = notes.get(OLD_LAST_BATCH, "").strip().removeprefix("第").removesuffix("批").strip()
    return int(text) if text.isdigit() else None
