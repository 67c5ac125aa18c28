"""The town's outbox: one row per batch to send over the network, and how far it has got."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base, utcnow
from core.net.states import QUEUED


class OutboxItem(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_number: Mapped[int] = mapped_column(Integer, unique=True)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), default=QUEUED)
    upload_url: Mapped[str] = mapped_column(String(400), default="")
    sent_bytes: Mapped[int] = mapped_column(Integer, default=0)
    total_bytes: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_try_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    receipt: Mapped[str] = mapped_column(Text, default="")  # the county's signed receipt, as JSON
    reason: Mapped[str] = mapped_column(Text, default="")  # the county's reason for a refusal
    queued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
