"""ID numbers, phones and masking: the checks the form, the import and the pages share."""

from __future__ import annotations

import pytest

from xuanju.organizations.personal_data import check_id_number, check_phone, id_check_digit, mask


def test_id_check_digit_follows_gb_11643():
    assert id_check_digit("11010519491231002") == "X"  # the standard's own example
    assert id_check_digit("44052418800101001") == "4"


def test_a_valid_id_number_is_normalized():
    assert check_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("110105491231002", "15 位的旧身份证号"),
        ("1101051949123100", "应为 18 位"),
        ("110105194912310021", "校验位不对（最后一位应为 X）"),
        ("110105194902300020", "出生日期 19490230 不存在"),
    ],
)
def test_bad_id_numbers_are_explained(value, words):
    with pytest.raises(ValueError, match=words.replace("（", r"\（").replace("）", r"\）")):
        check_id_number(value)


@pytest.mark.parametrize("value", ["13912345678", "010-12345678", "0731 8888 6666"])
def test_phones_that_pass(value):
    assert check_phone(value) == value.replace(" ", "")


@pytest.mark.parametrize("value", ["1391234567", "abc", "12-34"])
def test_phones_that_fail(value):
    with pytest.raises(ValueError):
        check_phone(value)


def test_mask_keeps_the_ends():
    assert mask("11010519491231002X") == "110*************2X"
    assert mask("1234") == "1234"
