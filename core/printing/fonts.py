"""The CJK font every printed document is set in, embedded so any PC and printer shows the same.

Order of preference: the font shipped in resources/fonts (文泉驿微米黑, Apache-2.0), then the
office PC's own SimSun / SimHei / Microsoft YaHei. ReportLab embeds a subset of the TrueType
font with a ToUnicode map, so copy and search work in every viewer (a Type 3 font would not).
"""

from __future__ import annotations

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


def register_font(options: list[FontCandidate] | None = None) -> str:
    """Register the first usable font with ReportLab once; return its ReportLab name."""
    global _registered
    if _registered is not None and options is None:
        return FONT_NAME
    choice = _load_first(options if options is not None else candidates())
    if options is None:
        _registered = choice
    return FONT_NAME


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
