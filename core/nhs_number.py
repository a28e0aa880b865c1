"""Detect NHS numbers in free text, file names and sheet names (REFERENCE.md §8).

An NHS number is ten digits; the tenth is a modulus-11 check digit over the first nine (weights
10 down to 2). People write it 3-3-4 with spaces or dashes, but also in other groupings
(``9434 765 919``, ``94 34 76 59 19``), with brackets (``(943) 476 5919``), dots, slashes,
underscores (``943_476_5919.pdf``), en dashes, several spaces, a non-breaking or zero-width
space, a tab or a line break. All of these are caught:

1. Invisible characters (zero-width spaces and joiners, soft hyphens: Unicode "format"
   characters) are dropped, and any Unicode decimal digit counts as the digit it is.
2. The text is read as groups of digits. Two groups belong to one number when only a short gap
   of separators lies between them: no letter or digit, no currency or percent sign, at most
   three characters (a run of whitespace counts as one).
3. A number whose digits are ten in all is a candidate. Inside a longer number, ten digits of
   whole groups are a candidate when the separators around them differ from those between
   them (``943 476 5919, 401 023 2137`` holds two), so a date range such as
   ``01/04/2019 – 31/03/2024`` holds none.
4. A group directly against a letter is part of a code (an ODS code, a document reference), and
   a number directly after a currency sign, or written with thousands separators
   (``12,345,678.90``), is an amount: neither is an NHS number.
5. A candidate that passes the modulus-11 check is an NHS number.

A group is never split: eleven digits or more in a row are not an NHS number (a phone number
written ``01865902000`` is eleven). Accord refuses text holding one; the number itself is never
echoed back, logged or stored.
"""

import re
import unicodedata
from dataclasses import dataclass

NHS_NUMBER_LENGTH = 10
MOST_GAP = 3  # characters of separators between two groups of one number (whitespace runs count one)

_DIGITS = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_WHITESPACE = re.compile(r"\s+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d-]")
_BRACKETS = re.compile(r"[()\[\]{}<>]")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d{1,2})?")


def is_valid_nhs_number(digits: str) -> bool:
    """True when ``digits`` (exactly ten digits) passes the modulus-11 check."""
    if len(digits) != NHS_NUMBER_LENGTH or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


@dataclass
class _Number:
    """Groups of digits written as one number, the gaps between them, and where it lies in the text."""

    groups: list
    gaps: list
    start: int
    end: int


def contains_nhs_number(text) -> bool:
    """True when ``text`` contains a valid NHS number, however it is grouped or separated."""
    if not text:
        return False
    text = str(text)
    if len(_DIGIT.findall(text)) < 10:  # an NHS number is ten digits (``\d`` is every decimal digit)
        return False
    text = _visible(text)
    if not any(ch.isdigit() for ch in text):
        return False
    return any(
        is_valid_nhs_number(candidate)
        for number in _numbers(text)
        if not _is_amount(number, text)
        for candidate in _candidates(number, text)
    )


def _visible(text):
    """``text`` without invisible characters, every decimal digit (Arabic-Indic, full-width) as 0-9."""
    kept = (ch for ch in text if unicodedata.category(ch) != "Cf")
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in kept)


def _numbers(text):
    """Every number written in ``text``: its groups of digits and the gaps that join them."""
    numbers = []
    for match in _DIGITS.finditer(text):
        gap = text[numbers[-1].end : match.start()] if numbers else ""
        if numbers and _joins(gap):
            numbers[-1].groups.append(match.group())
            numbers[-1].gaps.append(gap)
            numbers[-1].end = match.end()
        else:
            numbers.append(_Number([match.group()], [], match.start(), match.end()))
    return numbers


def _joins(gap):
    """True when ``gap`` is only separators, short enough to sit inside one written number."""
    if any(ch.isalnum() or ch == "%" or unicodedata.category(ch) == "Sc" for ch in gap):
        return False
    return len(_WHITESPACE.sub(" ", gap)) <= MOST_GAP


def _kind(gap):
    """What a gap separates with: every dash is one dash and a bracket a space, but ``" - "`` is
    not ``"-"``. A gap of whitespace alone is a space, or a line break (one number a line)."""
    gap = _BRACKETS.sub(" ", _DASHES.sub("-", gap))
    if not gap.strip():
        return "\n" if any(ch in "\n\r\v\f\x85\u2028\u2029" for ch in gap) else " "
    return _WHITESPACE.sub(" ", gap)


def _is_amount(number, text):
    """Money or a count: straight after a currency sign, or with thousands separators."""
    before = text[: number.start].rstrip()
    if before and unicodedata.category(before[-1]) == "Sc":
        return True
    return bool(_THOUSANDS.fullmatch(text[number.start : number.end]))


def _candidates(number, text):
    """Ten digits of whole consecutive groups, set apart from the rest of the number."""
    groups, kinds = number.groups, [_kind(g) for g in number.gaps]
    letter_before = number.start > 0 and text[number.start - 1].isalpha()
    letter_after = text[number.end : number.end + 1].isalpha()
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += groups[last]
            if len(digits) > NHS_NUMBER_LENGTH:
                break
            against_a_letter = (first == 0 and letter_before) or (last == len(groups) - 1 and letter_after)
            if len(digits) == NHS_NUMBER_LENGTH and not against_a_letter and _set_apart(kinds, first, last):
                yield digits


def _set_apart(kinds, first, last):
    """Inside a longer number, the separators just outside groups ``first``–``last`` differ from
    those between them (a list of numbers, not one long number or a range of dates)."""
    inside = set(kinds[first:last])
    outside = set(kinds[first - 1 : first] if first > 0 else []) | set(kinds[last : last + 1])
    return not inside & outside
