"""政策目录更新 (county): choose readings, set parameters, extend a policy, preview, sign and write.

The tabs gather one update of one catalog: 解读 (each reading the county decides, its
alternatives, the default and the current choice), 执行期限 (a new end date with the notice
that sets it), 参数 (the amounts the documents leave to the county) and 替换目录文件 (a whole
catalog file, for structural changes). 预览变化 shows the update as a catalog report diff;
签名并写入 signs it with the county key and writes the package for the towns. Building and
checking the catalog run on a worker (ui/jobs.py); the rules are core/app/county_catalogs.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import county_catalogs as ops
from core.app.storage import Database
from core.date_input import parse_date
from core.errors import ValidationError
from core.money import format_yuan, parse_yuan
from core.policy.update import ExtensionInput, UpdateChanges
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job
from ui.shield import shielded

TITLE = "县局：政策目录更新"


def _scrolled(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    return area


class CatalogUpdateDialog(QDialog):
    def __init__(
        self, db: Database, actor: Actor, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(940, 680)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self.state: ops.CatalogState | None = None
        self.reading_boxes: dict[str, QComboBox] = {}
        self.parameter_edits: dict[tuple[str, str], QLineEdit] = {}  # (parameter, choice or "")
        self.replacement: Path | None = None
        self.issued: ops.IssuedUpdate | None = None
        self.catalog = QComboBox()
        for key, title in ops.catalog_titles(db):
            self.catalog.addItem(title, key)
        self.current = QLabel(wordWrap=True)
        self.tabs = QTabWidget()
        self.preview_text = QPlainTextEdit(readOnly=True)
        self.preview_text.setPlaceholderText("点“预览变化”查看这次更新改变了什么。")
        self.preview_button = QPushButton("预览变化(&P)")
        self.issue_button = QPushButton("签名并写入更新包(&W)…")
        self._lay_out()
        self.catalog.currentIndexChanged.connect(self.load)
        self.preview_button.clicked.connect(self.preview)
        self.issue_button.clicked.connect(self.issue)
        self.load()

    @shielded(QSize(940, 680))
    def sizeHint(self) -> QSize:
        """At most the size it opens at: the tabs scroll, and the screen is 1024×768."""
        return super().sizeHint().boundedTo(QSize(940, 680))

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("政策文件"))
        top.addWidget(self.catalog, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.issue_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.current)
        layout.addWidget(self.tabs, 3)
        layout.addWidget(QLabel("本次更新的变化（按政策目录核对报告逐项比较）："))
        layout.addWidget(self.preview_text, 2)
        layout.addLayout(buttons)

    # Building the tabs from the catalog as it is now
    def load(self) -> None:
        key = self.catalog.currentData()
        if key is None:
            return
        self.state = state = ops.catalog_state(self.db, self.actor, catalog_id=key)
        self.current.setText(f"现用版本 {state.version}；执行期限 {state.period}。")
        self.tabs.clear()
        self.tabs.addTab(self._readings_tab(state), "解读选择(&R)")
        self.tabs.addTab(self._extension_tab(state), "延长执行期限(&D)")
        self.tabs.addTab(self._parameters_tab(state), "参数(&M)")
        self.tabs.addTab(self._replacement_tab(), "替换目录文件(&F)")
        self.preview_text.clear()

    def _readings_tab(self, state: ops.CatalogState) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.reading_boxes = {}
        if not state.readings:
            layout.addWidget(QLabel("本目录没有需由县人社局确定的解读。"))
        for row in state.readings:
            labels = dict(row.alternatives)
            box = QComboBox()
            box.addItem(f"尚未选择（按默认：{labels.get(row.default, '')}）", None)
            for alt, label in row.alternatives:
                box.addItem(label + ("（默认）" if alt == row.default else ""), alt)
            box.setCurrentIndex(max(box.findData(row.chosen), 0) if row.chosen else 0)
            self.reading_boxes[row.key] = box
            group = QGroupBox(row.question)
            inside = QVBoxLayout(group)
            inside.addWidget(QLabel(row.explanation, wordWrap=True))
            default = labels.get(row.default, "")
            now = (
                f"县人社局已选择：{labels.get(row.chosen, '')}"
                if row.chosen
                else f"尚未选择，按默认：{default}"
            )
            inside.addWidget(QLabel(f"现在：{now}", wordWrap=True))
            inside.addWidget(box)
            layout.addWidget(group)
        layout.addStretch(1)
        return _scrolled(inner)

    def _extension_tab(self, state: ops.CatalogState) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.extend = QCheckBox("本次更新延长执行期限")
        self.end = QLineEdit(placeholderText="例如 2026-12-31")
        self.number = QLineEdit(placeholderText="延期通知的文号")
        self.issued_on = QLineEdit(placeholderText="例如 2026-01-05")
        self.issuer = QLineEdit(placeholderText="发文机关")
        self.section = QLineEdit(placeholderText="条款编号，例如 一")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("从延期通知中逐字复制延期的条款原文")
        form.addRow(QLabel(f"现在的截止日期：{state.end.isoformat() if state.end else '文件未规定截止日期'}"))
        form.addRow(self.extend)
        for label, widget in (("延期至", self.end), ("延期通知文号", self.number),
                              ("延期通知印发日期", self.issued_on), ("发文机关", self.issuer),
                              ("条款编号", self.section), ("延期条款原文", self.text)):  # fmt: skip
            form.addRow(label, widget)
        return page

    def _parameters_tab(self, state: ops.CatalogState) -> QWidget:
        inner = QWidget()
        form = QFormLayout(inner)
        self.parameter_edits = {}
        if not state.parameters:
            form.addRow(QLabel("本目录没有需要录入的参数。"))
        for p in state.parameters:
            ceiling = f"，上限 {format_yuan(p.ceiling_fen)} 元" if p.ceiling_fen is not None else ""
            form.addRow(QLabel(f"{p.label}（{p.unit}{ceiling}）", wordWrap=True))
            if p.note:
                form.addRow(QLabel(p.note, wordWrap=True))
            for choice, label in p.choices or (("", "金额" if p.money else "数值"),):
                value = (p.values or {}).get(choice) if choice else p.value
                edit = QLineEdit(_shown(p, value), placeholderText="不填：暂不设定")
                self.parameter_edits[(p.key, choice)] = edit
                form.addRow(label, edit)
        return _scrolled(inner)

    def _replacement_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(
            "结构性修改（增删补贴、改条件）：选择一个新的政策目录文件。文件须通过政策目录检查，"
            "版本须高于现用版本；上面几页的选择照样加在它上面。", wordWrap=True,
        ))  # fmt: skip
        self.replacement_label = QLabel("未选择文件。")
        choose = QPushButton("选择目录文件(&O)…")
        clear = QPushButton("不替换(&N)")
        choose.clicked.connect(self.choose_replacement)
        clear.clicked.connect(lambda: self._set_replacement(None))
        layout.addWidget(self.replacement_label)
        row = QHBoxLayout()
        row.addWidget(choose)
        row.addWidget(clear)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.replacement = None
        return page

    def choose_replacement(self) -> None:
        chosen = self.dialogs.open_file(self, "选择政策目录文件", "政策目录文件 (*.json)")
        if chosen:
            self._set_replacement(Path(chosen))

    def _set_replacement(self, path: Path | None) -> None:
        self.replacement = path
        self.replacement_label.setText(f"将替换为：{path}" if path else "未选择文件。")

    # What the officer asked for
    def changes(self) -> Callable[[], UpdateChanges]:
        """The update as typed (ValidationError names a field); the file is read on the worker."""
        state = self.state
        assert state is not None
        readings = {k: box.currentData() for k, box in self.reading_boxes.items() if box.currentData()}
        now = {r.key: r.chosen for r in state.readings if r.chosen}
        values = self._parameters(state)
        extension = self._extension() if self.extend.isChecked() else None
        replacement = self.replacement

        def build() -> UpdateChanges:
            return UpdateChanges(
                extension=extension,
                readings=readings if readings != now else None,
                parameters=values if values != _current_values(state) else None,
                replacement=replacement.read_bytes() if replacement else None,
            )

        return build

    def _extension(self) -> ExtensionInput:
        return ExtensionInput(
            end=parse_date(self.end.text(), "延期至"),
            document_number=self.number.text().strip(),
            issued_on=parse_date(self.issued_on.text(), "延期通知印发日期"),
            issuer=self.issuer.text().strip(),
            section=self.section.text().strip(),
            text=self.text.toPlainText().strip(),
        )

    def _parameters(self, state: ops.CatalogState) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for p in state.parameters:
            for (key, choice), edit in self.parameter_edits.items():
                if key != p.key or not edit.text().strip():
                    continue
                value = _parsed(p, edit.text())
                if choice:
                    out.setdefault(key, {})[choice] = value
                else:
                    out[key] = value
        return out

    def _typed(self) -> Callable[[], UpdateChanges] | None:
        try:
            return self.changes()
        except ValidationError as exc:
            self.dialogs.error(self, TITLE, exc.message_zh)
            return None

    def preview(self) -> Job | None:
        build, key = self._typed(), self.catalog.currentData()
        if build is None:
            return None
        db, actor = self.db, self.actor
        return run_job(
            self, self.dialogs, lambda _r: ops.preview_update(db, actor, catalog_id=key, changes=build()),
            self.show_preview, title=TITLE, label="正在生成并检查更新后的政策目录……",
        )  # fmt: skip

    def show_preview(self, preview: ops.UpdatePreview) -> None:
        head = f"“{preview.title}”版本 {preview.version_from} → {preview.version_to}："
        self.preview_text.setPlainText("\n".join([head, *preview.changes]))

    def issue(self) -> Job | None:
        build, key = self._typed(), self.catalog.currentData()
        if build is None:
            return None
        folder = self.dialogs.choose_folder(self, "选择写入更新包的U盘或文件夹")
        if not folder:
            return None
        if not self.dialogs.confirm(
            self, TITLE, "用县局密钥签名并写入更新包吗？写入后本机即按新版本执行，乡镇安装后生效。"
        ):
            return None
        db, actor = self.db, self.actor
        return run_job(
            self, self.dialogs,
            lambda _r: ops.issue_update(db, actor, catalog_id=key, changes=build(), folder=Path(folder)),
            self.show_issued, title=TITLE, label="正在生成、签名并写入更新包……",
        )  # fmt: skip

    def show_issued(self, issued: ops.IssuedUpdate) -> None:
        self.issued = issued
        self.show_preview(issued.preview)
        self.dialogs.info(
            self, TITLE,
            f"已写入更新包 {issued.path}（版本 {issued.preview.version_to}）。请把它交给各乡镇，"
            "由所长在“上报 → 安装政策目录更新”中安装。",
        )  # fmt: skip
        self.load()


def _shown(p: ops.ParameterRow, value: int | None) -> str:
    if value is None:
        return ""
    return format_yuan(value) if p.money else str(value)


def _parsed(p: ops.ParameterRow, text: str) -> int:
    if p.money:
        return parse_yuan(text, p.label)
    try:
        return int(text.strip())
    except ValueError:
        raise ValidationError("PARAMETER_NOT_NUMBER", p.label, f"“{p.label}”应为整数。") from None


def _current_values(state: ops.CatalogState) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in state.parameters:
        if p.value is not None:
            out[p.key] = p.value
        elif p.values:
            out[p.key] = dict(p.values)
    return out
