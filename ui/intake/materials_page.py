"""Step 4: the materials checklist, with scans attached by picker, drag and drop, or paste.

Space ticks the current cell; the copies column takes a number. Any-of groups are labelled
"（任选其一）" so the clerk knows one of them is enough. Below the table, the scans of the
current material; a wrong one is removed with its reason (audited).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from core.app import corrections
from core.app import intake as ops
from core.app.intake import Attached
from core.cases.checklist import ChecklistLine, ChecklistMark
from core.cases.states import REMOVE_SCAN_REASONS
from core.errors import SubsidyDeskError
from ui.intake.context import IntakeContext
from ui.intake.step import StepPage, focus_later, is_storage_failure
from ui.jobs import Job, run_job
from ui.shield import shielded

COL_NAME, COL_NEED, COL_RECEIVED, COL_ORIGINAL, COL_COPIES, COL_FILES = range(6)
IMAGE_FILTER = "扫描件或照片 (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.pdf)"


class MaterialsPage(StepPage):
    def __init__(self, ctx: IntakeContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("第4步：申请材料")
        self.setSubTitle(
            "逐项勾选已收到的材料（空格键勾选），可附加扫描件：点“附加扫描件”、把文件拖到表格上，或 Ctrl+V 粘贴截图。"
        )
        self.lines: list[ChecklistLine] = []
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            ["材料", "要求", "已收到", "原件已核验退回", "留存份数", "扫描件"]
        )
        self.table.horizontalHeader().setSectionResizeMode(COL_NEED, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAcceptDrops(True)
        self.table.viewport().setAcceptDrops(True)
        self.setAcceptDrops(True)
        self.attach_button = QPushButton("附加扫描件(&A)…")
        self.note = QLabel(wordWrap=True)
        self.scans_label = QLabel("本项材料的扫描件：")
        self.scans = QListWidget()
        self.scans.setFixedHeight(96)  # a few scans per material; the table gets the rest
        self.remove_button = QPushButton("删除扫描件(&X)…")
        buttons = QVBoxLayout()
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        scans_row = QHBoxLayout()
        scans_row.addWidget(self.scans, 1)
        scans_row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.scans_label)
        layout.addLayout(scans_row)
        layout.addWidget(self.note)
        for button in (self.attach_button, self.remove_button):
            button.setAutoDefault(False)  # Enter still means 下一步
        self.attach_button.clicked.connect(self.pick_file)
        self.remove_button.clicked.connect(self.remove_selected_scan)
        self.table.currentCellChanged.connect(self._current_changed)
        self.scans.currentRowChanged.connect(lambda _row: self._update_remove_button())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), self).activated.connect(self.paste_image)

    @shielded(None)
    def initializePage(self) -> None:
        self.lines = ops.checklist(self.ctx.db, case_id=self.ctx.require_case())
        self.table.setRowCount(len(self.lines))
        for r, line in enumerate(self.lines):
            self._fill_row(r, line)
        self.table.resizeColumnToContents(COL_NAME)
        self.note.setText("该补贴文件未列申请材料。" if not self.lines else "")
        focus_later(self.table)
        if self.lines:
            self.table.setCurrentCell(0, COL_RECEIVED)
        self.show_scans()

    def _fill_row(self, r: int, line: ChecklistLine) -> None:
        name = QTableWidgetItem(line.name)
        name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        need = QTableWidgetItem(line.requirement)
        need.setToolTip(line.requirement)
        need.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.table.setItem(r, COL_NAME, name)
        self.table.setItem(r, COL_NEED, need)
        for col, checked, enabled in (
            (COL_RECEIVED, line.state.received, True),
            (COL_ORIGINAL, line.state.original_seen, line.takes_original),
        ):
            item = QTableWidgetItem()
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if enabled else flags)
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.table.setItem(r, col, item)
        self.table.setItem(
            r, COL_COPIES, QTableWidgetItem(str(line.state.copies_kept or line.suggested_copies))
        )
        shown = QTableWidgetItem(f"{line.files} 个" if line.files else "")
        shown.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.table.setItem(r, COL_FILES, shown)

    def marks(self) -> dict[str, ChecklistMark]:
        """What the table shows, as marked; core decides what is kept of it."""
        return {
            line.material_id: ChecklistMark(
                received=self._cell(r, COL_RECEIVED).checkState() == Qt.CheckState.Checked,
                original_seen=self._cell(r, COL_ORIGINAL).checkState() == Qt.CheckState.Checked,
                copies=self._cell(r, COL_COPIES).text(),
            )
            for r, line in enumerate(self.lines)
        }

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        if item is None:  # every cell is filled in _fill_row; an empty one is a bug
            raise LookupError(f"checklist cell {row},{column} is empty")
        return item

    def _current_material(self) -> str | None:
        row = self.table.currentRow()
        return self.lines[row].material_id if 0 <= row < len(self.lines) else None

    def attach(self, path: Path) -> Job:
        """Store the scan on a worker (a 12-megapixel photo is downscaled first, about half a second)."""
        material_id, row = self._current_material(), self.table.currentRow()
        db, actor, case_id = self.ctx.db, self.ctx.actor, self.ctx.require_case()

        def attached(result: Attached) -> None:
            if row >= 0:
                self._cell(row, COL_RECEIVED).setCheckState(Qt.CheckState.Checked)
                self._cell(row, COL_FILES).setText(f"{result.files_for_material} 个")
            self.note.setText(f"已附加：{result.filename}")
            self.show_scans()

        return run_job(
            self, self.ctx.dialogs,
            lambda _report: ops.attach_scan(db, actor, case_id=case_id, material_id=material_id, path=path),
            attached, title="不能附加该文件", label=f"正在附加 {path.name}……",
        )  # fmt: skip

    def _current_changed(self, row: int, _column: int, old_row: int, _old_column: int) -> None:
        if row != old_row:
            self.show_scans()

    def show_scans(self) -> None:
        """The scans of the current material (of the case, when the subsidy lists no materials)."""
        self.scans.clear()
        if self.ctx.case_id is None:
            return
        material_id = self._current_material()
        line = self.table.currentRow()
        name = self.lines[line].name if 0 <= line < len(self.lines) else ""
        self.scans_label.setText(f"“{name}”的扫描件：" if name else "扫描件：")
        for scan in corrections.case_scans(self.ctx.db, case_id=self.ctx.case_id):
            if self.lines and scan.material_id != material_id:
                continue
            item = QListWidgetItem(f"{scan.filename}　{scan.added_at:%Y-%m-%d %H:%M}")
            item.setData(Qt.ItemDataRole.UserRole, scan.id)
            self.scans.addItem(item)
        if self.scans.count():
            self.scans.setCurrentRow(0)
        self._update_remove_button()

    def _update_remove_button(self) -> None:
        self.remove_button.setEnabled(self.scans.currentItem() is not None)

    def remove_selected_scan(self) -> None:
        """删除扫描件, with its reason; the stored file goes only if no other case uses it."""
        item, row = self.scans.currentItem(), self.table.currentRow()
        if item is None or self.ctx.case_id is None:
            return
        reason = self.ctx.dialogs.ask_choice(
            self, "删除扫描件", f"从本案件中删除“{item.text()}”。请选择或填写删除原因：", REMOVE_SCAN_REASONS
        )
        if reason is None:
            return
        try:
            removed = corrections.remove_scan(
                self.ctx.db, self.ctx.actor, case_id=self.ctx.case_id,
                attachment_id=int(item.data(Qt.ItemDataRole.UserRole)), reason=reason,
            )  # fmt: skip
        except SubsidyDeskError as exc:
            self.note.setText(exc.message_zh)
            return
        if 0 <= row < len(self.lines):
            left = removed.files_for_material
            self._cell(row, COL_FILES).setText(f"{left} 个" if left else "")
        self.note.setText(f"已删除：{removed.filename}（原因已记入办理记录；材料是否已收到请按实际勾选）")
        self.show_scans()

    def pick_file(self) -> None:
        path = self.ctx.dialogs.open_file(self, "选择扫描件或照片", IMAGE_FILTER)
        if path:
            self.attach(Path(path))

    def paste_image(self) -> None:
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self.note.setText("剪贴板里没有图片。")
            return
        target = Path(tempfile.mkdtemp()) / "粘贴的图片.png"
        image.save(str(target), b"PNG")
        self.attach(target)

    @shielded(None)
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    @shielded(None)
    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.attach(Path(url.toLocalFile()))

    @shielded(False)
    def validatePage(self) -> bool:
        """下一步: the checklist as marked; a line that cannot be read is named, nothing is saved."""
        try:
            ops.save_checklist(
                self.ctx.db, self.ctx.actor, case_id=self.ctx.require_case(), marks=self.marks()
            )
        except SubsidyDeskError as exc:
            self.note.setText(exc.message_zh)
            if is_storage_failure(exc):  # the disk or the database refused it, not the marks
                self.report_failure(exc)
            return False
        return True

    def leave(self) -> None:
        """上一步 or 关闭: save every line that can be read."""
        if self.ctx.case_id is not None and self.lines:
            ops.save_checklist(
                self.ctx.db, self.ctx.actor, case_id=self.ctx.case_id, marks=self.marks(), keep_valid=True
            )
