"""The county's keys: 县局 → 县局密钥 (its own fingerprints, slip and key files) and
县局 → 站所密钥登记 (the register of office keys: register after comparing, list, revoke).

Nothing is registered before the officer has seen the fingerprint and confirmed it matches the
town's signed slip; revoking asks a reason and a confirmation. The rules are core's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import key_registry, keys
from core.app.key_registry import OfficeKeyCheck, RegisteredKey
from core.app.paging import PagedRows
from core.app.storage import Database
from core.errors import InvalidInput, SubsidyDeskError
from ui.dialog_service import DialogService
from ui.dialogs.keys_parts import close_buttons, fingerprint_label, set_fingerprint
from ui.jobs import Job
from ui.labels import error_label, warning_label
from ui.paging import Column, PagedTableModel
from ui.print_preview import show_print_preview
from ui.printing import Show, preview_prepared

COUNTY_TITLE = "县局密钥"
REGISTRY_TITLE = "站所密钥登记"
REGISTER_TITLE = "登记站所公钥"


class CountyKeyDialog(QDialog):
    """The county's two fingerprints, its slip for the towns, and its two public key files."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        dialogs: DialogService,
        parent: QWidget | None = None,
        show: Show = show_print_preview,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(COUNTY_TITLE)
        self.db, self.actor, self.dialogs, self._show = db, actor, dialogs, show
        card = keys.county_key_card(db, actor)
        self.signing = fingerprint_label(card.fingerprint)
        self.encryption = fingerprint_label(card.encryption)
        self.written: tuple[Path, Path] | None = None
        print_button = QPushButton("打印县局密钥公布表(&P)")
        write_button = QPushButton("写出县局公钥文件(&W)…")
        print_button.clicked.connect(self.print_slip)
        write_button.clicked.connect(self.write_files)
        row = QHBoxLayout()
        row.addWidget(print_button)
        row.addWidget(write_button)
        row.addStretch(1)
        buttons = close_buttons()
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"县局名称：{card.county_name or '（尚未填写，请在“设置 → 县局设置”中填写）'}")
        )
        layout.addWidget(QLabel("县局签名公钥指纹（各站所用它核验县局发回的审核结果）："))
        layout.addWidget(self.signing)
        layout.addWidget(QLabel("县局加密公钥指纹（各站所用它加密上报批次）："))
        layout.addWidget(self.encryption)
        layout.addWidget(
            QLabel(
                "发给各站所：写出县局公钥文件（两个文件）到U盘，连同签字盖章的县局密钥公布表一并发出。\n"
                "公钥文件和公布表都不含私钥，可以公开。"
            )
        )
        layout.addLayout(row)
        layout.addWidget(buttons)

    def print_slip(self) -> Job | None:
        try:
            document = keys.prepare_key_slip(self.db, self.actor)
        except SubsidyDeskError as exc:
            self.dialogs.error(self, COUNTY_TITLE, exc.message_zh)
            return None
        return preview_prepared(self, document, self.dialogs, show=self._show)

    def write_files(self) -> tuple[Path, Path] | None:
        folder = self.dialogs.choose_folder(self, "选择U盘或文件夹")
        if not folder:
            return None
        try:
            self.written = keys.write_county_key_files(self.db, self.actor, folder=Path(folder))
        except SubsidyDeskError as exc:
            self.dialogs.error(self, COUNTY_TITLE, exc.message_zh)
            return None
        names = "、".join(p.name for p in self.written)
        self.dialogs.info(self, COUNTY_TITLE, f"已写出县局公钥文件：{names}（在 {folder}）。")
        return self.written


def registry_columns() -> list[Column[RegisteredKey]]:
    return [
        Column("上报代码", lambda k: k.office_code),
        Column("站所名称", lambda k: k.office_name),
        Column("密钥指纹", lambda k: k.fingerprint),
        Column("登记人", lambda k: k.registered_by),
        Column("登记时间", lambda k: f"{k.registered_at:%Y-%m-%d %H:%M}"),
        Column("状态", lambda k: k.state),
    ]


def _listed(rows: list[RegisteredKey]) -> PagedRows[RegisteredKey]:
    return PagedRows(lambda: len(rows), lambda offset, limit: rows[offset : offset + limit])


class OfficeRegistryDialog(QDialog):
    """Every office key registered at this county, with registering and revoking."""

    def __init__(
        self, db: Database, actor: Actor, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(REGISTRY_TITLE)
        self.resize(1000, 480)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self.model = PagedTableModel(registry_columns(), _listed([]))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        register = QPushButton("登记站所公钥(&R)…")
        self.again_button = QPushButton("为选中的站所登记新密钥(&N)…")
        self.revoke_button = QPushButton("停用选中的密钥(&D)…")
        register.clicked.connect(self.register)
        self.again_button.clicked.connect(self.register_again)
        self.revoke_button.clicked.connect(self.revoke_selected)
        row = QHBoxLayout()
        row.addWidget(register)
        row.addWidget(self.again_button)
        row.addWidget(self.revoke_button)
        row.addStretch(1)
        buttons = close_buttons()
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.refresh()

    def refresh(self) -> None:
        self.model.show_rows(_listed(key_registry.registered_keys(self.db)))
        self._update_buttons()

    def selected(self) -> RegisteredKey | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.revoke_button.setEnabled(chosen is not None and chosen.active)
        self.again_button.setEnabled(chosen is not None)

    def register(self) -> None:
        if RegisterOfficeKeyDialog(self.db, self.actor, self.dialogs, self).exec():
            self.refresh()

    def register_again(self) -> RegisterOfficeKeyDialog | None:
        """A new key for the selected office (after a loss, or the town changed keys)."""
        chosen = self.selected()
        if chosen is None:
            return None
        dialog = RegisterOfficeKeyDialog(self.db, self.actor, self.dialogs, self)
        dialog.code.setText(chosen.office_code)
        dialog.name.setText(chosen.office_name)
        if dialog.exec():
            self.refresh()
        return dialog

    def revoke_selected(self) -> RegisteredKey | None:
        chosen = self.selected()
        if chosen is None or not chosen.active:
            return None
        reason = self.dialogs.ask_text(self, "停用站所密钥", "停用原因（如“U盘丢失”“电脑被盗”）：")
        if reason is None:
            return None
        question = (
            f"确定停用 {chosen.office_name}（{chosen.office_code}）的密钥吗？\n\n指纹：{chosen.fingerprint}\n\n"
            "停用后，这个密钥签名的、批次号大于县局已导入的最后一批的数据包一律拒绝导入，"
            "不论数据包自称何时生成（已经导入的不受影响）；站所须换新密钥重新登记。"
        )
        if not self.dialogs.confirm(self, "停用站所密钥", question):
            return None
        try:
            revoked = key_registry.revoke_office_key(
                self.db, self.actor, code=chosen.office_code, fingerprint=chosen.fingerprint, reason=reason
            )
        except SubsidyDeskError as exc:
            self.dialogs.error(self, "停用站所密钥", exc.message_zh)
            return None
        self.refresh()
        return revoked


class RegisterOfficeKeyDialog(QDialog):
    """Read a town's key file, show its fingerprint to compare with the slip, register on confirmation."""

    def __init__(
        self, db: Database, actor: Actor, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(REGISTER_TITLE)
        self.setMinimumWidth(600)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self.source: Path | None = None
        self.registered: RegisteredKey | None = None
        self.code = QLineEdit(maxLength=20, placeholderText="密钥登记表上的上报代码，如 533422101")
        self.name = QLineEdit(maxLength=80, placeholderText="如 升平镇劳动保障事务所")
        self.fingerprint = fingerprint_label()
        self.fingerprint.setVisible(False)
        self.note = warning_label(visible=False)
        self.error = error_label(visible=False)
        choose = QPushButton("选择站所公钥文件(&F)…")
        choose.clicked.connect(self.choose)
        self.code.editingFinished.connect(self._recheck)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("核对无误，登记(&R)")
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.try_register)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("上报代码(&C)", self.code)
        form.addRow("站所名称(&N)", self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("请选择站所交来的公钥文件（本所公钥-上报代码.pem）："))
        layout.addWidget(choose)
        layout.addWidget(QLabel("公钥指纹（与站所签字盖章的密钥登记表逐组核对）："))
        layout.addWidget(self.fingerprint)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def choose(self) -> None:
        path = self.dialogs.open_file(self, "选择站所公钥文件", "公钥文件 (*.pem);;所有文件 (*)")
        if path:
            self.load(Path(path))

    def load(self, source: Path) -> None:
        """Show the file's fingerprint, code and office name; nothing is saved."""
        try:
            preview = key_registry.read_office_key_file(source=source)
        except SubsidyDeskError as exc:
            self.source = None
            self.fingerprint.setVisible(False)
            self.ok.setEnabled(False)
            self._error(exc.message_zh)
            return
        self.source = source
        set_fingerprint(self.fingerprint, preview.fingerprint)
        self.fingerprint.setVisible(True)
        if preview.code:
            self.code.setText(preview.code)
        if preview.holder:
            self.name.setText(preview.holder)
        self._error("")
        self._recheck()

    def _error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.adjustSize()

    def _recheck(self) -> OfficeKeyCheck | None:
        if self.source is None:
            return None
        try:
            check = key_registry.check_office_key(self.db, source=self.source, code=self.code.text())
        except SubsidyDeskError as exc:
            self._error(exc.message_zh)
            return None
        self.note.setText(_note(check))
        self.note.setVisible(bool(self.note.text()))
        self.ok.setEnabled(not check.already)
        self.adjustSize()
        return check

    def try_register(self) -> None:
        check = self._recheck()
        if self.source is None or check is None or check.already:
            return
        question = (
            "请确认：屏幕上的指纹与站所签字盖章的密钥登记表逐组完全一致。\n\n"
            f"{check.file.fingerprint}\n\n站所：{self.name.text().strip()}（{self.code.text().strip()}）\n\n确认登记吗？"
        )
        if not self.dialogs.confirm(self, REGISTER_TITLE, question):
            return
        try:
            self.registered = key_registry.register_office_key(
                self.db, self.actor, source=self.source, code=self.code.text(), name=self.name.text()
            )
        except InvalidInput as exc:
            self._error("\n".join(e.message_zh for e in exc.errors))
            return
        except SubsidyDeskError as exc:
            self._error(exc.message_zh)
            return
        self.dialogs.info(self, REGISTER_TITLE, f"已登记 {self.registered.office_name} 的公钥。")
        self.accept()


def _note(check: OfficeKeyCheck) -> str:
    if check.already:
        return "这个公钥已经登记过，无需再登记。"
    if check.current and check.old_last_batch:
        return (
            f"这个站所已登记了另一个密钥（指纹 {check.current}）。登记新密钥后，旧密钥即时停用："
            f"据公钥文件，旧密钥签署到第{check.old_last_batch}批，这些批次仍可导入，此后的一律拒绝。"
            "请与站所的密钥登记表核对这个批次号。"
        )
    if check.current:
        return (
            f"这个站所已登记了另一个密钥（指纹 {check.current}）。登记新密钥后，旧密钥即时停用："
            "只有县局已导入的批次有效，用旧密钥签署的其他批次一律拒绝。"
        )
    return ""
