"""The town's keys: 上报 → 本所密钥 (fingerprint, 密钥登记表, public key file) and
上报 → 导入县局公钥 (the county's signing or encryption key, compared before it is trusted).

The rules (who may replace a trusted county key) are core's; these dialogs show and ask.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import keys
from core.app.keys import KIND_LABELS, CountyKeyCheck, CountyKeyImport, ImportOutcome
from core.app.storage import Database
from core.errors import SubsidyDeskError
from ui.dialog_service import DialogService
from ui.dialogs.keys_parts import close_buttons, fingerprint_label, set_fingerprint
from ui.jobs import Job
from ui.labels import error_label, warning_label
from ui.print_preview import show_print_preview
from ui.printing import Show, preview_prepared

OFFICE_TITLE = "本所密钥"
IMPORT_TITLE = "导入县局公钥"
KEY_FILES = "公钥文件 (*.pem);;所有文件 (*)"


class OfficeKeyDialog(QDialog):
    """The office's fingerprint, its slip for the county, and its public key file."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        dialogs: DialogService,
        parent: QWidget | None = None,
        show: Show = show_print_preview,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(OFFICE_TITLE)
        self.db, self.actor, self.dialogs, self._show = db, actor, dialogs, show
        card = keys.office_key_card(db, actor)
        self.fingerprint = fingerprint_label(card.fingerprint)
        self.written: Path | None = None
        form = QFormLayout()
        form.addRow("本所名称", QLabel(card.office_name or "（尚未填写）"))
        form.addRow("本所上报代码", QLabel(card.code or "（尚未填写，请在“设置 → 事务所设置”中填写）"))
        form.addRow("县局签名公钥", QLabel(card.county or "尚未导入"))
        form.addRow("县局加密公钥", QLabel(card.county_encryption or "尚未导入"))
        self.print_button = QPushButton("打印密钥登记表(&P)")
        self.write_button = QPushButton("写出本所公钥文件(&W)…")
        self.print_button.clicked.connect(self.print_slip)
        self.write_button.clicked.connect(self.write_file)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.write_button)
        row.addStretch(1)
        buttons = close_buttons()
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("本所签名密钥指纹（县局登记时逐组核对）："))
        layout.addWidget(self.fingerprint)
        layout.addLayout(form)
        layout.addWidget(
            QLabel(
                "到县局登记：打印密钥登记表，请所长签字盖章；再把本所公钥文件写到U盘，一并交县局。\n"
                "公钥文件和登记表都不含私钥，可以放心交出。"
            )
        )
        layout.addLayout(row)
        layout.addWidget(buttons)

    def print_slip(self) -> Job | None:
        try:
            document = keys.prepare_key_slip(self.db, self.actor)
        except SubsidyDeskError as exc:
            self.dialogs.error(self, OFFICE_TITLE, exc.message_zh)
            return None
        return preview_prepared(self, document, self.dialogs, show=self._show)

    def write_file(self) -> Path | None:
        folder = self.dialogs.choose_folder(self, "选择U盘或文件夹")
        if not folder:
            return None
        try:
            self.written = keys.write_office_key_file(self.db, self.actor, folder=Path(folder))
        except SubsidyDeskError as exc:
            self.dialogs.error(self, OFFICE_TITLE, exc.message_zh)
            return None
        self.dialogs.info(
            self, OFFICE_TITLE,
            f"已写出本所公钥文件：{self.written}\n请把这个文件和签字盖章的密钥登记表一起交县局登记。",
        )  # fmt: skip
        return self.written


class CountyKeyImportDialog(QDialog):
    """Choose the county's key file, compare its fingerprint with the county's slip, then trust it."""

    def __init__(
        self, db: Database, actor: Actor, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(IMPORT_TITLE)
        self.setMinimumWidth(600)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self.source: Path | None = None
        self.check: CountyKeyCheck | None = None
        self.imported: list[CountyKeyImport] = []
        self.kind = QLabel("请先选择县局发来的公钥文件（县局公钥.pem 或 县局加密公钥.pem）。")
        self.kind.setWordWrap(True)
        self.holder = QLabel()
        self.fingerprint = fingerprint_label()
        self.fingerprint.setVisible(False)
        self.advice = QLabel(wordWrap=True)
        self.warning = warning_label(visible=False)
        self.error = error_label(visible=False)
        self.choose_button = QPushButton("选择公钥文件(&F)…")
        self.import_button = QPushButton("核对无误，导入(&I)")
        self.import_button.setEnabled(False)
        self.choose_button.clicked.connect(self.choose)
        self.import_button.clicked.connect(self.import_key)
        self._lay_out()

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        buttons = close_buttons()
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.kind, self.holder, self.fingerprint, self.advice, self.warning, self.error):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def choose(self) -> None:
        path = self.dialogs.open_file(self, "选择县局公钥文件", KEY_FILES)
        if path:
            self.load(Path(path))

    def load(self, source: Path) -> None:
        """Read the file and show what to compare; nothing is saved yet."""
        self.error.setVisible(False)
        try:
            check = keys.check_county_key(self.db, source=source)
        except SubsidyDeskError as exc:
            self._refused(exc.message_zh)
            return
        self.source, self.check = source, check
        self.kind.setText(f"文件中是：{KIND_LABELS[check.file.kind]}")
        self.holder.setText(f"文件上写的单位：{check.file.holder}" if check.file.holder else "")
        set_fingerprint(self.fingerprint, check.file.fingerprint)
        self.fingerprint.setVisible(True)
        self.advice.setText(_advice(check))
        self.warning.setText(_warning(check))
        self.warning.setVisible(check.replaces)
        self.import_button.setEnabled(not check.same)
        self.adjustSize()  # room for the fingerprint and the warning just shown

    def _refused(self, message: str) -> None:
        self.source = self.check = None
        self.fingerprint.setVisible(False)
        self.import_button.setEnabled(False)
        self.warning.setVisible(False)
        self.error.setText(message)
        self.error.setVisible(True)
        self.adjustSize()

    def import_key(self) -> CountyKeyImport | None:
        if self.source is None or self.check is None:
            return None
        check = self.check
        if check.replaces and not self.dialogs.confirm(self, "更换县局公钥", _replace_question(check)):
            return None
        try:
            done = keys.import_county_key_file(
                self.db, self.actor, source=self.source, replace=check.replaces
            )
        except SubsidyDeskError as exc:
            self.dialogs.error(self, IMPORT_TITLE, exc.message_zh)
            return None
        self.imported.append(done)
        self.dialogs.info(self, IMPORT_TITLE, _imported(done))
        self.load(self.source)  # now shows "already trusted"
        return done


def _advice(check: CountyKeyCheck) -> str:
    if check.same:
        return "本机已经信任这个公钥，无需再导入。"
    return "请把上面的指纹与县局盖章的县局密钥公布表逐组核对，完全一致后再点“核对无误，导入”。"


def _warning(check: CountyKeyCheck) -> str:
    if not check.replaces:
        return ""
    return (
        f"注意：本机已经信任另一个{KIND_LABELS[check.file.kind]}，与这个文件不同。\n"
        f"已信任的指纹：{check.trusted}\n文件中的指纹：{check.file.fingerprint}\n"
        "只有县局通知更换了密钥、并已电话核对新指纹时才可更换；更换须由管理员确认。"
    )


def _replace_question(check: CountyKeyCheck) -> str:
    return (
        f"确定用这个文件中的公钥替换本机已信任的{KIND_LABELS[check.file.kind]}吗？\n\n"
        f"已信任的指纹：\n{check.trusted}\n\n文件中的指纹：\n{check.file.fingerprint}\n\n"
        "请确认已与县局电话核对新指纹。更换须由管理员登录操作。"
    )


def _imported(done: CountyKeyImport) -> str:
    what = KIND_LABELS[done.kind]
    if done.outcome == ImportOutcome.REPLACED:
        return f"已更换{what}。新指纹：{done.fingerprint}"
    return f"已导入{what}，指纹：{done.fingerprint}。如还有另一个县局公钥文件，请继续选择导入。"
