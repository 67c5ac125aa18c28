"""Damaged and foreign backup sets against restore: how many crash (should be none).

    python bench/fuzz_backups.py [N]     N damaged copies of a plain and of an encrypted set (default 2000)

A crash is any exception other than SubsidyDeskError, a refusal without a Chinese message, or a
refusal that changed the data folder. The damage is that of tests/backups/mutations.py.
"""

from __future__ import annotations

import collections
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.backups.fuzz import attempt, office_with_a_backup


def main() -> int:
    logging.disable(logging.WARNING)
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    crashes = 0
    for encrypted in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            template = Path(tmp) / "office"
            good = office_with_a_backup(template, encrypted)
            rng = random.Random(20261202 + encrypted)
            counts: collections.Counter[tuple[str, str]] = collections.Counter()
            start = time.perf_counter()
            for _ in range(runs):
                kind, outcome = attempt(template, good, Path(tmp) / "work", rng)
                counts[(kind, outcome if outcome.startswith("crash") else outcome.partition(":")[0])] += 1
                if outcome.startswith("crash"):
                    crashes += 1
                    print(kind, outcome, flush=True)
            label = "encrypted" if encrypted else "plain"
            print(f"{label}: {runs} damaged sets in {time.perf_counter() - start:.0f} s")
            for (kind, outcome), n in sorted(counts.items()):
                print(f"  {kind:<15} {outcome:<10} {n}")
    print(f"crashes: {crashes}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
