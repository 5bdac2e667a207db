"""Personal data of members: the one place that checks ID numbers and phones and masks them."""

from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"\+?[\d-]{7,20}")


def id_check_digit(first17: str) -> str:
    """The 18th character of a citizen ID number (GB 11643-1999, ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def check_id_number(text: str) -> str:
    """``text`` as a valid 18-character ID number; ValueError with a Chinese message otherwise."""
    text = text.replace(" ", "").upper()
    if re.fullmatch(r"\d{15}", text):
        raise ValueError(f"“{text}”是 15 位的旧身份证号，请填写 18 位的身份证号")
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise ValueError(f"身份证号“{text}”应为 18 位，前 17 位是数字，最后一位是数字或 X")
    if id_check_digit(text[:17]) != text[17]:
        raise ValueError(f"身份证号“{text}”的校验位不对（最后一位应为 {id_check_digit(text[:17])}），请核对")
    try:
        date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValueError(f"身份证号“{text}”中的出生日期 {text[6:14]} 不存在，请核对") from None
    return text


def check_phone(text: str) -> str:
    """``text`` as a mobile (11 digits) or landline number; ValueError with a Chinese message otherwise."""
    text = re.sub(r"\s", "", text)
    if re.fullmatch(r"1\d*", text):
        if not _MOBILE.fullmatch(text):
            raise ValueError(f"手机号码“{text}”应为 11 位，以 13 至 19 开头")
    elif not _LANDLINE.fullmatch(text) or sum(c.isdigit() for c in text) < 7:
        raise ValueError(f"联系电话“{text}”格式不对：手机号写 11 位数字，固定电话如 010-12345678")
    return text


def mask(value: str, keep_start: int = 3, keep_end: int = 2) -> str:
    """``value`` with the middle replaced by *, for those who may not see it in full."""
    if len(value) <= keep_start + keep_end:
        return value
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
