import pytest

from core.nhs_number import contains_nhs_number, is_valid_nhs_number

# 943 476 5919 and 401 023 2137 pass the modulus-11 check.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9434765919", True),
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("Patient 943 476 5919 was discussed", True),
        ("ref:4010232137.", True),
        ("9434765918", False),  # wrong check digit
        ("9434765910", False),
        ("94347659190", False),  # eleven digits: not an NHS number
        ("19434765919", False),
        ("01865 902000", False),  # a phone number
        ("£5,800,000", False),
        ("", False),
        (None, False),
        ("no digits here", False),
    ],
)
def test_contains_nhs_number(text, expected):
    assert contains_nhs_number(text) is expected


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
