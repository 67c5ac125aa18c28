"""Export of a large batch: 1,000 cases with 1 GB of attachments, against `zip -0` + `sha256sum`.

    python bench/bench_packages.py [--cases 1000] [--mb 1]

The goal (issue 6): export throughput at least 70% of `zip -0` followed by `sha256sum` of the
same files. Our export does more than the baseline: it also fsyncs the package, reads the whole
package back and verifies every hash and the signature before marking cases exported, and
renders the rosters. The baseline is measured with and without a final `sync` for a fair view.
Files are in the page cache for both (they were just written); the figures are a comparison,
not a measure of USB sticks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out" / "packages"


def _id(first17: str) -> str:
    from core.identity.id_number import check_character

    return first17 + check_character(first17)


def build(data_dir: Path, cases: int, size: int) -> list[Path]:
    """A town with `cases` review-passed cases, each with one random `size`-byte attachment."""
    from core.applicants import PersonInput, create_person
    from core.attachments import AttachmentStore
    from core.cases.service import CaseDraft, create_case
    from core.cases.states import CaseStatus
    from core.db import open_database
    from core.db.models import Attachment
    from core.packages.identity import set_office_code
    from core.settings import OfficeInput, save_office

    shutil.rmtree(data_dir, ignore_errors=True)
    db = open_database(data_dir)
    store = AttachmentStore(data_dir / "attachments")
    files = []
    with db.session() as s, s.begin():
        office = save_office(s, OfficeInput("533422", "升平镇", "升平镇劳动保障事务所"), "bench")
        set_office_code(s, "533422101", "bench")
        for i in range(cases):
            data = os.urandom(size)
            sha = hashlib.sha256(data).hexdigest()
            path = store.path_for(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files.append(path)
            person = create_person(
                s,
                PersonInput(
                    f"测试{i}",
                    _id(f"533422{dt.date(1990, 1, 1) + dt.timedelta(days=i // 1000):%Y%m%d}{i % 1000:03d}"),
                ),
                "bench",
            )
            draft = CaseDraft(
                office_id=office.id, catalog_id="deqin-2021", catalog_version="1.0.0", subsidy_id="transport_once",
                application_date=dt.date(2024, 3, 1), person_id=person.id, amount_fen=50000,
                status=CaseStatus.REVIEW_PASSED, case_number=f"B{i:05d}",
            )  # fmt: skip
            case = create_case(s, draft, "bench")
            s.add(
                Attachment(
                    case_id=case.id, sha256=sha, filename=f"scan{i}.jpg", size=size, media_type="image/jpeg"
                )
            )
    db.close()
    return files


def baseline(files: list[Path], target: Path, sync: bool) -> float:
    target.unlink(missing_ok=True)
    listing = target.with_suffix(".list")
    listing.write_text("\n".join(str(f) for f in files) + "\n")
    start = time.perf_counter()
    with listing.open("rb") as names:
        subprocess.run(["zip", "-0", "-q", "-@", str(target)], stdin=names, check=True)
    subprocess.run(["sha256sum", *map(str, files)], check=True, stdout=subprocess.DEVNULL)
    if sync:
        subprocess.run(["sync"], check=True)
    return time.perf_counter() - start


def export(data_dir: Path, usb: Path) -> tuple[float, dict[str, float]]:
    from core.db import open_database
    from core.packages.export import export_batch

    shutil.rmtree(usb, ignore_errors=True)
    usb.mkdir(parents=True)
    stages: dict[str, float] = {}
    start = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        stages.setdefault(stage, time.perf_counter() - start)

    db = open_database(data_dir)
    try:
        export_batch(db, data_dir, usb, "bench", progress=progress)
    finally:
        db.close()
    return time.perf_counter() - start, stages


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--mb", type=float, default=1.0)
    args = parser.parse_args()
    if shutil.which("zip") is None:
        sys.exit("需要 zip 命令（apt-get install zip）")
    size = int(args.mb * 1024 * 1024)
    total = args.cases * size
    data_dir, usb = OUT / "town", OUT / "usb"
    t0 = time.perf_counter()
    files = build(data_dir, args.cases, size)
    print(f"准备 {args.cases} 件、{total / 2**30:.2f} GiB 附件：{time.perf_counter() - t0:.1f} s")
    base = baseline(files, OUT / "baseline.zip", sync=False)
    base_sync = baseline(files, OUT / "baseline.zip", sync=True)
    ours, stages = export(data_dir, usb)
    (OUT / "baseline.zip").unlink(missing_ok=True)
    mib = total / 2**20
    print(f"zip -0 + sha256sum:          {base:6.2f} s  {mib / base:7.1f} MiB/s")
    print(f"zip -0 + sha256sum + sync:   {base_sync:6.2f} s  {mib / base_sync:7.1f} MiB/s")
    print(f"export_batch (fsync, verify): {ours:6.2f} s  {mib / ours:7.1f} MiB/s   stages: "
          + ", ".join(f"{k} from {v:.2f} s" for k, v in stages.items()))  # fmt: skip
    print(f"ratio vs baseline: {base / ours:.0%}; vs baseline + sync: {base_sync / ours:.0%} (goal ≥ 70%)")


if __name__ == "__main__":
    main()
