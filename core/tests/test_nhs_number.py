"""The NHS-number guard: caught however it is written, and not fooled by dates, money or phones.

943 476 5919 and 401 023 2137 pass the modulus-11 check. Several of the "not an NHS number"
texts below are chosen so that ten of their digits *would* pass the check if digits were taken
from anywhere (the comment says which): they are refused for what they are, not by luck.
"""

import re

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from core.nhs_number import contains_nhs_number, is_valid_nhs_number

CAUGHT = [
    "9434765919",
    "943 476 5919",
    "943-476-5919",
    "Patient 943 476 5919 was discussed",
    "ref:4010232137.",
    "943  476  5919",  # double spaces
    "943\u00a0476\u00a05919",  # non-breaking spaces
    "943\u202f476\u20095919",  # narrow and thin spaces
    "943\u200b476\u200b5919",  # zero-width spaces
    "9\u200d4\u20603\u00ad4765919",  # a joiner, a word joiner, a soft hyphen
    "943\t476\t5919",
    "943\n476\r\n5919",
    "943.476.5919",
    "943/476/5919",
    "943–476–5919",  # en dashes
    "943 — 476 — 5919",  # em dashes with spaces
    "943_476_5919",
    "943_476_5919.pdf",
    "Letter to 943-476-5919 (final).docx",
    "(943) 476 5919",
    "[943] 476-5919",
    "9434 765 919",
    "94 34 76 59 19",
    "9 4 3 4 7 6 5 9 1 9",
    "943,476,5919",
    "９４３ ４７６ ５９１９",  # full-width digits
    "٩٤٣٤٧٦٥٩١٩",  # Arabic-Indic digits
    "943 476 5919, 401 023 2137",
    "Seen 01/04/2024; NHS no. 943 476 5919",
    "P-9434765919",
    "Scan 2 - 943-476-5919",
    "Scan 2 – 943 476 5919",
    "NHS: 4010232137",
]

NOT_CAUGHT = [
    "9434765918",  # wrong check digit
    "9434765910",
    "94347659190",  # eleven digits in a row: not an NHS number
    "19434765919",
    "943 476 59190",
    "A9434765919",  # against a letter: part of a code
    "9434765919B",
    "01865 902000",  # a phone number: eleven digits
    "0300 000 0003",
    "+44 1865 000000",  # 1865000000 would pass, but it is the end of one longer number
    "01/04/2019 – 31/03/2024",  # 0420193103 would pass
    "01/04/2028-31/03/2029",  # 0104202831 would pass
    "Term: 1 April 2019 to 31 March 2024",
    "£5,800,000",
    "£1,234,567.89",
    "£1000000001",  # would pass: an amount
    "1,000,000,001",  # would pass: written with thousands separators
    "RNU, RTH, RW1",  # ODS codes
    "Y02345 and 5QJ",
    "2019-2024",
    "2024/25 to 2026/27",
    "10:30 – 12:00",
    "",
    None,
    "no digits here",
]


@pytest.mark.parametrize("text", CAUGHT)
def test_an_nhs_number_is_caught_however_it_is_written(text):
    assert contains_nhs_number(text) is True


@pytest.mark.parametrize("text", NOT_CAUGHT)
def test_digits_that_are_not_an_nhs_number_pass(text):
    assert contains_nhs_number(text) is False


def test_check_digit_of_ten_is_never_valid():
    """A nine-digit prefix whose check digit works out as 10 has no valid tenth digit."""
    prefix = next(
        p
        for p in (f"{n:09d}" for n in range(1, 10000))
        if 11 - sum(int(d) * w for d, w in zip(p, range(10, 1, -1), strict=True)) % 11 == 10
    )
    assert not any(is_valid_nhs_number(prefix + str(d)) for d in range(10))


def test_check_digit_eleven_means_zero():
    prefix = next(
        p
        for p in (f"{n:09d}" for n in range(1, 10000))
        if sum(int(d) * w for d, w in zip(p, range(10, 1, -1), strict=True)) % 11 == 0
    )
    assert is_valid_nhs_number(prefix + "0")
    assert not is_valid_nhs_number(prefix + "1")


# --- properties: any grouping, any separators ---------------------------------------------------


def check_digit(prefix):
    """The tenth digit that makes ``prefix`` an NHS number (10 when none does)."""
    check = 11 - sum(int(d) * w for d, w in zip(prefix, range(10, 1, -1), strict=True)) % 11
    return 0 if check == 11 else check


prefixes = st.text(alphabet="0123456789", min_size=9, max_size=9)
valid_numbers = prefixes.filter(lambda p: check_digit(p) != 10).map(lambda p: p + str(check_digit(p)))
invalid_numbers = st.builds(lambda p, d: p + str(d), prefixes, st.integers(0, 9)).filter(
    lambda n: not is_valid_nhs_number(n)
)

SEPARATORS = [
    "",
    " ",
    "  ",
    "\u00a0",
    "\u202f",
    "\u200b",
    "\u2060",
    "\t",
    "\n",
    "\r\n",
    ".",
    "/",
    "-",
    "–",
    "—",
    " – ",
    "_",
    ",",
    ") ",
    "] ",
    " / ",
    "·",
]
# Around the number: text with no digit, and no letter or currency sign against it.
BEFORE = ["", "Patient ", "NHS number: ", "ref:", "(", "Letter_", "Seen today - ", "\n"]
AFTER = ["", ".", ".pdf", " was discussed", ")", "_final.docx", "; seen by the team", "\n"]


@st.composite
def written(draw, numbers):
    """A number cut into groups at random places, with a separator of any kind between each."""
    digits = draw(numbers)
    cuts = sorted(draw(st.sets(st.integers(1, 9), max_size=9)))
    groups = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, 10], strict=True)]
    text = groups[0]
    for group in groups[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + group
    return draw(st.sampled_from(BEFORE)) + text + draw(st.sampled_from(AFTER)), text


def written_as_an_amount(number):
    """``9,434,765,919`` or ``943,476,591.9`` read as a sum of money or a count, not an NHS number."""
    return re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d{1,2})?", number) is not None


@given(written(valid_numbers))
@example(("(943) 476 5919", "943) 476 5919"))
@example(("943_476_5919.pdf", "943_476_5919"))
def test_a_valid_number_is_caught_in_any_grouping_with_any_separators(case):
    text, number = case
    assume(not written_as_an_amount(number))
    assert contains_nhs_number(text), repr(text)


@given(written(invalid_numbers))
def test_ten_digits_failing_the_check_pass_in_any_grouping(case):
    text, _ = case
    assert not contains_nhs_number(text), repr(text)


@given(written(valid_numbers), written(valid_numbers), st.sampled_from([", ", "; ", " and ", " or "]))
def test_two_numbers_in_a_list_are_both_seen(first, second, between):
    """The first of two is caught even when the second is not (its check digit spoilt), the list
    separated by something its numbers are not."""
    spoilt = second[1][:-1] + str((int(second[1][-1]) + 1) % 10)
    assume(not written_as_an_amount(first[1]))
    assume(not is_valid_nhs_number(re.sub(r"\D", "", spoilt)))
    assert contains_nhs_number(first[1] + between + spoilt), repr(first[1] + between + spoilt)
