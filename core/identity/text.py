"""What clerks type, folded before it is checked: a Chinese input method in full-width mode
gives １２３, Ｘ and － instead of 123, X and -, and spaces slip in between groups of digits."""

from __future__ import annotations

_FULL_WIDTH_START, _FULL_WIDTH_END, _OFFSET = 0xFF01, 0xFF5E, 0xFEE0
_IDEOGRAPHIC_SPACE = "\u3000"
DIGITS = frozenset("0123456789")


def fold_width(text: str) -> str:
    """Full-width letters, digits and punctuation as their ASCII twins; nothing else changes
    (① or ² stay what they are, so that a check can name them)."""
    return "".join(
        chr(ord(c) - _OFFSET) if _FULL_WIDTH_START <= ord(c) <= _FULL_WIDTH_END else c
        for c in text.replace(_IDEOGRAPHIC_SPACE, " ")
    )


def fold_code(raw: str) -> str:
    """An identifier as typed: widths folded, every space removed, letters upper-case."""
    return "".join(fold_width(raw).split()).upper()


def only_digits(text: str) -> bool:
    """ASCII digits only (str.isdigit also accepts ① and ², which int() then refuses)."""
    return bool(text) and all(c in DIGITS for c in text)
