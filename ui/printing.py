"""Printing from the window: preview, print and 保存为PDF of a case's documents and of rosters.

The database is read on the GUI thread (a few queries) into the frozen records of
core.printing.sheets; drawing the PDF, which takes seconds for a 1,000-row roster, runs on a
worker of ui/jobs.py that never touches a widget and hands back bytes through a signal.

When the bytes arrive (on the GUI thread) the preview and printing happen inside the program:
ui/print_preview.py paints the PDF's pages, rasterised by PDFium (pypdfium2), onto a QPrinter in
a QPrintPreviewDialog or after a QPrintDialog. This PySide6-Essentials build has no QtPdf (it
ships only in the large PySide6-Addons). For clerks who prefer their own PDF program,
open_in_system_viewer (and show_in_system_viewer for rosters) still hands the file to it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from core.app.reports import PreparedDocument, prepare_case_document, prepare_roster
from core.app.storage import Database
from core.errors import SubsidyDeskError
from core.ids import CaseId
from core.printing.output import save_bytes
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job
from ui.print_preview import print_pdf, show_print_preview

Opener = Callable[[Path], object]
# What to do with a rendered PDF on the GUI thread: (parent, bytes, title, dialogs); the title is
# the document's file name without ".pdf" (e.g. 受理回执_610328-2024-0007).
Show = Callable[[QWidget | None, bytes, str, DialogService], object]
TITLE = "打印"


def open_in_viewer(path: Path) -> object:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def print_with_viewer(path: Path) -> object:
    if sys.platform == "win32":
        os.startfile(str(path), "print")  # type: ignore[attr-defined]  # Windows only
        return True
    return open_in_viewer(path)


def show_in_system_viewer(
    parent: QWidget | None, data: bytes, title: str, dialogs: DialogService, opener: Opener = open_in_viewer
) -> object:
    """A `Show` that writes the PDF to the temporary folder and opens it in the system's viewer."""
    return opener(save_bytes(temp_path(f"{title}.pdf"), data))


def print_with_dialog(parent: QWidget | None, data: bytes, title: str, dialogs: DialogService) -> object:
    """A `Show` that asks for the printer (QPrintDialog) and prints in the program."""
    return print_pdf(parent, data, title, dialogs)


def run_render(
    parent: QWidget | None,
    render: Callable[[], bytes],
    on_done: Callable[[bytes], None],
    dialogs: DialogService,
    label: str = "正在生成文书……",
) -> Job:
    """Draw on a worker (ui/jobs.py), then hand the bytes to `on_done` on the GUI thread."""
    return run_job(parent, dialogs, lambda _report: render(), on_done, title=TITLE, label=label)


def temp_path(name: str) -> Path:
    folder = Path(tempfile.gettempdir()) / "SubsidyDesk"
    folder.mkdir(exist_ok=True)
    return folder / name


def _with_case(
    parent: QWidget | None,
    kind: str,
    case_id: CaseId,
    db: Database,
    dialogs: DialogService,
    then: Callable[[bytes, str], None],
) -> Job | None:
    try:
        document = prepare_case_document(db, kind=kind, case_id=case_id)
    except SubsidyDeskError as exc:
        dialogs.error(parent, TITLE, exc.message_zh)
        return None
    label = f"正在生成{document.title}……"
    return run_render(parent, document.render, lambda data: then(data, document.file_name), dialogs, label)


def _show_case(
    parent: QWidget | None, kind: str, case_id: CaseId, db: Database, dialogs: DialogService, show: Show
) -> Job | None:
    return _with_case(
        parent, kind, case_id, db, dialogs, lambda data, name: _call(show, parent, data, name, dialogs)
    )


def _call(show: Show, parent: QWidget | None, data: bytes, name: str, dialogs: DialogService) -> None:
    show(parent, data, name.removesuffix(".pdf"), dialogs)


def preview_document(
    parent: QWidget | None,
    kind: str,
    case_id: CaseId,
    db: Database,
    dialogs: DialogService,
    show: Show = show_print_preview,
) -> Job | None:
    """打印预览 of the 申请表 / 受理回执 / 一次性告知书 (kind form / receipt / notice) in the program."""
    return _show_case(parent, kind, case_id, db, dialogs, show)


def print_document(
    parent: QWidget | None,
    kind: str,
    case_id: CaseId,
    db: Database,
    dialogs: DialogService,
    show: Show = print_with_dialog,
) -> Job | None:
    """打印: render, then the print dialog, then print in the program."""
    return _show_case(parent, kind, case_id, db, dialogs, show)


def open_in_system_viewer(
    parent: QWidget | None,
    kind: str,
    case_id: CaseId,
    db: Database,
    dialogs: DialogService,
    opener: Opener = open_in_viewer,
) -> Job | None:
    """The document in the system's PDF program instead (saved to the temporary folder first)."""
    return _with_case(
        parent, kind, case_id, db, dialogs, lambda data, name: _opened(opener, temp_path(name), data)
    )


def _opened(opener: Opener, path: Path, data: bytes) -> None:
    opener(save_bytes(path, data))


def save_document_as(
    parent: QWidget | None, kind: str, case_id: CaseId, db: Database, dialogs: DialogService
) -> Job | None:
    """保存为PDF: ask where, then render and write atomically."""
    try:
        document = prepare_case_document(db, kind=kind, case_id=case_id)
    except SubsidyDeskError as exc:
        dialogs.error(parent, TITLE, exc.message_zh)
        return None
    target = dialogs.save_file(parent, "保存为PDF", document.file_name, "PDF 文件 (*.pdf)")
    if not target:
        return None
    return run_render(
        parent, document.render, lambda data: _saved(parent, dialogs, save_bytes(target, data)), dialogs
    )


def _saved(parent: QWidget | None, dialogs: DialogService, path: Path) -> None:
    dialogs.info(parent, TITLE, f"已保存：{path}")


def preview_roster(
    parent: QWidget | None,
    case_ids: Sequence[CaseId],
    db: Database,
    dialogs: DialogService,
    public: bool = False,
    batch_label: str = "",
    show: Show = show_print_preview,
) -> Job | None:
    """打印预览 of the 花名册 (or 公示 list) of the chosen cases (A4 landscape).

    `show=print_with_dialog` prints it straight away, `show=show_in_system_viewer` opens it in
    the system's PDF program."""
    try:
        roster = prepare_roster(db, case_ids=case_ids, public=public, batch_label=batch_label)
    except SubsidyDeskError as exc:
        dialogs.error(parent, TITLE, exc.message_zh)
        return None
    label = f"正在生成{roster.title}（{roster.rows}人）……"
    return run_render(
        parent,
        lambda: roster.render("pdf"),
        lambda data: _call(show, parent, data, f"{roster.title}.pdf", dialogs),
        dialogs,
        label,
    )


def save_roster_as(
    parent: QWidget | None,
    case_ids: Sequence[CaseId],
    db: Database,
    dialogs: DialogService,
    public: bool = False,
    batch_label: str = "",
) -> Job | None:
    """Save a roster as PDF or, for the county's spreadsheets, as .xlsx (chosen by the file name)."""
    try:
        roster = prepare_roster(db, case_ids=case_ids, public=public, batch_label=batch_label)
    except SubsidyDeskError as exc:
        dialogs.error(parent, TITLE, exc.message_zh)
        return None
    filters = "PDF 文件 (*.pdf);;Excel 工作簿 (*.xlsx)"
    target = dialogs.save_file(parent, "保存花名册", f"{roster.title}.pdf", filters)
    if not target:
        return None
    fmt = "xlsx" if target.lower().endswith(".xlsx") else "pdf"
    return run_render(
        parent,
        lambda: roster.render(fmt),
        lambda data: _saved(parent, dialogs, save_bytes(target, data)),
        dialogs,
    )


def preview_prepared(
    parent: QWidget | None,
    document: PreparedDocument,
    dialogs: DialogService,
    show: Show = show_print_preview,
) -> Job:
    """打印预览 of a document prepared by core/app (交接单, 密钥登记表): drawn on a worker, then shown."""
    return run_render(
        parent,
        document.render,
        lambda data: _call(show, parent, data, document.file_name, dialogs),
        dialogs,
        f"正在生成{document.title}……",
    )
