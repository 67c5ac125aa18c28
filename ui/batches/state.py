"""What the batches screen shows: the chosen batch and the subsidy groups of its cases (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.app.batches import BatchGroup, BatchRow
from core.app.outbox import OutboxRow, pause_label
from core.net.states import QUEUED, REFUSED, SENDING


@dataclass
class BatchListState:
    batch: BatchRow | None = None
    groups: list[BatchGroup] = field(default_factory=list)
    group_index: int = 0

    def choose(self, batch: BatchRow | None, groups: list[BatchGroup]) -> None:
        self.batch, self.groups, self.group_index = batch, groups, 0

    @property
    def group(self) -> BatchGroup | None:
        return self.groups[self.group_index] if 0 <= self.group_index < len(self.groups) else None

    @property
    def label(self) -> str:
        """The batch as the buttons and titles name it: 第3批."""
        return f"第{self.batch.number}批" if self.batch else ""


def sending_label(row: OutboxRow | None, live: tuple[int, int, float] | None = None) -> str:
    """The 网上报送 cell: 待发送, 发送中 42%, 已送达 …; empty for a batch never queued."""
    if row is None:
        return "—"  # never sent over the network (USB only)
    if live is not None and row.state in (QUEUED, SENDING):
        sent, total, _speed = live
        return f"发送中 {int(100 * sent / total) if total else 0}%"
    if row.state == SENDING:
        return f"发送中 {row.percent}%"
    return row.state_label


def sending_detail(row: OutboxRow | None, live: tuple[int, int, float] | None = None) -> str:
    """One sentence under the list for the chosen batch."""
    if row is None:
        return "未通过网络报送。"
    if live is not None and row.state in (QUEUED, SENDING):
        sent, total, speed = live
        rate = f"，{speed / 1e6:.1f} MB/秒" if speed > 0 else ""
        return f"网上报送：发送中，已发送 {sent / 1e6:.1f} / {total / 1e6:.1f} MB{rate}。"
    if row.state in (QUEUED, SENDING):
        waiting = f"（{pause_label(row)}）" if pause_label(row) else ""
        why = f"上次未成功：{row.last_error}" if row.last_error else "等待发送。"
        return f"网上报送：{row.state_label}{waiting}。{why}"
    if row.state == REFUSED:
        return f"网上报送：被县局拒收。县局说明：{row.reason}"
    when = f"{row.delivered_at:%Y-%m-%d %H:%M}" if row.delivered_at else ""
    return f"网上报送：{row.state_label}（{when}送达，县局回执已核验）。"
