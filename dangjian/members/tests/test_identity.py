"""Citizen ID numbers (GB 11643-1999): the check digit, the embedded birth date and gender, and the
forms clerks type them in (lower-case x, full-width digits, spaces)."""

from __future__ import annotations

import datetime

import pytest

from dangjian.core.errors import DomainError
from dangjian.members.services.identity import check_char, normalize_id, parse_id
from dangjian.members.testing import make_id_number


def ending_in_x() -> str:
    """A valid number whose check character is X."""
    for seq in range(500):
        number = make_id_number(datetime.date(1985, 6, 15), seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no X in 500 tries")


def test_a_valid_number_gives_birth_date_and_gender():
    number = make_id_number(datetime.date(1970, 3, 1), 1, male=True)
    assert parse_id(number) == (number, datetime.date(1970, 3, 1), "male")
    female = make_id_number(datetime.date(1990, 12, 31), 2, male=False)
    assert parse_id(female)[1:] == (datetime.date(1990, 12, 31), "female")


def test_the_check_digit_is_the_standard_one():
    # The worked example of GB 11643-1999: 11010519491231002 → X
    assert check_char("11010519491231002") == "X"
    assert parse_id("11010519491231002X")[1] == datetime.date(1949, 12, 31)


def test_a_wrong_check_digit_names_the_standard():
    number = make_id_number(datetime.date(1970, 3, 1), 1)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(DomainError) as exc:
        parse_id(wrong)
    assert exc.value.message == (
        f"公民身份号码校验码错误：末位应为{number[17]}（依据：GB 11643-1999《公民身份号码》）。"
    )
    assert exc.value.field == "id_number"


def test_lower_case_x_is_accepted_and_stored_upper_case():
    number = ending_in_x()
    assert parse_id(number.lower())[0] == number
    assert normalize_id(number[:-1] + "x") == number


def test_full_width_digits_and_spaces_are_normalised():
    number = make_id_number(datetime.date(1970, 3, 1), 1)
    typed = " ".join(number[i : i + 6] for i in range(0, 18, 6)).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    assert parse_id("\u3000" + typed)[0] == number


def test_an_impossible_birth_date_is_refused():
    first17 = "14093219990230001"
    with pytest.raises(DomainError) as exc:
        parse_id(first17 + check_char(first17))
    assert "出生日期“19990230”不存在" in exc.value.message


def test_seventeen_digits_is_too_short():
    with pytest.raises(DomainError) as exc:
        parse_id("14093219700301001")
    assert exc.value.message.startswith("公民身份号码应为18位，现为17位")


def test_letters_inside_are_refused():
    with pytest.raises(DomainError) as exc:
        parse_id("1409321970030100A1")
    assert "前17位须为数字" in exc.value.message
