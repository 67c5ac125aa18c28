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


def test_a_manifest_without_the_database_checksum_is_refused(office_set: Path, tmp_path: Path) -> None:
    """Found by bench/fuzz_backups.py: a KeyError escaped."""
    import json

    template, good = office_set
    manifest = json.loads((good / "manifest.json").read_text())
    del manifest["database"]["sha256"]
    (good / "manifest.json").write_text(json.dumps(manifest))
    assert refused(template, good) == "BACKUP_DAMAGED"


def test_a_forged_database_with_text_that_is_not_utf8_is_refused(office_set: Path) -> None:
    """Found by bench/fuzz_backups.py: a UnicodeDecodeError escaped (integrity_check does not
    look inside the rows; the checksum had been forged to match)."""
    import json
    import sqlite3

    from core.backups.layout import stored_file_sha256

    template, good = office_set
    con = sqlite3.connect(good / "subsidydesk.db")
    con.execute("UPDATE office SET name = CAST(X'e6b0b4ff' AS TEXT)")
    con.commit()
    con.close()
    manifest = json.loads((good / "manifest.json").read_text())
    manifest["database"]["sha256"] = stored_file_sha256(good / "subsidydesk.db")
    (good / "manifest.json").write_text(json.dumps(manifest))
    assert refused(template, good) == "BACKUP_DAMAGED"


@pytest.fixture
def office_set(tmp_path: Path) -> tuple[Path, Path]:
    template = tmp_path / "office"
    return template, office_with_a_backup(template, encrypted=False)


def refused(template: Path, set_dir: Path) -> str:
    from core.app import backups
    from core.errors import SubsidyDeskError
    from tests.backups.fuzz import HEAD, state

    before = state(template)
    with pytest.raises(SubsidyDeskError) as exc:
        backups.restore_backup(template, HEAD, set_dir=set_dir)
    assert state(template) == before
    return exc.value.code
