"""网上收件 (county): the packages the towns sent over the network, and the receiving service.

Each received package was verified on arrival with the checks of a USB import; a verified one
waits here (待导入) until an officer imports it, unless the county chose to import at once;
a refused one stays listed with the reason its receipt gave the town. When the county chose
to receive while the program is open, the service runs on a thread of this program
(service/run.py) from the county screen's start until the program quits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import inbox
from core.app.storage import Database
from core.errors import SubsidyDeskError
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job

if TYPE_CHECKING:
    from core.packages.county_import import ImportReport

TITLE = "网上收件"
HEADERS = ("收到时间", "站所", "批次", "状态", "说明", "大小")

_service: object = None  # the in-program service, one per program


def start_in_program(db: Database) -> str:
    """Start the in-program service when the county chose so; a sentence for the status line."""
    global _service
    from service.run import ServiceThread

    settings = inbox.load_service_settings(db.path.parent)
    if not settings.run_in_program:
        return "本程序不接收网上报送（可在“接收服务设置”中开启，或另行运行接收服务）。"
    if isinstance(_service, ServiceThread) and _service.running:
        return f"接收服务运行中：端口 {_service.port}。"
    try:
        _service = ServiceThread(db).start()
    except SubsidyDeskError as exc:
        return exc.message_zh
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(stop_in_program)
    return f"接收服务运行中：端口 {settings.port}。"


def stop_in_program() -> None:
    global _service
    from service.run import ServiceThread

    if isinstance(_service, ServiceThread):
        _service.stop()
    _service = None


class InboxWindow(QWidget):
    def __init__(
        self,
        db: Database,
        dialogs: DialogService,
        actor_of: Callable[[], Actor],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(TITLE)
        self.resize(900, 520)
        self.db, self.dialogs, self._actor_of = db, dialogs, actor_of
        self.entries: list[inbox.InboxEntry] = []
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.import_button = QPushButton("导入所选(&I)")
        self.import_button.clicked.connect(self.import_chosen)
        refresh = QPushButton("刷新(&F)")
        refresh.clicked.connect(self.refresh)
        settings = QPushButton("接收服务设置(&S)…")
        settings.clicked.connect(self.edit_settings)
        self.table.itemSelectionChanged.connect(self._update)
        buttons = QHBoxLayout()
        for b in (self.import_button, refresh, settings):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.status.setText(start_in_program(db))
        self.refresh()

    def refresh(self) -> None:
        self.entries = inbox.inbox_entries(self.db)
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            cells = (f"{e.received_at:%Y-%m-%d %H:%M}", e.office_code, f"第{e.batch_number}批" if e.batch_number else "",
                     e.label, e.reason, f"{e.size / 1e6:.1f} MB")  # fmt: skip
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.entries:
            self.table.selectRow(0)
        self._update()

    def chosen(self) -> inbox.InboxEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows and rows[0].row() < len(self.entries) else None

    def _update(self) -> None:
        entry = self.chosen()
        self.import_button.setEnabled(entry is not None and entry.label == "待导入")

    def import_chosen(self) -> Job | None:
        entry = self.chosen()
        if entry is None or entry.label != "待导入":
            return None
        db, actor, upload_id = self.db, self._actor_of(), entry.upload_id
        return run_job(
            self, self.dialogs, lambda _r: inbox.import_from_inbox(db, actor, upload_id=upload_id), self._imported,
            title=TITLE, label="正在导入数据包……",
        )  # fmt: skip

    def _imported(self, report: ImportReport) -> None:
        self.dialogs.info(self, TITLE, report.summary)
        self.refresh()

    def edit_settings(self) -> None:
        from ui.dialogs.service_settings import ServiceSettingsDialog

        db, actor = self.db, self._actor_of()

        def make(hosts: list[str]) -> tuple[str, inbox.ServiceSettings]:
            fp = inbox.make_certificate(db, actor, hosts=hosts)
            return fp, inbox.load_service_settings(db.path.parent)

        dialog = ServiceSettingsDialog(
            inbox.load_service_settings(db.path.parent),
            lambda s: inbox.save_service_settings(db, actor, settings=s),
            make,
            lambda: inbox.service_fingerprint(db),
            self.dialogs,
            self,
        )
        if dialog.exec():
            stop_in_program()
            self.status.setText(start_in_program(db))
