"""Money is integer fen everywhere; these turn it into and out of the 元 that people read."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from core.errors import ValidationError

_YUAN = re.compile(r"\d{1,9}(\.\d{1,2})?")


def format_yuan(fen: int) -> str:
    """12345 -> '123.45'; thousands are grouped for long amounts (300,000.00)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def parse_yuan(text: str, field: str) -> int:
    """'500', '500.5', '1,000.00' -> fen. Raises ValidationError naming the field."""
    cleaned = text.strip().replace(",", "").replace("，", "").removesuffix("元")
    if not _YUAN.fullmatch(cleaned):
        raise ValidationError(
            "MONEY_FORMAT", field, f"{field}应为金额（元），最多两位小数，例如 500 或 1200.50。"
        )
    try:
        return int(Decimal(cleaned) * 100)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes this
        raise ValidationError("MONEY_FORMAT", field, f"{field}不是有效金额。") from None
