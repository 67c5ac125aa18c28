"""Step 4: the materials checklist, with scans attached by picker, drag and drop, or paste.

Space ticks the current cell; the copies column takes a number. Any-of groups are labelled
"（任选其一）" so the clerk knows one of them is enough.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from core.cases.intake import MaterialState
from core.errors import ValidationError
from core.policy import model as m
from core.policy.words import FORM_ZH, PROVIDER_ZH
from ui.intake.context import IntakeContext
from ui.operations import intake as ops

COL_NAME, COL_NEED, COL_RECEIVED, COL_ORIGINAL, COL_COPIES, COL_FILES = range(6)
IMAGE_FILTER = "扫描件或照片 (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.pdf)"


def requirement(material: m.Material, groups: dict[str, m.MaterialGroup]) -> str:
    parts = [FORM_ZH.get(material.form, material.form)]
    if material.copies > 1:
        parts.append(f"{material.copies}份")
    if material.original_returned:
        parts.append("审核原件后退回")
    parts.append(f"由{PROVIDER_ZH.get(material.provided_by, material.provided_by)}提供")
    if material.group and material.group in groups:
        parts.append(f"{groups[material.group].label}")
    if material.condition_label:
        parts.append(material.condition_label)
    return "；".join(parts)


class MaterialsPage(QWizardPage):
    def __init__(self, ctx: IntakeContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("第4步：申请材料")
        self.setSubTitle(
            "逐项勾选已收到的材料（空格键勾选），可附加扫描件：点“附加扫描件”、把文件拖到表格上，或 Ctrl+V 粘贴截图。"
        )
        self.materials: list[m.Material] = []
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            ["材料", "要求", "已收到", "原件已核验退回", "留存份数", "扫描件"]
        )
        self.table.horizontalHeader().setSectionResizeMode(COL_NEED, QHeaderView.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAcceptDrops(True)
        self.table.viewport().setAcceptDrops(True)
        self.setAcceptDrops(True)
        self.attach_button = QPushButton("附加扫描件(&A)…")
        self.note = QLabel(wordWrap=True)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.attach_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.attach_button.setAutoDefault(False)  # Enter still means 下一步
        self.attach_button.clicked.connect(self.pick_file)
        QShortcut(QKeySequence.Paste, self, activated=self.paste_image)

    def initializePage(self) -> None:
        assert self.ctx.subsidy_id is not None and self.ctx.case_id is not None
        subsidy = ops.subsidy(self.ctx.catalog_id, self.ctx.subsidy_id)
        groups = {g.id: g for g in subsidy.material_groups}
        self.materials = list(subsidy.materials)
        _cat, _sub, _facts, states = ops.load_case(self.ctx.db, self.ctx.case_id)
        counts = ops.attachments_count(self.ctx.db, self.ctx.case_id)
        self.table.setRowCount(len(self.materials))
        for r, material in enumerate(self.materials):
            state = states.get(material.id, MaterialState())
            self._fill_row(r, material, groups, state, counts.get(material.id, 0))
        self.table.resizeColumnToContents(COL_NAME)
        self.note.setText("该补贴文件未列申请材料。" if not self.materials else "")
        QTimer.singleShot(0, self.table.setFocus)
        if self.materials:
            self.table.setCurrentCell(0, COL_RECEIVED)

    def _fill_row(
        self,
        r: int,
        material: m.Material,
        groups: dict[str, m.MaterialGroup],
        state: MaterialState,
        files: int,
    ) -> None:
        name = QTableWidgetItem(material.name)
        name.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        need = QTableWidgetItem(requirement(material, groups))
        need.setToolTip(need.text())
        need.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        self.table.setItem(r, COL_NAME, name)
        self.table.setItem(r, COL_NEED, need)
        for col, checked, enabled in (
            (COL_RECEIVED, state.received, True),
            (COL_ORIGINAL, state.original_seen, "original" in material.form),
        ):
            item = QTableWidgetItem()
            flags = Qt.ItemIsSelectable | Qt.ItemIsUserCheckable
            item.setFlags(flags | Qt.ItemIsEnabled if enabled else flags)
            item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
            self.table.setItem(r, col, item)
        copies = QTableWidgetItem(
            str(state.copies_kept or (material.copies if "copy" in material.form else 0))
        )
        self.table.setItem(r, COL_COPIES, copies)
        shown = QTableWidgetItem(f"{files} 个" if files else "")
        shown.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        self.table.setItem(r, COL_FILES, shown)

    def states(self) -> dict[str, MaterialState]:
        out = {}
        for r, material in enumerate(self.materials):
            copies_text = self.table.item(r, COL_COPIES).text().strip()
            received = self.table.item(r, COL_RECEIVED).checkState() == Qt.Checked
            # The copies column is pre-filled with what the document asks; nothing is kept of
            # a material that did not arrive.
            copies = int(copies_text) if copies_text.isdigit() and received else 0
            out[material.id] = MaterialState(
                received=received,
                original_seen=self.table.item(r, COL_ORIGINAL).checkState() == Qt.Checked,
                copies_kept=copies,
            )
        return out

    def _current_material(self) -> str | None:
        row = self.table.currentRow()
        return self.materials[row].id if 0 <= row < len(self.materials) else None

    def attach(self, path: Path) -> None:
        assert self.ctx.case_id is not None
        material_id = self._current_material()
        try:
            name = ops.attach(self.ctx.db, self.ctx.case_id, material_id, path, self.ctx.actor)
        except ValidationError as exc:
            self.ctx.dialogs.error(self, "不能附加该文件", exc.message_zh)
            return
        row = self.table.currentRow()
        if row >= 0:
            self.table.item(row, COL_RECEIVED).setCheckState(Qt.Checked)
            counts = ops.attachments_count(self.ctx.db, self.ctx.case_id)
            self.table.item(row, COL_FILES).setText(f"{counts.get(material_id, 0)} 个")
        self.note.setText(f"已附加：{name}")

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
        image.save(str(target), "PNG")
        self.attach(target)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.attach(Path(url.toLocalFile()))

    def validatePage(self) -> bool:
        assert self.ctx.case_id is not None
        ops.save_checklist(self.ctx.db, self.ctx.case_id, self.states(), self.ctx.actor)
        return True
