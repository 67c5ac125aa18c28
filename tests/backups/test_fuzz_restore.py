"""Backups to restore, fuzzed: damaged and foreign sets are refused in Chinese and change nothing;
nothing crashes. The long run (thousands per kind) is bench/fuzz_backups.py."""

from __future__ import annotations

import collections
import random
from pathlib import Path

import pytest

from tests.backups.fuzz import attempt, office_with_a_backup

RUNS = 60


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_damaged_sets_are_refused_and_nothing_crashes(tmp_path: Path, encrypted: bool) -> None:
    template = tmp_path / "office"
    good = office_with_a_backup(template, encrypted)
    rng = random.Random(1400 + encrypted)
    outcomes = collections.Counter()
    for _ in range(RUNS):
        kind, outcome = attempt(template, good, tmp_path / "work", rng)
        assert not outcome.startswith("crash"), (kind, outcome)
        outcomes[outcome.partition(":")[0]] += 1
    assert outcomes["refused"] >= RUNS // 2
