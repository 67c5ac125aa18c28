"""What a Chinese input method in full-width mode types (１２３, Ｘ, －, the ideographic space)
is folded before ID numbers, credit codes, bank cards and phones are checked and stored; stray
characters such as ① or ² get the field's message, never a bare ValueError."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.actor import Actor
from core.app import applicants
from core.applicant_types import PersonInput
from core.errors import InvalidInput, ValidationError
from core.identity import parse_id_number, validate_bank_card, validate_phone, validate_uscc
from core.identity.id_number import check_character
from core.identity.text import fold_width

FIRST17 = "61032819900101123"
NUMBER = FIRST17 + check_character(FIRST17)  # ends in a digit, not X


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_a_full_width_id_number_with_a_digit_check_character_is_valid() -> None:
    assert not NUMBER.endswith("X")
    assert parse_id_number(full_width(NUMBER)).number == NUMBER
    assert parse_id_number(full_width("11010519491231002x")).number == "11010519491231002X"
    assert parse_id_number("610328\u300019900101\u3000" + NUMBER[14:]).number == NUMBER  # 全角空格


@pytest.mark.parametrize("stray", ["①", "²", "٣", "〇"])
def test_stray_characters_get_the_fields_message(stray: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_id_number(NUMBER[:10] + stray + NUMBER[11:])
    assert info.value.code == "ID_CHARS" and info.value.field == "身份证号"
    with pytest.raises(ValidationError) as info:
        validate_bank_card("6222021234567890" + stray + "12")
    assert info.value.code == "CARD_CHARS"
    with pytest.raises(ValidationError) as info:
        validate_phone("1391234567" + stray)
    assert info.value.code == "PHONE_FORMAT"


def test_cards_phones_and_credit_codes_are_folded_too() -> None:
    assert validate_bank_card(full_width("6222 0212 3456 7894")) == "6222021234567894"
    assert validate_phone(full_width("0917-4212345")) == "0917-4212345"
    assert validate_phone(full_width("139 1234 5678")) == "13912345678"
    assert validate_uscc(full_width("91350100m000100y43")) == "91350100M000100Y43"


@given(st.text(max_size=30))
def test_no_typed_text_crashes_a_validator(text: str) -> None:
    for check in (parse_id_number, validate_bank_card, validate_phone, validate_uscc):
        with contextlib.suppress(ValidationError):
            check(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=20))
def test_folding_full_width_gives_back_the_ascii(text: str) -> None:
    assert fold_width(full_width(text)) == text


def test_a_full_width_id_is_one_person_and_found_by_its_last_four(db) -> None:
    clerk = Actor("李会计")
    applicants.save_person(db, clerk, person_id=None, data=PersonInput("王秀兰", NUMBER))
    with pytest.raises(InvalidInput) as info:
        applicants.save_person(db, clerk, person_id=None, data=PersonInput("王秀兰", full_width(NUMBER)))
    assert "ID_DUPLICATE" in info.value.codes or any("已登记" in e.message_zh for e in info.value.errors)
    assert [p.name for p in applicants.find_persons(db, text=full_width(NUMBER[-4:]))] == ["王秀兰"]
    assert [p.name for p in applicants.find_persons(db, text=full_width(NUMBER[:12]))] == ["王秀兰"]
    assert dt.date(1990, 1, 1) == parse_id_number(full_width(NUMBER)).birth_date
