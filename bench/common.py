"""Helpers shared by the benchmarks: a generated database, kept between runs, and percentiles."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"


def generated_db(count: int) -> Path:
    """A data directory with `count` synthetic cases, generated once and reused."""
    from bench.generate import generate

    target = OUT / f"data-{count}"
    if not (target / "subsidydesk.db").exists():
        target.mkdir(parents=True, exist_ok=True)
        print(f"生成 {count} 件案件的测试库……", flush=True)
        generate(target, count)
    return target


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(p) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
