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


# ---------------------------------------------------------------- 大写金额

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_BIG = ("", "万", "亿")
CAPITALS_MAX_FEN = 10**14 - 1  # 9999亿9999万9999元9角9分: far beyond any county's budget


def capital_yuan(fen: int) -> str:
    """An amount in Chinese capital numerals (大写金额), as bills and payment vouchers write it.

    Follows 《正确填写票据和结算凭证的基本规定》 (中国人民银行《支付结算办法》附件一): 元 is followed
    by 整 when there are no 角 and 分; no 整 after 角 or 分; a 0 between figures is one 零; 元 followed
    by 零 when the 角 is 0 and there are 分 (16409.02 → 壹万陆仟肆佰零玖元零贰分). Where the rules
    allow both, this writes: a 零 after 元 when the 元 digit is 0 and there are 角
    (1680.32 → 壹仟陆佰捌拾元零叁角贰分), no 零 where a 万 is followed by a non-zero 仟
    (107000.53 → 壹拾万柒仟元零伍角叁分), 壹拾 for a leading ten, and no 零元 before an amount
    under one 元 (0.50 → 伍角).
    """
    if isinstance(fen, bool) or not isinstance(fen, int) or not 0 <= fen <= CAPITALS_MAX_FEN:
        raise ValueError(f"capital_yuan takes 0 to {CAPITALS_MAX_FEN} fen, got {fen!r}")
    if fen == 0:
        return "零元整"
    yuan, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    out = _integer(yuan) + "元" if yuan else ""
    if not jiao and not cents:
        return out + "整"
    if jiao:
        out += ("零" if yuan and yuan % 10 == 0 else "") + _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    return out + (_DIGITS[cents] + "分" if cents else "")


def _integer(n: int) -> str:
    sections = []
    while n:
        n, section = divmod(n, 10000)
        sections.append(section)
    out, gap = "", False
    for i in reversed(range(len(sections))):
        section = sections[i]
        if section == 0:
            gap = bool(out)
            continue
        if out and (gap or section < 1000):
            out += "零"
        out += _section(section) + _BIG[i]
        gap = False
    return out


def _section(n: int) -> str:
    """1..9999 in capitals: 壹仟零伍."""
    out, zero = "", False
    for pos in (3, 2, 1, 0):
        digit = n // 10**pos % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL[pos]
    return out
