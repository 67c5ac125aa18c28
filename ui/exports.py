"""导出到Excel from the lists: ask where, run the use case as a cancellable job, say where it went.

The lists' state (search, filters, sort) is what the clerk sees; the use cases in
core/app/exports.py read every row of it again on the worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from core.app.exports import ListExport
from ui.dialog_service import DialogService
from ui.jobs import Job, Reporter, run_job

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
TITLE = "导出到Excel"
STAGES = {"xlsx": "正在写入Excel……"}

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def ask_target(parent: QWidget | None, dialogs: DialogService, what: str) -> Path | None:
    suggested = f"{what}-{dt.date.today():%Y%m%d}.xlsx"
    chosen = dialogs.save_file(parent, f"{TITLE}：{what}", suggested, XLSX_FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def run_export(
    parent: QWidget | None,
    dialogs: DialogService,
    what: str,
    export: Callable[[Path, Reporter], ListExport],
    on_done: Callable[[ListExport], object] | None = None,
) -> Job | None:
    """Ask for the file, then export on a worker behind a progress dialog with 取消."""
    target = ask_target(parent, dialogs, what)
    if target is None:
        return None

    def done(result: Any) -> None:
        dialogs.info(parent, TITLE, f"已导出 {result.rows} 行到：{result.path}")
        if on_done is not None:
            on_done(result)

    return run_job(
        parent, dialogs, lambda report: export(target, report), done,
        title=TITLE, label=f"正在导出{what}……", cancellable=True, stages=STAGES,
    )  # fmt: skip


def export_current_list(window: MainWindow) -> Job | None:
    """The list of the current tab as it is shown: cases, persons or organisations."""
    from core.app import exports

    db, actor, view = window.db, window.actor, window.tabs.currentWidget()
    if view is window.persons:
        text = window.person_model.text
        return run_export(
            window, window.dialogs, "人员名单",
            lambda target, report: exports.export_persons(db, actor, text=text, target=target, progress=report),
        )  # fmt: skip
    if view is window.organisations:
        org_text = window.organisation_model.state.text
        return run_export(
            window, window.dialogs, "单位名单",
            lambda target, report: exports.export_organisations(
                db, actor, text=org_text, target=target, progress=report
            ),
        )  # fmt: skip
    from ui.county.view import CountyWindow

    if isinstance(view, CountyWindow):
        county_filter = view.model.state.filter
        return run_export(
            window, window.dialogs, "县局案件列表",
            lambda target, report: exports.export_county_cases(
                db, actor, filter=county_filter, target=target, progress=report
            ),
        )  # fmt: skip
    if view is not window.cases:
        window.dialogs.info(window, TITLE, "请先切换到要导出的列表（案件、人员或单位），再导出。")
        return None
    state = window.case_model.state
    flt, sort, descending = state.filter, state.sort, state.descending
    return run_export(
        window, window.dialogs, "案件列表",
        lambda target, report: exports.export_case_list(
            db, actor, filter=flt, sort=sort, descending=descending, target=target, progress=report
        ),
    )  # fmt: skip
