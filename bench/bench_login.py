"""What a login costs: one Argon2id verification at the program's costs (core/accounts.py, RFC
9106's low-memory profile: 64 MiB, 3 passes, 4 lanes), and the whole `login` use case on a real
database file (the hash, the failed-count reset and the audit event). Run: bench/bench_login.py [N]."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import accounts  # noqa: E402
from core.app import accounts as account_ops  # noqa: E402
from core.db import open_database  # noqa: E402

PASSWORD = "办事公道-2026"


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


def main(n: int = 20) -> None:
    stored = accounts.hash_secret(PASSWORD)
    verify = []
    for _ in range(n):
        start = time.perf_counter()
        assert accounts._matches(stored, PASSWORD)
        verify.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "data")
        account_ops.create_first_admin(db, name="周管理", password=PASSWORD)
        logins = []
        for _ in range(n):
            start = time.perf_counter()
            account_ops.login(db, name="周管理", password=PASSWORD)
            logins.append(time.perf_counter() - start)
        db.close()
    print(f"Argon2id verify ({n}×): {_ms(verify)}")
    print(f"login use case ({n}×): {_ms(logins)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
