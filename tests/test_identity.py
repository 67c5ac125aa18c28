"""Validators for ID numbers, credit codes, bank cards and phones, by their standards' rules."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import ValidationError
from core.identity import mask_id_number, parse_id_number, validate_bank_card, validate_phone, validate_uscc
from core.identity.bank import luhn_ok
from core.identity.id_number import check_character
from core.identity.uscc import ALPHABET, uscc_check_character

# Published examples: the GB 11643-1999 sample number, and a USCC printed on a real licence.
GB_SAMPLE = "11010519491231002X"
REAL_USCC = "91350100M000100Y43"


def _code(fn, *args):
    with pytest.raises(ValidationError) as info:
        fn(*args)
    return info.value.code


def test_standard_sample_id_number_parses() -> None:
    info = parse_id_number(GB_SAMPLE)
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "女"
    assert info.area_code == "110105"


def test_lower_case_x_and_spaces_are_accepted() -> None:
    assert parse_id_number(" 110105 19491231 002x ").number == GB_SAMPLE


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "ID_EMPTY"),
        ("11010519491231002", "ID_LENGTH"),
        ("1101051949123100211", "ID_LENGTH"),
        ("11010519491231002Y", "ID_CHARS"),
        ("110105194912310021", "ID_CHECKSUM"),
        ("110105194902300021", "ID_BIRTH_DATE"),  # 30 February
        ("110105189912310021", "ID_BIRTH_DATE"),  # before 1900
    ],
)
def test_bad_id_numbers_get_their_own_code(number: str, code: str) -> None:
    assert _code(parse_id_number, number) == code


def test_birth_date_in_the_future_is_refused() -> None:
    first17 = "61032820300101001"
    assert _code(parse_id_number, first17 + check_character(first17)) == "ID_BIRTH_DATE"


def test_message_names_the_field_in_chinese() -> None:
    with pytest.raises(ValidationError) as info:
        parse_id_number("110105194912310021")
    assert info.value.field == "身份证号"
    assert "校验位" in info.value.message_zh


birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31))


@given(area=st.integers(110000, 659999), birth=birth_dates, seq=st.integers(0, 999))
def test_any_number_with_its_check_character_is_valid(area: int, birth: dt.date, seq: int) -> None:
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    info = parse_id_number(first17 + check_character(first17))
    assert info.birth_date == birth
    assert info.sex == ("男" if seq % 2 else "女")


@given(
    area=st.integers(110000, 659999),
    birth=birth_dates,
    seq=st.integers(0, 999),
    pos=st.integers(0, 16),
    delta=st.integers(1, 9),
)
def test_one_changed_digit_is_always_caught(
    area: int, birth: dt.date, seq: int, pos: int, delta: int
) -> None:
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    good = first17 + check_character(first17)
    changed = good[:pos] + str((int(good[pos]) + delta) % 10) + good[pos + 1 :]
    with pytest.raises(ValidationError):
        parse_id_number(changed)


def test_masking_keeps_area_and_last_four() -> None:
    assert mask_id_number("610328199001011234") == "610328********1234"


def test_real_uscc_is_valid_and_normalised() -> None:
    assert validate_uscc("91350100m000100y43") == REAL_USCC


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("", "USCC_EMPTY"),
        ("91350100M000100Y4", "USCC_LENGTH"),
        ("91350100M000100Y4O", "USCC_CHARS"),
        ("91350100M000100Y44", "USCC_CHECKSUM"),
    ],
)
def test_bad_uscc(code: str, expected: str) -> None:
    assert _code(validate_uscc, code) == expected


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_uscc_with_computed_check_character_is_valid(body: str) -> None:
    code = body + uscc_check_character(body)
    assert validate_uscc(code) == code


@given(st.text(alphabet="0123456789", min_size=15, max_size=18))
def test_luhn_completion_is_accepted_and_a_changed_digit_is_not(body: str) -> None:
    check = next(str(d) for d in range(10) if luhn_ok(body + str(d)))
    card = body + check
    assert validate_bank_card(card) == card
    altered = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert not luhn_ok(altered)


@pytest.mark.parametrize(
    ("card", "code"),
    [
        ("", "CARD_EMPTY"),
        ("6222abc", "CARD_CHARS"),
        ("4111111111111", "CARD_LENGTH"),
        ("4111111111111112", "CARD_CHECKSUM"),
    ],
)
def test_bad_bank_cards(card: str, code: str) -> None:
    assert _code(validate_bank_card, card) == code


@pytest.mark.parametrize("phone", ["13912345678", "0917-4212345", "09174212345"])
def test_good_phones(phone: str) -> None:
    assert validate_phone(phone) == phone


@pytest.mark.parametrize("phone", ["1391234567", "12912345678", "4212345", "139-1234-5678x"])
def test_bad_phones(phone: str) -> None:
    assert _code(validate_phone, phone) == "PHONE_FORMAT"


def test_landline_refused_where_a_mobile_is_required() -> None:
    assert _code(validate_phone, "0917-4212345", False) == "PHONE_FORMAT"
