"""A catalog update install killed with kill -9 at random moments is all or nothing at the next start."""

from __future__ import annotations

import random
from pathlib import Path

from tests.crash.harness import delays, run_and_kill, timed
from tests.crash.install_runs import INSTALL, check, fresh_copy, make_template

RUNS = 10


def test_killed_while_installing_a_catalog_update(tmp_path: Path) -> None:
    template, package, manifest = make_template(tmp_path / "template")
    duration = timed(INSTALL, [str(fresh_copy(template, tmp_path / "measure")), str(package), manifest])
    problems, killed = [], 0
    for i, delay in enumerate(delays(random.Random(11), duration, RUNS)):
        data_dir = fresh_copy(template, tmp_path / f"run{i}")
        killed += run_and_kill(INSTALL, [str(data_dir), str(package), manifest], delay).killed
        problems += [f"run {i} ({delay:.2f} s): {p}" for p in check(data_dir)]
    assert problems == []
    assert killed >= RUNS // 2, "most kills must fall inside the install"
