"""大写金额: the examples of 《正确填写票据和结算凭证的基本规定》, and every amount read back to its fen."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import CAPITALS_MAX_FEN, capital_yuan

DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
UNITS = {"拾": 10, "佰": 100, "仟": 1000}


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        # the examples of the rules (where they allow two forms, the one chosen here)
        (140950, "壹仟肆佰零玖元伍角"),
        (600714, "陆仟零柒元壹角肆分"),
        (168032, "壹仟陆佰捌拾元零叁角贰分"),
        (10700053, "壹拾万柒仟元零伍角叁分"),
        (1640902, "壹万陆仟肆佰零玖元零贰分"),
        (32504, "叁佰贰拾伍元零肆分"),
        # round amounts, tens, the units
        (0, "零元整"),
        (100, "壹元整"),
        (1000, "壹拾元整"),
        (1500, "壹拾伍元整"),
        (100000, "壹仟元整"),
        (50000, "伍佰元整"),
        (10000000, "壹拾万元整"),
        (1005000000, "壹仟零伍万元整"),
        (10000000000, "壹亿元整"),
        (10000000100, "壹亿零壹元整"),
        (10000500000, "壹亿零伍仟元整"),
        (10050000, "壹拾万零伍佰元整"),
        (1000100, "壹万零壹元整"),
        (10100, "壹佰零壹元整"),
        # under one yuan, and 角 / 分 alone
        (50, "伍角"),
        (5, "伍分"),
        (55, "伍角伍分"),
        (105, "壹元零伍分"),
        (150, "壹元伍角"),
        (1050, "壹拾元零伍角"),
        (CAPITALS_MAX_FEN, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_examples(fen: int, words: str) -> None:
    assert capital_yuan(fen) == words


@pytest.mark.parametrize("bad", [-1, CAPITALS_MAX_FEN + 1, 1.5, True])
def test_refuses_what_it_cannot_write(bad: object) -> None:
    with pytest.raises(ValueError):
        capital_yuan(bad)  # type: ignore[arg-type]


def read_back(words: str) -> int:
    """The fen a 大写金额 stands for (an independent reading, for the property below)."""
    body = words.removesuffix("整")
    yuan_part, _, small = body.rpartition("元") if "元" in body else ("", "", body)
    fen = 0
    small = small.removeprefix("零")
    if "角" in small:
        fen += DIGITS[small[small.index("角") - 1]] * 10
    if "分" in small:
        fen += DIGITS[small[small.index("分") - 1]]
    total = section = digit = 0
    for ch in yuan_part:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            section += digit * UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
    return (total + section + digit) * 100 + fen


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_every_amount_reads_back_to_its_fen(fen: int) -> None:
    words = capital_yuan(fen)
    assert read_back(words) == fen
    assert "零零" not in words and not words.endswith("零")
    assert fen == 0 or not words.startswith("零")
