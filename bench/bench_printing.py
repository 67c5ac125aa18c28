"""Printing speed: the 受理回执 (goal ≤ 100 ms) and a 1,000-row 花名册 (goal ≤ 3 s).

    python bench/bench_printing.py [--rounds 20] [--rows 1000]

Times the whole path a clerk waits for: reading the case from a real database, drawing the
PDF, and (for the roster) the .xlsx as well. Each receipt round prints a different case, so
no QR code or layout is reused. The first receipt of a session is timed in fresh processes,
alternately without and after the window's background warm-up (`warm_up_printing`, which
loads the font), as a clerk meets it (goal ≤ 100 ms).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.db import open_database  # noqa: E402
from core.printing.service import render_case_document, render_roster  # noqa: E402
from tests.printing.sample import add_office, add_roster_cases  # noqa: E402


def timed(fn) -> tuple[float, bytes]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    data = fn()
    return time.perf_counter() - start, data


def first_receipt(warm: bool) -> None:
    """Child process: the session's first receipt, with or without the warm-up done first."""
    from core.app.reports import warm_up_printing

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp))
        with db.session() as s:
            ids = add_roster_cases(s, add_office(s), 2)
            s.commit()
            if warm:
                warm_up_printing()  # the window runs it on a worker once it is shown
            elapsed, _ = timed(lambda: render_case_document(s, "receipt", ids[0]))
        db.close()
    print(f"{elapsed:.6f}")


def first_receipts(runs: int = 3) -> tuple[list[float], list[float]]:
    cold, warm = [], []
    for _ in range(runs):
        for kind, into in (("cold", cold), ("warm", warm)):
            out = subprocess.run(
                [sys.executable, __file__, "--first", kind], capture_output=True, text=True, check=True
            ).stdout
            into.append(float(out.strip().splitlines()[-1]))
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--first", choices=("cold", "warm"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first:
        first_receipt(args.first == "warm")
        return
    cold, warm = first_receipts()
    print(
        f"会话的第一张受理回执：未预热 {statistics.median(cold) * 1000:.0f} ms；"
        f"窗口后台预热字体之后 {statistics.median(warm) * 1000:.0f} ms（目标 ≤ 100 ms）"
    )
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp))
        with db.session() as s:
            ids = add_roster_cases(s, add_office(s), max(args.rows, args.rounds + 1))
            s.commit()
            first, _ = timed(lambda: render_case_document(s, "receipt", ids[0]))
            receipts = [
                timed(lambda i=i: render_case_document(s, "receipt", i))[0] for i in ids[1 : args.rounds + 1]
            ]
            rows = ids[: args.rows]
            pdf_times, xlsx_times = [], []
            for _ in range(3):
                t, pdf = timed(lambda: render_roster(s, rows))
                pdf_times.append(t)
                t, _ = timed(lambda: render_roster(s, rows, "xlsx"))
                xlsx_times.append(t)
        db.close()
    print(f"受理回执 first (font load included): {first * 1000:.0f} ms")
    print(
        f"受理回执 x{len(receipts)}: median {statistics.median(receipts) * 1000:.1f} ms, "
        f"max {max(receipts) * 1000:.1f} ms (goal ≤ 100 ms)"
    )
    print(
        f"花名册 PDF {args.rows} rows: median {statistics.median(pdf_times):.2f} s, {len(pdf) // 1024} KiB (goal ≤ 3 s)"
    )
    print(f"花名册 .xlsx {args.rows} rows: median {statistics.median(xlsx_times):.2f} s")


if __name__ == "__main__":
    main()
