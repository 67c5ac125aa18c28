"""Assessments per second over the golden cases of the shipped catalogs (goal: >= 10,000/s).

Run: .venv/bin/python bench/bench_engine.py [seconds]
Case documents are parsed once; the timed loop is `assess` only (what the GUI calls on edit).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.policy.case import CaseInput, case_from_document  # noqa: E402
from core.policy.engine import assess  # noqa: E402
from core.policy.errors import CaseInputError  # noqa: E402
from core.policy.model import Catalog  # noqa: E402
from core.policy.service import catalogs_by_id  # noqa: E402


def workload() -> list[tuple[Catalog, str, CaseInput]]:
    catalogs = catalogs_by_id()
    work: list[tuple[Catalog, str, CaseInput]] = []
    for path in sorted((ROOT / "tests" / "policy_cases").glob("*/*.json")):
        for golden in json.loads(path.read_text(encoding="utf-8")):
            try:
                cid, sid, case = case_from_document({**golden["case"], "catalog": path.parent.name}, catalogs)
            except CaseInputError:
                continue
            work.append((catalogs[cid], sid, case))
    return work


def run(seconds: float) -> None:
    work = workload()
    subsidies = {(c.id, s) for c, s, _ in work}
    print(
        f"workload: {len(work)} cases, {len(subsidies)} subsidies, {len({c.id for c, _, _ in work})} catalogs"
    )
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for catalog, sid, case in work:
            assess(catalog, sid, case)
        count += len(work)
    elapsed = time.perf_counter() - start
    print(
        f"assess: {count} in {elapsed:.2f} s = {count / elapsed:,.0f} assessments/s ({elapsed / count * 1e6:.1f} µs each)"
    )
    start = time.perf_counter()
    for catalog, sid, case in work:
        assess(catalog, sid, case).to_dict()
    each = (time.perf_counter() - start) / len(work)
    print(f"assess + to_dict: {1 / each:,.0f}/s ({each * 1e6:.1f} µs each)")


if __name__ == "__main__":
    run(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0)
