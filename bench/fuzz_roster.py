"""Damaged roster workbooks against the reader: how many crash (should be none).

    python bench/fuzz_roster.py [N]     N mutated copies of a filled template (default 2000)

A crash is any exception other than SubsidyDeskError (what the clerk sees as a Chinese message).
The mutations are those of tests/cases/roster_mutations.py: flipped and cut bytes, broken,
cut, dropped and extra zip members, broken XML.
"""

from __future__ import annotations

import collections
import io
import logging
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl

from core.cases.roster import read_roster, roster_template
from core.errors import SubsidyDeskError
from core.identity.id_number import check_character
from core.policy.service import get_catalog
from tests.cases.roster_mutations import mutate


def filled_template() -> bytes:
    subsidy = get_catalog("qianyang-2021").subsidy("job_placement")
    assert subsidy is not None
    book = openpyxl.load_workbook(io.BytesIO(roster_template(subsidy)))
    sheet = book.worksheets[0]
    for row in range(2, 52):
        first17 = f"61032819900101{row:03d}"
        for col, value in enumerate(
            (row - 1, f"工人{row}", first17 + check_character(first17), "脱贫人口", 24), 1
        ):
            sheet.cell(row=row, column=col, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> int:
    logging.disable(logging.WARNING)  # the reader logs each refusal; the counts are what matter here
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    subsidy = get_catalog("qianyang-2021").subsidy("job_placement")
    assert subsidy is not None
    good = filled_template()
    outcomes: collections.Counter[str] = collections.Counter()
    crashes: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()
    for seed in range(runs):
        try:
            read_roster(mutate(good, random.Random(seed)), subsidy)
            outcomes["read"] += 1
        except SubsidyDeskError as exc:
            outcomes[exc.code] += 1
        except Exception as exc:  # what the fuzzer is looking for
            crashes[type(exc).__name__] += 1
    elapsed = time.perf_counter() - start
    print(f"{runs} damaged workbooks in {elapsed:.1f} s: crashes {sum(crashes.values())}", dict(crashes))
    print("outcomes:", dict(outcomes.most_common()))
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
