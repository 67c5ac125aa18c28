"""The county's batch import and the town's results import killed with kill -9 at random moments:
all or nothing at the next start, and the import can be repeated."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.crash.exchange_runs import COUNTY_IMPORT, RESULTS_IMPORT, check, fresh_copy, make_templates
from tests.crash.harness import delays, run_and_kill, timed

RUNS = 8
CODE = {"county": COUNTY_IMPORT, "results": RESULTS_IMPORT}


@pytest.mark.parametrize("side", ["county", "results"])
def test_killed_during_an_import(tmp_path: Path, side: str) -> None:
    template, package = make_templates(tmp_path / "templates")[side]
    code = CODE[side]
    duration = timed(code, [str(fresh_copy(template, tmp_path / "measure")), str(package)])
    problems, killed = [], 0
    for i, delay in enumerate(delays(random.Random(side), duration, RUNS)):
        data_dir = fresh_copy(template, tmp_path / f"run{i}")
        killed += run_and_kill(code, [str(data_dir), str(package)], delay).killed
        problems += [f"run {i} ({delay:.2f} s): {p}" for p in check(side, data_dir, package)]
    assert problems == []
    assert killed >= RUNS // 2, "most kills must fall inside the import"
