"""Fonts, atomic saving, the deadline rule, lazy imports, and the `print` command line."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.policy.service import get_catalog
from core.printing.deadline import notice_deadline, window_close
from core.printing.errors import PrintingError
from core.printing.fonts import FontCandidate, candidates, font_dir, register_font
from core.printing.output import save_pdf
from main import main
from tests.printing.conftest import Printing, pdf_text

ROOT = Path(__file__).resolve().parents[2]


def test_the_font_ships_with_its_licence() -> None:
    font = font_dir() / "wqy-microhei.ttc"
    assert font.is_file() and font.stat().st_size < 6_000_000
    assert "Apache" in (font_dir() / "wqy-microhei-LICENSE.txt").read_text(encoding="utf-8")
    assert candidates(Path("C:/Windows/Fonts"))[1].path.name == "simsun.ttc"


def test_missing_fonts_give_a_chinese_message_naming_them(tmp_path: Path) -> None:
    nowhere = [
        FontCandidate(tmp_path / "simsun.ttc", 0, "宋体 SimSun"),
        FontCandidate(tmp_path / "x.ttf", 0, "黑体"),
    ]
    with pytest.raises(PrintingError) as err:
        register_font(nowhere)
    assert err.value.code == "PRINT_FONT_MISSING"
    assert "simsun.ttc" in err.value.message_zh and "中文字体" in err.value.message_zh


def test_a_broken_font_file_is_skipped_for_the_next(tmp_path: Path) -> None:
    broken = tmp_path / "simhei.ttf"
    broken.write_bytes(b"not a font")
    good = FontCandidate(font_dir() / "wqy-microhei.ttc", 0, "wqy")
    assert register_font([FontCandidate(broken, 0, "黑体"), good]) == "SubsidyDeskCJK"


def test_save_pdf_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out" / "回执.pdf"
    save_pdf(target, b"%PDF-1 old")
    save_pdf(target, b"%PDF-1 new")
    assert target.read_bytes() == b"%PDF-1 new"
    assert [p.name for p in target.parent.iterdir()] == ["回执.pdf"]


def test_importing_printing_does_not_load_reportlab() -> None:
    code = (
        "import sys, core.printing, core.printing.service, main; main.build_parser();"
        "print(sorted(m for m in ('reportlab', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_deadline_from_the_window_moves_past_the_weekend() -> None:
    subsidy = get_catalog("qianyang-2021").subsidy("transport_once")
    assert subsidy is not None
    facts = {"employment_date": dt.date(2024, 2, 20)}
    assert window_close(subsidy.windows[0], facts) == dt.date(2024, 12, 31)
    deadline = notice_deadline(None, subsidy, facts)
    assert deadline.date == dt.date(2024, 12, 31) and "2024年12月31日" in deadline.text
    # 2022-12-31 is a Saturday: the notice gives the next working day.
    assert notice_deadline(None, subsidy, {"employment_date": dt.date(2022, 5, 1)}).date == dt.date(
        2023, 1, 2
    )


def test_deadline_without_an_event_date_states_the_rule() -> None:
    subsidy = get_catalog("qianyang-2021").subsidy("job_seeking_once")
    assert subsidy is not None
    deadline = notice_deadline(None, subsidy, {})
    assert deadline.date is None and "6个月内" in deadline.text


def test_command_line_prints_each_document(printing: Printing, tmp_path: Path) -> None:
    data_dir = str(printing.db.path.parent)
    printing.db.close()
    for kind, case_id in (
        ("form", printing.cases.form),
        ("receipt", "610328-2024-0007"),
        ("notice", printing.cases.notice),
    ):
        out = tmp_path / f"{kind}.pdf"
        assert main(["print", kind, str(case_id), "-o", str(out), "--data-dir", data_dir]) == 0
        assert "千阳县城关镇劳动保障事务所" in pdf_text(out.read_bytes())
    xlsx = tmp_path / "roster.xlsx"
    ids = [str(printing.cases.form), str(printing.cases.notice)]
    assert main(["--data-dir", data_dir, "print", "roster", *ids, "-o", str(xlsx), "--public"]) == 0
    assert load_workbook(xlsx).active.cell(row=1, column=1).value == "千阳县一次性求职补贴公示名单"


def test_command_line_errors_are_chinese_with_exit_2(
    printing: Printing, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(printing.db.path.parent)
    printing.db.close()
    assert main(["print", "receipt", "424242", "-o", str(tmp_path / "x.pdf"), "--data-dir", data_dir]) == 2
    assert "找不到案件“424242”" in capsys.readouterr().err
    assert (
        main(
            [
                "print",
                "receipt",
                str(printing.cases.notice),
                "-o",
                str(tmp_path / "x.pdf"),
                "--data-dir",
                data_dir,
            ]
        )
        == 2
    )
    assert "尚未受理" in capsys.readouterr().err
    assert main(["print", "roster", "1", "-o", str(tmp_path / "x.doc"), "--data-dir", data_dir]) == 2
    assert not (tmp_path / "x.pdf").exists()


def test_the_warm_up_registers_the_printing_font_from_a_worker() -> None:
    """The window warms printing on a worker after it is shown: the first receipt finds the
    font registered (issue 16: the first receipt of a session waited 0.4-0.5 s for it)."""
    import threading

    from core.app.reports import warm_up_printing
    from core.printing.fonts import registered_font

    worker = threading.Thread(target=warm_up_printing)
    worker.start()
    worker.join()
    assert registered_font() is not None
