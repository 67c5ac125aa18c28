"""The batch list's table model: one row per exported batch, from core.app.batches.batch_rows."""

from __future__ import annotations

from collections.abc import Callable

from core.app.batches import BatchRow
from core.app.paging import PagedRows
from core.money import format_yuan
from ui.paging import Column, PagedTableModel

RowsFor = Callable[[], PagedRows[BatchRow]]


def batch_columns(sending: Callable[[int], str] = lambda _n: "") -> list[Column[BatchRow]]:
    return [
        Column("批次", lambda r: f"第{r.number}批"),
        Column("导出时间", lambda r: f"{r.exported_at:%Y-%m-%d %H:%M}"),
        Column("经办人", lambda r: r.exported_by),
        Column("件数", lambda r: str(r.case_count), align_right=True),
        Column("合计金额（元）", lambda r: format_yuan(r.total_fen), align_right=True),
        Column("状态", lambda r: r.state),
        Column("加密", lambda r: "是" if r.sealed else "否"),
        Column("本机副本", lambda r: "有" if r.copy_kept else "无"),
        Column("网上报送", lambda r: sending(r.number)),
    ]


class BatchTableModel(PagedTableModel):
    def __init__(self, rows_for: RowsFor, sending: Callable[[int], str] = lambda _n: "") -> None:
        super().__init__(batch_columns(sending), rows_for())
        self._rows_for = rows_for

    def refresh(self) -> None:
        """Read the batches again (after an export or the county's results)."""
        self.show_rows(self._rows_for())
