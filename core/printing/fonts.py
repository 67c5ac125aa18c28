"""The CJK font every printed document is set in, embedded so any PC and printer shows the same.

Order of preference: the font shipped in resources/fonts (文泉驿微米黑, Apache-2.0), then the
office PC's own SimSun / SimHei / Microsoft YaHei. ReportLab embeds a subset of the TrueType
font with a ToUnicode map, so copy and search work in every viewer (a Type 3 font would not).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from core.printing.errors import PrintingError
from core.resources import program_root

FONT_NAME = "SubsidyDeskCJK"


@dataclass(frozen=True)
class FontCandidate:
    path: Path
    subfont_index: int  # which face of a .ttc collection
    label: str


def font_dir() -> Path:
    """resources/fonts, inside the PyInstaller bundle when frozen."""
    root = program_root()
    return root / "resources" / "fonts"


def candidates(windows_fonts: Path = Path("C:/Windows/Fonts")) -> list[FontCandidate]:
    return [
        FontCandidate(font_dir() / "wqy-microhei.ttc", 0, "随程序提供的文泉驿微米黑"),
        FontCandidate(windows_fonts / "simsun.ttc", 0, "宋体 SimSun"),
        FontCandidate(windows_fonts / "simhei.ttf", 0, "黑体 SimHei"),
        FontCandidate(windows_fonts / "msyh.ttc", 0, "微软雅黑 Microsoft YaHei"),
    ]


_registered: FontCandidate | None = None
_lock = threading.Lock()  # the window's warm-up registers it on a worker; a print may ask at once


def register_font(options: list[FontCandidate] | None = None) -> str:
    """Register the first usable font with ReportLab once; return its ReportLab name."""
    global _registered
    if options is not None:
        _load_first(options)
        return FONT_NAME
    with _lock:
        if _registered is None:
            _registered = _load_first(candidates())
    return FONT_NAME


def warm_up() -> None:
    """Load the font and ReportLab's drawing code once, so the session's first receipt does not
    wait for them (0.4-0.5 s): the window calls this on a worker after it is shown. A font that
    cannot be loaded is left for the first print to report."""
    try:
        register_font()
    except PrintingError:
        return
    import io

    from reportlab.pdfgen.canvas import Canvas

    import core.printing.data
    import core.printing.receipt
    import core.printing.service  # noqa: F401  (the receipt's layout, QR code and data loading)

    canvas = Canvas(io.BytesIO())
    canvas.setFont(FONT_NAME, 12)
    canvas.drawString(10, 10, "受理回执 0123456789")  # the glyph tables and subsetting, once
    canvas.save()


def _load_first(options: list[FontCandidate]) -> FontCandidate:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    problems: list[str] = []
    for option in options:
        if not option.path.is_file():
            problems.append(f"{option.label}（{option.path}）：文件不存在")
            continue
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(option.path), subfontIndex=option.subfont_index))
        except (TTFError, OSError) as exc:
            problems.append(f"{option.label}（{option.path}）：无法读取（{exc}）")
            continue
        return option
    raise PrintingError(
        "PRINT_FONT_MISSING",
        "找不到可用于打印的中文字体，无法生成PDF。已查找："
        + "；".join(problems)
        + "。请重新安装本程序（会带回 resources/fonts/wqy-microhei.ttc），"
        "或确认本机 C:/Windows/Fonts 中有宋体（simsun.ttc）、黑体（simhei.ttf）或微软雅黑（msyh.ttc）。",
    )


def registered_font() -> FontCandidate | None:
    """The font in use, once a document has been drawn (for the about box and the report)."""
    return _registered
