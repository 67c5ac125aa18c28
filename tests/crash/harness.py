"""Kill a child process at a random moment of a write path, then check what the next start finds.

Shared by the short crash tests (tests/crash/, tens of runs in `make test`) and the long run in
bench/crash_runs.py (a thousand per write path). The child imports everything first and says
"ready", so the kill falls inside the write itself, not in Python's start-up.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READY = "ready"


@dataclass(frozen=True)
class Run:
    killed: bool  # False when the child finished before the kill came
    seconds: float  # how long after "ready" the kill came


def child(code: str, *args: str) -> subprocess.Popen[str]:
    """Start `code` in a fresh interpreter; it must print READY once its imports are done."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def run_and_kill(code: str, args: list[str], delay: float) -> Run:
    proc = child(code, *args)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line == READY, f"the child did not start: {line!r}"
    start = time.perf_counter()
    time.sleep(delay)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return Run(killed, time.perf_counter() - start)


def timed(code: str, args: list[str]) -> float:
    """How long the write takes when nobody interrupts it (to spread the kills over it)."""
    proc = child(code, *args)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == READY
    start = time.perf_counter()
    proc.wait(timeout=120)
    assert proc.returncode == 0, "the write path fails even without a kill"
    return time.perf_counter() - start


def delays(rng: random.Random, duration: float, runs: int) -> list[float]:
    """Kill moments spread over the write, a few just past its end."""
    return [rng.uniform(0, duration * 1.1) for _ in range(runs)]
