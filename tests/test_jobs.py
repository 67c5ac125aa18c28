"""The one job runner: work on a worker thread, its result or its error back on the GUI thread."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.errors import SubsidyDeskError
from ui.dialog_service import ScriptedDialogs
from ui.jobs import Job, Reporter, _running, run_job


def wait_finished(qtbot: QtBot, job: Job) -> None:
    """Until the runner has let the job go. A waitSignal set up after run_job can miss a job
    that finished first (a loaded PC runs the worker before the test connects)."""
    qtbot.waitUntil(lambda: job not in _running, timeout=5000)


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    seen: list[tuple[int, bool]] = []
    worker: list[bool] = []

    def work(_report: Reporter) -> int:
        worker.append(threading.current_thread() is threading.main_thread())
        return 42

    def done(value: int) -> None:
        app = QApplication.instance()
        seen.append((value, app is not None and QThread.currentThread() is app.thread()))

    job = run_job(None, ScriptedDialogs(), work, done, title="测试", label="正在计算……")
    wait_finished(qtbot, job)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)] and worker == [False]


def test_a_refusal_is_shown_with_the_jobs_title(qtbot: QtBot) -> None:
    dialogs = ScriptedDialogs()

    def work(_report: Reporter) -> None:
        raise SubsidyDeskError("TEST_REFUSED", "U盘已拔出，请重新插好后再试。")

    job = run_job(None, dialogs, work, lambda _r: None, title="导出批次", label="正在写入……")
    wait_finished(qtbot, job)
    qtbot.waitUntil(lambda: bool(dialogs.messages))
    assert dialogs.messages == [("error", "导出批次", "U盘已拔出，请重新插好后再试。")]


def test_an_unexpected_error_goes_to_the_excepthook_once(qtbot: QtBot, monkeypatch) -> None:
    dialogs = ScriptedDialogs()
    hooked: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, _e, _tb: hooked.append(kind))
    job = run_job(None, dialogs, lambda _r: 1 / 0, lambda _r: None, title="测试", label="……")
    wait_finished(qtbot, job)
    assert hooked == [ZeroDivisionError]
    assert dialogs.messages == []  # the hook shows the one dialog; the runner adds none


def test_cancel_stops_the_work_at_its_next_report(qtbot: QtBot) -> None:
    dialogs = ScriptedDialogs()
    steps: list[int] = []
    done: list[object] = []
    started = threading.Event()

    def work(report: Reporter) -> str:
        for i in range(1000):
            report("step", i, 1000)
            steps.append(i)
            started.set()
            threading.Event().wait(0.005)
        return "all done"

    job = run_job(None, dialogs, work, done.append, title="测试", label="……", cancellable=True)
    assert started.wait(5)
    job.cancel()
    with qtbot.waitSignal(job.signals.finished, timeout=5000):
        pass
    qtbot.waitUntil(lambda: bool(dialogs.messages))
    assert done == [] and len(steps) < 1000
    assert dialogs.messages == [("info", "测试", "已取消，没有做任何改动。")]
