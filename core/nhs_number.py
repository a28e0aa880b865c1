"""Detect NHS numbers in free text (REFERENCE.md §8).

An NHS number is ten digits, often written 3-3-4 with spaces or dashes. The tenth digit is a
modulus-11 check digit over the first nine (weights 10 down to 2). Accord refuses to store free
text that contains a valid one; the number itself is never echoed back, logged or stored.
"""

import re

_CANDIDATE = re.compile(r"(?<![\d])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d])")


def is_valid_nhs_number(digits: str) -> bool:
    """True when ``digits`` (exactly ten digits) passes the modulus-11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def contains_nhs_number(text) -> bool:
    """True when ``text`` contains a valid NHS number, plain, spaced or dashed."""
    if not text:
        return False
    text = str(text)
    if not any(ch.isdigit() for ch in text):
        return False
    return any(is_valid_nhs_number("".join(m.groups())) for m in _CANDIDATE.finditer(text))
