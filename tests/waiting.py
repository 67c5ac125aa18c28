"""Waiting in GUI tests for work that runs on ui/jobs.py's workers."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.jobs import Job, is_running


def wait_finished(qtbot: QtBot, job: Job, timeout: int = 20_000) -> None:
    """Until the job has finished and its result has reached the GUI thread (it may already
    have finished before the test started waiting)."""
    qtbot.waitUntil(lambda: not is_running(job), timeout=timeout)
