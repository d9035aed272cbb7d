"""Citizen ID numbers (GB 11643-1999): check digit, embedded birth date and gender."""

from __future__ import annotations

import datetime
import unicodedata
from operator import mul

from dangjian.core.errors import DomainError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
SOURCE = "（依据：GB 11643-1999《公民身份号码》）"


def check_char(first17: str) -> str:
    if len(first17) != len(WEIGHTS):
        raise ValueError(first17)
    return CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]  # map: an import checks 100,000


def normalize_id(value: str | None) -> str:
    """Full-width digits, spaces and a lower-case x are what clerks type; store the canonical form."""
    text = unicodedata.normalize("NFKC", str(value or "")).replace(" ", "").strip().upper()
    return text


def parse_id(value: str | None) -> tuple[str, datetime.date, str]:
    """(canonical number, birth date, gender) or a DomainError naming what is wrong."""
    number = normalize_id(value)
    if len(number) != 18:
        raise DomainError(f"公民身份号码应为18位，现为{len(number)}位{SOURCE}。", field="id_number")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise DomainError(f"公民身份号码前17位须为数字，末位为数字或X{SOURCE}。", field="id_number")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise DomainError(
            f"公民身份号码中的出生日期“{number[6:14]}”不存在{SOURCE}。", field="id_number"
        ) from exc
    expected = check_char(number[:17])
    if number[17] != expected:
        raise DomainError(f"公民身份号码校验码错误：末位应为{expected}{SOURCE}。", field="id_number")
    gender = "male" if int(number[16]) % 2 else "female"
    return number, birth, gender
