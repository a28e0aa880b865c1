"""Register cells as people write them: every example from the issue, and the ways they go wrong."""

import datetime
from decimal import Decimal

import pytest

from partnerships import parsing
from partnerships.models import ArrangementType, DataSharing, Status, TrustRole, ValueQualifier
from partnerships.parsing import CellError

EXACT, APPROX, UP_TO = ValueQualifier.EXACT, ValueQualifier.APPROXIMATE, ValueQualifier.UP_TO


@pytest.mark.parametrize(
    ("cell", "amount", "qualifier", "note"),
    [
        # As the board papers write them (seed "Trust partnerships update report").
        ("£65m", "65000000", EXACT, ""),
        ("c. £34m", "34000000", APPROX, ""),
        ("c.£34m", "34000000", APPROX, ""),
        ("circa £34m", "34000000", APPROX, ""),
        ("nearly £34m", "34000000", APPROX, ""),
        ("£8.6m", "8600000", EXACT, ""),
        ("8.6m", "8600000", EXACT, ""),
        ("£5.8m", "5800000", EXACT, ""),
        ("up to £2m", "2000000", UP_TO, ""),
        ("Up to £2m", "2000000", UP_TO, ""),
        # Ranges: up to the upper bound, the range as written kept as the note.
        ("£1–2m", "2000000", UP_TO, "£1–2m"),
        ("£1-2m", "2000000", UP_TO, "£1-2m"),
        ("£1m - £2m", "2000000", UP_TO, "£1m - £2m"),
        ("£500k to £1m", "1000000", UP_TO, "£500k to £1m"),
        ("£500k-1m", "1000000", UP_TO, "£500k-1m"),
        # Thousands, millions, plain numbers.
        ("£500k", "500000", EXACT, ""),
        ("£750K", "750000", EXACT, ""),
        ("1,200,000", "1200000", EXACT, ""),
        ("5,800,000", "5800000", EXACT, ""),
        ("£5,800,000.00", "5800000", EXACT, ""),
        ("£1.2 million", "1200000", EXACT, ""),
        ("£1.2 Million", "1200000", EXACT, ""),
        ("about £1bn", "1000000000", APPROX, ""),
        ("£ 240k", "240000", EXACT, ""),
        # Zero, however it is written; a remark beside it is the value's note.
        ("0", "0", EXACT, ""),
        ("£0", "0", EXACT, ""),
        ("nil", "0", EXACT, ""),
        ("Nil.", "0", EXACT, ""),
        ("NIL", "0", EXACT, ""),
        ("zero", "0", EXACT, ""),
        ("0 - in-kind support", "0", EXACT, "in-kind support"),
        ("£0 (in kind)", "0", EXACT, "in kind"),
        ("Nil – staff time only", "0", EXACT, "staff time only"),
        # A year's value with words after it.
        ("£65m pa", "65000000", EXACT, ""),
        ("£65m p.a.", "65000000", EXACT, ""),
        ("£65m per annum", "65000000", EXACT, ""),
        ("£34m (approx)", "34000000", APPROX, ""),
        ("£34m (2019/20)", "34000000", EXACT, "2019/20"),
        ("c. £34m (2019/20)", "34000000", APPROX, "2019/20"),
        ("£65m, contract value", "65000000", EXACT, "contract value"),
        ("£8.6m: recurrent", "8600000", EXACT, "recurrent"),
        # Numbers straight from the spreadsheet.
        (5800000, "5800000", EXACT, ""),
        (8600000.0, "8600000", EXACT, ""),
        (1234.56, "1234.56", EXACT, ""),
        (0, "0", EXACT, ""),
        (Decimal("750000"), "750000", EXACT, ""),
    ],
)
def test_money_as_people_write_it(cell, amount, qualifier, note):
    assert parsing.parse_money(cell) == (Decimal(amount), qualifier, note)


@pytest.mark.parametrize(
    ("cell", "note"),
    [("n/a - not yet agreed", "not yet agreed"), ("TBC (awaiting contract)", "awaiting contract")],
)
def test_unknown_money_keeps_its_remark(cell, note):
    assert parsing.parse_money(cell) == (None, EXACT, note)


@pytest.mark.parametrize(
    "cell", [None, "", "   ", "-", "–", "TBC", "tbc", "TBD", "unknown", "Unknown", "n/a", "N/A", "?"]
)
def test_unknown_money_is_unknown_never_zero(cell):
    assert parsing.parse_money(cell) == (None, EXACT, "")


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("twelve", "is not an amount of money"),
        ("£1m-£2m-£3m", "is not an amount of money"),
        ("£2m-£1m", "from the lower amount to the higher"),
        ("£5k a month", "is not a value for a year"),
        ("£60k per quarter", "is not a value for a year"),
        ("£3m over 3 years", "is not a value for a year"),
        ("£3m (3 year contract)", "is not a value for a year"),
        ("lots (see notes)", "is not an amount of money"),
        ("1,2", "is not an amount of money"),
        ("cash", "is not an amount of money"),
        ("-£500k", "cannot be negative"),
        (-5, "cannot be negative"),
        ("£5,000,000,000,000", "too large"),
        (True, "is not an amount of money"),
        (float("nan"), "is not an amount of money"),
    ],
)
def test_money_that_cannot_be_read_is_explained(cell, says):
    with pytest.raises(CellError) as error:
        parsing.parse_money(cell)
    assert says in error.value.message


def test_money_message_shows_how_to_write_it():
    with pytest.raises(CellError) as error:
        parsing.parse_money("twelve")
    assert error.value.message == (
        "“twelve” is not an amount of money. Write it like £750k, 5,800,000 or £1.2m, or leave it blank if not known."
    )


def test_a_huge_cell_is_not_repeated_in_full():
    with pytest.raises(CellError) as error:
        parsing.parse_money("x" * 10_000)
    assert len(error.value.message) < 200


def test_a_remark_too_long_for_the_note_is_refused():
    with pytest.raises(CellError) as error:
        parsing.parse_money("£1m - " + "in kind " * 30)
    assert error.value.message == "The remark after the value is 239 characters long. Shorten it to 200 or fewer."


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("30/03/2022", datetime.date(2022, 3, 30)),
        ("01.04.2019", datetime.date(2019, 4, 1)),
        ("1/4/19", datetime.date(2019, 4, 1)),
        ("1-4-2019", datetime.date(2019, 4, 1)),
        ("2022-03-30", datetime.date(2022, 3, 30)),
        ("2022-03-30 00:00:00", datetime.date(2022, 3, 30)),
        ("April 2022", datetime.date(2022, 4, 1)),
        ("Apr 2022", datetime.date(2022, 4, 1)),
        ("apr-22", datetime.date(2022, 4, 1)),
        ("Sept 2021", datetime.date(2021, 9, 1)),
        ("30 March 2022", datetime.date(2022, 3, 30)),
        ("1st April 2022", datetime.date(2022, 4, 1)),
        (datetime.datetime(2022, 3, 30, 0, 0), datetime.date(2022, 3, 30)),
        (datetime.date(2022, 3, 30), datetime.date(2022, 3, 30)),
        (44650, datetime.date(2022, 3, 30)),  # a date cell that lost its format
        (None, None),
        ("", None),
        ("TBC", None),
    ],
)
def test_dates_day_first_iso_cells_and_month_year(cell, expected):
    assert parsing.parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["ongoing", "Ongoing", "On-going", "open ended", None, ""])
def test_ongoing_means_no_end_date(cell):
    assert parsing.parse_date(cell, end_date=True) is None


def test_ongoing_is_not_a_start_date():
    with pytest.raises(CellError) as error:
        parsing.parse_date("ongoing")
    assert "only be used for an end date" in error.value.message


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("31/02/2022", "is not a real date"),
        ("30/13/2022", "is not a real date"),
        ("03/30/2022", "is not a real date"),  # American month first
        ("next spring", "is not a date"),
        ("2022", "is not a date"),
        (2022, "is not a date"),  # a bare year is not a spreadsheet date
        (True, "is not a date"),
    ],
)
def test_impossible_dates_are_explained(cell, says):
    with pytest.raises(CellError) as error:
        parsing.parse_date(cell)
    assert says in error.value.message
    assert "day first" in error.value.message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Live", Status.ACTIVE),
        ("Current", Status.ACTIVE),
        ("Operational", Status.ACTIVE),
        ("active", Status.ACTIVE),
        ("Ended", Status.CLOSED),
        ("Terminated", Status.CLOSED),
        ("Expired", Status.CLOSED),
        ("In development", Status.DEVELOPING),
        ("Developing", Status.DEVELOPING),
        ("Proposed", Status.PROPOSED),
        ("Pipeline", Status.PROPOSED),
        ("Under review", Status.UNDER_REVIEW),
        ("UNDER REVIEW", Status.UNDER_REVIEW),
        ("Closing", Status.CLOSING),
        *[(label, value) for value, label in Status.choices],
    ],
)
def test_statuses_by_synonym_and_by_label(cell, expected):
    assert parsing.parse_status(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("MoU", ArrangementType.MOU),
        ("Memorandum of understanding", ArrangementType.MOU),
        ("Contract", ArrangementType.PROCURED_CONTRACT),
        ("Procured contract", ArrangementType.PROCURED_CONTRACT),
        ("Formally procured contract", ArrangementType.PROCURED_CONTRACT),
        ("SAW", ArrangementType.SINGLE_ACTION_WAIVER),
        ("Single action waiver", ArrangementType.SINGLE_ACTION_WAIVER),
        ("S75", ArrangementType.SECTION_75),
        ("Section 75", ArrangementType.SECTION_75),
        ("Subcontract", ArrangementType.LEAD_PROVIDER_SUBCONTRACT),
        ("Lead provider subcontract", ArrangementType.LEAD_PROVIDER_SUBCONTRACT),
        ("Research", ArrangementType.RESEARCH_COLLABORATION),
        ("Research collaboration", ArrangementType.RESEARCH_COLLABORATION),
        ("Informal", ArrangementType.INFORMAL),
        ("Provider collaborative", ArrangementType.PROVIDER_COLLABORATIVE),
        ("Alliance", ArrangementType.ALLIANCE),
        ("Joint venture", ArrangementType.JOINT_VENTURE),
        ("Other", ArrangementType.OTHER),
        *[(label, value) for value, label in ArrangementType.choices],
    ],
)
def test_arrangement_types_by_synonym_and_by_label(cell, expected):
    assert parsing.parse_arrangement_type(cell) == expected


@pytest.mark.parametrize(
    ("parser", "choices"),
    [
        (parsing.parse_trust_role, TrustRole.choices),
        (parsing.parse_data_sharing, DataSharing.choices),
        (parsing.parse_value_qualifier, ValueQualifier.choices),
    ],
)
def test_every_display_label_reads_back(parser, choices):
    for value, label in choices:
        assert parser(label) == value
        assert parser(label.upper()) == value


@pytest.mark.parametrize(
    ("parser", "cell", "expected"),
    [
        (parsing.parse_trust_role, "Host", TrustRole.LEAD),
        (parsing.parse_trust_role, "Partner", TrustRole.MEMBER),
        (parsing.parse_trust_role, "", ""),
        (parsing.parse_data_sharing, "Anonymised", DataSharing.AGGREGATE),
        (parsing.parse_data_sharing, "Health data", DataSharing.SPECIAL_CATEGORY),
        (parsing.parse_data_sharing, None, ""),
        (parsing.parse_value_qualifier, "Approx", ValueQualifier.APPROXIMATE),
        (parsing.parse_value_qualifier, "Max", ValueQualifier.UP_TO),
        (parsing.parse_value_qualifier, "", ""),
    ],
)
def test_other_choices_by_synonym(parser, cell, expected):
    assert parser(cell) == expected


def test_unknown_choice_lists_what_is_allowed():
    with pytest.raises(CellError) as error:
        parsing.parse_status("Zombie")
    assert error.value.message.startswith("“Zombie” is not a status Accord knows.")
    assert "Active" in error.value.message and "Closed" in error.value.message


def test_status_and_type_are_required():
    with pytest.raises(CellError, match="Enter the status"):
        parsing.parse_status("")
    with pytest.raises(CellError, match="Enter the type of arrangement"):
        parsing.parse_arrangement_type(None)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        *[("Yes", True), ("Y", True), ("TRUE", True), (True, True), (1, True), ("x", True)],
        *[("No", False), ("n", False), ("", False), (None, False), (False, False), (0, False)],
    ],
)
def test_yes_no(cell, expected):
    assert parsing.parse_yes_no(cell) is expected


def test_yes_no_rejects_anything_else():
    with pytest.raises(CellError, match="is not yes or no"):
        parsing.parse_yes_no("maybe")
