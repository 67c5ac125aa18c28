"""Render every printed document into bench/out/documents/ as PDF and PNG, for a visual check.

    python bench/render_documents.py [--dpi 80]

Uses a fresh database with the sample cases of tests/printing/sample.py and pdftoppm
(poppler-utils) for the PNGs. Open the PNGs and look: overlaps, clipped text, boxes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.db import open_database  # noqa: E402
from core.printing.output import save_bytes  # noqa: E402
from core.printing.service import render_case_document, render_roster  # noqa: E402
from tests.printing.sample import add_office, add_roster_cases, add_samples  # noqa: E402

OUT = ROOT / "bench" / "out" / "documents"
TODAY = dt.date(2024, 3, 5)


def render_all(out: Path) -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp))
        try:
            with db.session() as s:
                office = add_office(s)
                cases = add_samples(s, office)
                roster = add_roster_cases(s, office, 45)
                s.commit()
                docs = {
                    "application_form": render_case_document(s, "form", cases.form, TODAY),
                    "receipt": render_case_document(s, "receipt", cases.receipt, TODAY),
                    "notice": render_case_document(s, "notice", cases.notice, TODAY),
                    "roster": render_roster(s, roster, batch_label="2024-01", today=TODAY),
                    "roster_public": render_roster(s, roster, public=True, today=TODAY),
                }
                save_bytes(
                    out / "roster.xlsx", render_roster(s, roster, "xlsx", batch_label="2024-01", today=TODAY)
                )
        finally:
            db.close()
    for name, data in docs.items():
        written.append(save_bytes(out / f"{name}.pdf", data))
    return written


def to_png(pdf: Path, dpi: int) -> None:
    if shutil.which("pdftoppm") is None:
        print("未安装 pdftoppm（poppler-utils），只生成了 PDF。", file=sys.stderr)
        return
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(pdf.with_suffix(""))], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    for pdf in render_all(OUT):
        to_png(pdf, args.dpi)
        print(pdf.relative_to(ROOT))
    print(f"PNG 已写入 {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
