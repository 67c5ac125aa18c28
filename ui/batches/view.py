"""上报批次: every batch this office exported, and what can be done with one again.

For the chosen batch: print its 交接单, its 花名册 and its 公示 list (one subsidy at a time, as
the county files them), and write its package again to another stick from the copy kept at
export. Printing and writing run on workers (ui/printing.py, ui/jobs.py).

Where the office has a connection, a batch is also sent to the county over the network
(网上发送): the 网上报送 column and the line under the list show where it has got, with the
percent and speed while it goes (ui/batches/sender.py sends in the background).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor, Role
from core.app import batches, outbox
from core.app.storage import Database
from core.errors import SubsidyDeskError
from core.money import format_yuan
from ui.batches.model import BatchTableModel
from ui.batches.sender import OutboxSender
from ui.batches.state import BatchListState, sending_detail, sending_label
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job
from ui.print_preview import show_print_preview
from ui.printing import Show, preview_prepared, preview_roster

TITLE = "上报批次"
COLUMN_WIDTHS = (70, 130, 80, 60, 120, 200, 50, 70)


class BatchesWindow(QWidget):
    def __init__(
        self,
        db: Database,
        actor_of: Callable[[], Actor],
        dialogs: DialogService,
        parent: QWidget | None = None,
        show: Show = show_print_preview,
        sender: OutboxSender | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(TITLE)
        self.resize(980, 600)
        self.db, self._actor_of, self.dialogs, self._show = db, actor_of, dialogs, show
        self.state = BatchListState()
        self.outbox_sender = sender
        self.sending: dict[int, outbox.OutboxRow] = {}
        self.live: dict[int, tuple[int, int, float]] = {}
        self.model = BatchTableModel(
            lambda: batches.batch_rows(db), lambda n: sending_label(self.sending.get(n), self.live.get(n))
        )
        self.written: Path | None = None
        self.fetched: list[str] = []
        self._make_widgets()
        self._lay_out()
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._batch_chosen())
        self.groups.itemSelectionChanged.connect(self._group_chosen)
        if sender is not None:
            sender.progress.connect(self._sending_progress)
            sender.finished.connect(self._sending_finished)
        self.refresh()

    def _make_widgets(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.groups = QTableWidget(0, 3)
        self.groups.setHorizontalHeaderLabels(["补贴项目", "件数", "金额（元）"])
        self.groups.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.groups.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.groups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.groups.verticalHeader().setVisible(False)
        self.groups.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.detail = QLabel("请在上面选择一个批次。")
        self.network_detail = QLabel()
        self.network_detail.setWordWrap(True)
        self.count_label = QLabel()
        self.slip_button = QPushButton("打印交接单(&S)")
        self.roster_button = QPushButton("打印花名册(&R)")
        self.notice_button = QPushButton("打印公示名单(&G)")
        self.write_button = QPushButton("重新写入U盘(&W)…")
        self.send_button = QPushButton("网上发送(&N)")
        self.send_button.setToolTip("通过网络把这一批报送县局；没有网络时会等网络恢复再发送。")
        self.fetch_button = QPushButton("取回县局结果(&T)")
        self.fetch_button.setToolTip("通过网络取回县局发来的审核结果和政策更新。")
        self.settings_button = QPushButton("上报服务设置(&E)…")
        refresh = QPushButton("刷新(&F)")
        self.slip_button.clicked.connect(self.print_slip)
        self.roster_button.clicked.connect(lambda: self.print_roster(public=False))
        self.notice_button.clicked.connect(lambda: self.print_roster(public=True))
        self.write_button.clicked.connect(self.write_again)
        self.send_button.clicked.connect(self.send_now)
        self.fetch_button.clicked.connect(self.fetch)
        self.settings_button.clicked.connect(self.edit_settings)
        refresh.clicked.connect(self.refresh)
        self.buttons = (self.slip_button, self.roster_button, self.notice_button, self.write_button, refresh)
        self.network_buttons = (self.send_button, self.fetch_button, self.settings_button)

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        for button in self.buttons:
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        network = QHBoxLayout()
        for button in self.network_buttons:
            network.addWidget(button)
        network.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.detail)
        layout.addWidget(self.network_detail)
        layout.addLayout(network)
        layout.addWidget(QLabel("本批案件按补贴项目（花名册、公示名单按所选补贴项目打印）："))
        layout.addWidget(self.groups, 2)
        layout.addLayout(actions)

    # What is chosen
    def refresh(self) -> None:
        chosen = self.state.batch.number if self.state.batch else None
        self.sending = outbox.rows(self.db)
        self.model.refresh()
        self.count_label.setText(f"共 {self.model.total} 批")
        self.write_button.setVisible(self._actor_of().has(Role.HEAD))  # writing a batch is the head's
        rows = [self.model.row_at(i) for i in range(self.model.rowCount())]
        index = next((i for i, r in enumerate(rows) if r is not None and r.number == chosen), 0)
        if rows:
            self.table.selectRow(index)
        self._batch_chosen()

    def _batch_chosen(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        row = self.model.row_at(selected[0].row()) if selected else None
        groups = batches.batch_groups(self.db, number=row.number) if row else []
        self.state.choose(row, groups)
        self._show_groups()
        self._update()

    def _show_groups(self) -> None:
        self.groups.blockSignals(True)
        self.groups.setRowCount(len(self.state.groups))
        for r, group in enumerate(self.state.groups):
            cells = (group.subsidy, str(len(group.case_ids)), format_yuan(group.amount_fen))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:  # counts and amounts line up on the right
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.groups.setItem(r, c, item)
        if self.state.groups:
            self.groups.selectRow(0)
        self.groups.blockSignals(False)

    def _group_chosen(self) -> None:
        rows = self.groups.selectionModel().selectedRows()
        self.state.group_index = rows[0].row() if rows else -1
        self._update()

    def _update(self) -> None:
        batch = self.state.batch
        for button in (self.slip_button, self.write_button, self.send_button):
            button.setEnabled(batch is not None)
        self.network_detail.setText(
            sending_detail(self.sending.get(batch.number), self.live.get(batch.number)) if batch else ""
        )
        for button in (self.roster_button, self.notice_button):
            button.setEnabled(self.state.group is not None)
        if batch is None:
            self.detail.setText(
                "还没有导出过批次。" if not self.model.rowCount() else "请在上面选择一个批次。"
            )
            return
        kept = "本机留存有数据包副本，可重新写入U盘。" if batch.copy_kept else "本机没有这一批的数据包副本。"
        self.detail.setText(
            f"{self.state.label}：{batch.case_count}件，合计{format_yuan(batch.total_fen)}元，{batch.state}。{kept}"
        )

    # Actions
    def print_slip(self) -> Job | None:
        if self.state.batch is None:
            return None
        try:
            document = batches.prepare_transfer_slip(self.db, number=self.state.batch.number)
        except SubsidyDeskError as exc:
            self.dialogs.error(self, TITLE, exc.message_zh)
            return None
        return preview_prepared(self, document, self.dialogs, show=self._show)

    def print_roster(self, public: bool) -> Job | None:
        group, batch = self.state.group, self.state.batch
        if group is None or batch is None:
            return None
        try:
            label = batches.batch_label(self.db, number=batch.number)
        except SubsidyDeskError as exc:
            self.dialogs.error(self, TITLE, exc.message_zh)
            return None
        return preview_roster(
            self, group.case_ids, self.db, self.dialogs, public=public, batch_label=label, show=self._show
        )

    def write_again(self) -> Job | None:
        batch = self.state.batch
        if batch is None:
            return None
        folder = self.dialogs.choose_folder(self, f"选择要写入{self.state.label}的U盘或文件夹")
        if not folder:
            return None
        db, actor, number = self.db, self._actor_of(), batch.number
        return run_job(
            self, self.dialogs,
            lambda _report: batches.write_batch_again(db, actor, number=number, folder=Path(folder)),
            self._written, title=TITLE, label=f"正在写入{self.state.label}的数据包……",
        )  # fmt: skip

    def _written(self, path: Path) -> None:
        self.written = path
        self.dialogs.info(
            self, TITLE,
            f"{self.state.label}的数据包已重新写入，并已读回核对无误：\n{path}\n"
            "内容与当初导出的完全相同，县局可照常导入（已导入过的，县局导入时会提示已导入）。",
        )  # fmt: skip

    # Over the network
    def send_now(self) -> None:
        batch = self.state.batch
        if batch is None:
            return
        if not outbox.load_settings(self.db.path.parent).configured:
            self.dialogs.info(
                self,
                TITLE,
                "还没有填写县局上报服务的地址。请先在“上报服务设置”中填写（地址和证书指纹由县局提供）。",
            )
            self.edit_settings()
            if not outbox.load_settings(self.db.path.parent).configured:
                return
        try:
            outbox.queue(self.db, self._actor_of(), number=batch.number)
        except SubsidyDeskError as exc:
            self.dialogs.error(self, TITLE, exc.message_zh)
            return
        if self.outbox_sender is not None:
            self.outbox_sender.start()
        self.refresh()

    def edit_settings(self) -> None:
        from ui.dialogs.upload_settings import UploadSettingsDialog

        db, actor = self.db, self._actor_of()
        dialog = UploadSettingsDialog(
            lambda s: outbox.save_settings(db, actor, settings=s), outbox.load_settings(db.path.parent), self
        )
        dialog.exec()

    def fetch(self) -> Job | None:
        if not outbox.load_settings(self.db.path.parent).configured:
            self.dialogs.info(self, TITLE, "还没有填写县局上报服务的地址。请先在“上报服务设置”中填写。")
            return None
        db, actor = self.db, self._actor_of()
        return run_job(
            self, self.dialogs, lambda _report: outbox.fetch_from_county(db, actor), self._fetched,
            title=TITLE, label="正在从县局服务取回结果……",
        )  # fmt: skip

    def _fetched(self, lines: list[str]) -> None:
        self.fetched = lines
        self.dialogs.info(self, TITLE, "\n".join(lines) if lines else "县局没有新的结果包或政策更新。")
        self.refresh()

    def _sending_progress(self, number: int, sent: int, total: int, speed: float) -> None:
        self.live[number] = (sent, total, speed)
        column, rows = self.model.columnCount() - 1, self.model.rowCount()
        if rows:
            self.model.dataChanged.emit(self.model.index(0, column), self.model.index(rows - 1, column))
        self._update()

    def _sending_finished(self, _outcomes: list[object]) -> None:
        self.live.clear()
        self.refresh()
