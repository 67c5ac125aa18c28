"""Batch export killed with kill -9 at random moments: no package on the stick verifies unless
its cases are marked exported (or the next start completes their export), and no batch number
is given to two different packages (core/packages/export_journal.py)."""

from __future__ import annotations

import random
from pathlib import Path

from tests.crash.export_runs import EXPORT, check, fresh_copy, make_template
from tests.crash.harness import delays, run_and_kill, timed

RUNS = 12


def test_killed_at_any_moment_of_an_export_the_next_start_settles_it(tmp_path: Path) -> None:
    template = make_template(tmp_path / "template")
    duration = timed(EXPORT, [str(p) for p in fresh_copy(template, tmp_path / "measure")])
    killed, problems = 0, []
    for i, delay in enumerate(delays(random.Random(14), duration, RUNS)):
        data_dir, usb = fresh_copy(template, tmp_path / f"run{i}")
        killed += run_and_kill(EXPORT, [str(data_dir), str(usb)], delay).killed
        problems += [f"run {i} ({delay:.2f} s): {p}" for p in check(data_dir, usb)]
    assert problems == []
    assert killed >= RUNS // 2, "most kills must fall inside the export"
