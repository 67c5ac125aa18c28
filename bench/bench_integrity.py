"""What the damaged-page checks cost: PRAGMA quick_check at every start, integrity_check in the
background after it (core/db/damage.py).

    python bench/bench_integrity.py DATA_DIR      (e.g. one made by bench/generate.py 200000)

Each is run three times on the warm file; the median is printed, with the file's size.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.db.damage import find_damage
from core.db.engine import DB_FILENAME, connect


def _timed(path: Path, full: bool) -> float:
    conn = connect(path)
    try:
        start = time.perf_counter()
        assert find_damage(conn, full=full) is None
        return time.perf_counter() - start
    finally:
        conn.close()


def main() -> int:
    path = Path(sys.argv[1]) / DB_FILENAME
    size = path.stat().st_size / 1024 / 1024
    for name, full in (("quick_check (at start)", False), ("integrity_check (background)", True)):
        median = statistics.median(_timed(path, full) for _ in range(3))
        print(f"{name}: {median * 1000:.0f} ms on {size:.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
