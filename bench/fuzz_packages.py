"""Damaged and hostile packages against the program's readers: how many crash (should be none).

    python bench/fuzz_packages.py [N]     N inputs per kind: batch, results, catalog (default 2000)

Half are damaged on the way (bytes, members), half carry random JSON signed again by the
trusted key (tests/packages/package_mutations.py). A crash is any exception other than
SubsidyDeskError; through the command line (N // 20 inputs per kind), any exit code other than
the documented 0, 2 and 9.
"""

from __future__ import annotations

import collections
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.packages.fuzz_harness import DOCUMENTED_EXITS, Tally, build, run_cli, run_one


def main() -> int:
    logging.disable(logging.WARNING)  # each refusal is logged; the counts are what matter here
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    failed = False
    with tempfile.TemporaryDirectory() as root:
        h = build(Path(root))
        try:
            for target in ("batch", "results", "catalog"):
                tally = Tally()
                start = time.perf_counter()
                for seed in range(runs):
                    run_one(h, target, seed, tally)
                elapsed = time.perf_counter() - start
                crashes = sum(tally.crashes.values())
                failed |= bool(crashes)
                print(
                    f"{target}: {runs} bad packages in {elapsed:.1f} s: crashes {crashes}",
                    dict(tally.crashes),
                )
                print("  outcomes:", dict(tally.outcomes.most_common(12)))
                for example in tally.examples:
                    print("  ", example)
            for target in ("batch", "results"):
                codes = collections.Counter(run_cli(h, target, 10**6 + s) for s in range(max(runs // 20, 1)))
                odd = {c: n for c, n in codes.items() if c not in DOCUMENTED_EXITS}
                failed |= bool(odd)
                print(f"{target} via the command line: exit codes {dict(codes)}; undocumented {odd}")
        finally:
            h.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
