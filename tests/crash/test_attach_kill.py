"""Scans being stored when the program is killed: the next start removes the temporary files, and
every stored scan is whole (its name is its sha256)."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from core.app.storage import settle_interrupted
from core.db import open_database
from tests.crash.harness import delays, run_and_kill, timed

ATTACH = """
import os, sys
from pathlib import Path
from core.attachments import AttachmentStore
store = AttachmentStore(Path(sys.argv[1]) / "attachments")
print("ready", flush=True)
for n in range(12):
    store.add_bytes(os.urandom(4_000_000), f"scan{n}.pdf", "application/pdf")
"""
RUNS = 8


def test_killed_while_storing_scans_the_next_start_cleans_up(tmp_path: Path) -> None:
    duration = timed(ATTACH, [str(tmp_path / "measure")])
    for i, delay in enumerate(delays(random.Random(7), duration, RUNS)):
        data_dir = tmp_path / f"run{i}"
        open_database(data_dir).close()
        run_and_kill(ATTACH, [str(data_dir)], delay)
        db = open_database(data_dir)
        try:
            settle_interrupted(db)
        finally:
            db.close()
        files = [p for p in (data_dir / "attachments").rglob("*") if p.is_file()]
        assert [p for p in files if p.name.startswith(".")] == []
        assert all(hashlib.sha256(p.read_bytes()).hexdigest() == p.name for p in files)
