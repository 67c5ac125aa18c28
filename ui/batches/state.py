"""What the batches screen shows: the chosen batch and the subsidy groups of its cases (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.app.batches import BatchGroup, BatchRow


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
