"""Reading register cells as people write them: money, dates, statuses, types, yes/no.

Every parser takes one spreadsheet cell (text, a number, a date or nothing) and returns the
value Accord stores, or raises :class:`CellError` with a message a coordinator understands
(the importer adds the row and the column). Unknown is never turned into zero: a blank, "-",
"TBC" or "n/a" money cell is *unknown* (``None``). Each choice parser also reads back the exact
labels Accord's own export writes, so an exported register imports unchanged.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from partnerships.models import ArrangementType, DataSharing, Status, TrustRole, ValueQualifier


class CellError(ValueError):
    """A cell that cannot be read. ``message`` is written for the person who filled the cell in."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


QUOTE_LIMIT = 60


def quote(value):
    """The cell as typed, in curly quotes, shortened so a huge cell cannot flood a message."""
    text = " ".join(str(value).split())
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1] + "…"
    return f"“{text}”"


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value):
    """A cell as stripped text (numbers without a spurious ".0", dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def key_of(text):
    """The form labels are compared in: case, punctuation, "&"/"and" and spacing ignored."""
    text = str(text).casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


UNKNOWN_WORDS = {
    "",
    "tbc",
    "tbd",
    "tba",
    "unknown",
    "not known",
    "unk",
    "n a",
    "na",
    "not applicable",
    "not yet known",
    "to be confirmed",
    "to be determined",
}
DASHES = {"-", "–", "—", "--", "?", "??", "n/a", "n.a.", "n/k"}


def is_unknown_word(text):
    stripped = text.strip()
    return stripped in DASHES or key_of(stripped) in UNKNOWN_WORDS


# ---------------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------------

MONEY_HINT = "Write it like £750k, 5,800,000 or £1.2m, or leave it blank if not known."
MAX_MONEY = Decimal("999999999999.99")  # the annual value column holds 14 digits, 2 after the point
MAX_NOTE = 200  # characters of a value's note (``Partnership.value_note``)


class Money(NamedTuple):
    """A money cell as read: the amount (``None`` when unknown), its qualifier and the cell's remark."""

    amount: Decimal | None
    qualifier: str
    note: str = ""


_APPROXIMATE_PREFIXES = (
    "approximately",
    "approx.",
    "approx",
    "around",
    "about",
    "roughly",
    "nearly",
    "almost",
    "estimated",
    "est.",
    "est",
    "circa",
    "ca.",
    "c.",
    "c",
    "~",
    "≈",
)
_UP_TO_PREFIXES = (
    "up to",
    "upto",
    "not more than",
    "no more than",
    "maximum of",
    "maximum",
    "max.",
    "max",
    "capped at",
    "less than",
    "under",
    "below",
    "<=",
    "≤",
    "<",
)
_APPROXIMATE_SUFFIXES = (
    "(approx.)",
    "(approx)",
    "(approximately)",
    "(estimated)",
    "(est.)",
    "(est)",
    "approx.",
    "approx",
)
_PER_YEAR_SUFFIXES = (
    "per annum",
    "per year",
    "a year",
    "each year",
    "annually",
    "p.a.",
    "p.a",
    "pa",
    "/yr",
    "/year",
    "/annum",
    "pa.",
)
_UNITS = {
    "": Decimal(1),
    "k": Decimal(1000),
    "thousand": Decimal(1000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "mil": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "millions": Decimal(1_000_000),
    "bn": Decimal(1_000_000_000),
    "b": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_UNIT = r"k|thousand|mn|mil|millions|million|m|bn|billion|b"
_AMOUNT = re.compile(rf"^(?:£|gbp)?\s*(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})?(?:\s*(?:£|gbp|pounds))?$")
# "£1–2m", "£1m - £2m", "£500k to £1m": a range, read as "up to" its upper bound.
_BOUND = rf"(?:£|gbp)?\s*(?:{_NUMBER})\s*(?:{_UNIT})?"
_RANGE = re.compile(rf"^(?P<low>{_BOUND})\s*(?:-|–|—|to)\s*(?P<high>{_BOUND})$")
# A remark after the amount: "£34m (2019/20)", "0 - in-kind support", "£65m, recurrent".
_BRACKETED_REMARK = re.compile(r"^(?P<core>.*?\S)\s*\((?P<remark>[^()]*)\)$")
_SEPARATED_REMARK = re.compile(r"^(?P<core>.*?\S)(?:\s+[-–—]\s+|:\s+|,\s+|;\s*)(?P<remark>[^\d£\s].*)$")
_ZERO_WORDS = {"nil", "zero", "no cost", "no charge", "free of charge", "no value", "nil value"}
# A value for another period than a year is never converted: the person who knows says what a year is.
_OTHER_PERIOD = re.compile(
    r"\b(?:per|a|each)\s+(?:month|quarter|week|day)\b|\b(?:monthly|quarterly|weekly|daily|pcm)\b"
    r"|\bover\s+\d+\s+years?\b|\b\d+\s*-?\s*years?\b|\blifetime\b"
)


def _strip_prefix(text, prefixes):
    for prefix in prefixes:
        if text.startswith(prefix):
            rest = text[len(prefix) :]
            # "c" and "max" must be words of their own ("c £5m", not "cash").
            if prefix[-1].isalpha() and rest[:1].isalpha():
                continue
            return rest.strip()
    return None


def _strip_suffix(text, suffixes):
    for suffix in suffixes:
        if text.endswith(suffix):
            rest = text[: -len(suffix)]
            if suffix[0].isalpha() and rest[-1:].isalpha():
                continue
            return rest.strip()
    return None


def _is_qualifying_word(text):
    """ "approx", "p.a." and the like: part of how the amount is written, not a remark about it."""
    folded = text.casefold().strip()
    return any(folded in (s.strip("()"), s) for s in (*_APPROXIMATE_SUFFIXES, *_PER_YEAR_SUFFIXES))


def split_remark(text):
    """(amount part, remark) of a money cell: "£34m (2019/20)" -> ("£34m", "2019/20")."""
    for pattern in (_BRACKETED_REMARK, _SEPARATED_REMARK):
        match = pattern.match(text)
        if match and match["remark"].strip() and not _is_qualifying_word(match["remark"]):
            return match["core"].strip(), match["remark"].strip()
    return text, ""


def parse_money(value):
    """The :class:`Money` a cell holds: amount (``None`` when unknown), qualifier and remark.

    Reads what registers really contain: "£65m", "c. £34m", "up to £2m", "£1–2m" (up to the upper
    bound, the range kept as the note), "£0", "nil", "0 - in-kind support" (zero, the remark as the
    note), "£34m (2019/20)", "£65m pa", "n/a" (unknown). A value for a month, a quarter or several
    years is refused rather than converted.

    >>> parse_money("£1–2m").amount
    Decimal('2000000.00')
    """
    if isinstance(value, bool):
        raise CellError(f"{quote(value)} is not an amount of money. {MONEY_HINT}")
    if value is None:
        return Money(None, ValueQualifier.EXACT)
    if isinstance(value, (int, float, Decimal)):
        try:
            amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise CellError(f"{quote(value)} is not an amount of money. {MONEY_HINT}") from None
        return Money(_checked_amount(amount, value), ValueQualifier.EXACT)
    original = " ".join(str(value).replace("\u00a0", " ").split())
    core, note = split_remark(original)
    if len(note) > MAX_NOTE:
        raise CellError(
            f"The remark after the value is {len(note)} characters long. Shorten it to {MAX_NOTE} or fewer."
        )
    if _OTHER_PERIOD.search(original.casefold()):
        raise CellError(
            f"{quote(original)} is not a value for a year. Write the annual value (for example £60k for £5k a "
            "month), and keep the detail in the notes."
        )
    text = core.casefold()
    if is_unknown_word(text):
        return Money(None, ValueQualifier.EXACT, note)
    if key_of(text) in _ZERO_WORDS:
        return Money(Decimal("0.00"), ValueQualifier.EXACT, note)
    amount, qualifier, is_range = _amount_and_qualifier(text, original)
    return Money(amount, qualifier, original if is_range and not note else note)


def _amount_and_qualifier(text, original):
    """(amount, qualifier, whether it was a range) from a money cell without its remark, folded."""
    qualifier = ValueQualifier.EXACT
    rest = _strip_prefix(text, _APPROXIMATE_PREFIXES)
    if rest is not None:
        qualifier, text = ValueQualifier.APPROXIMATE, rest
    else:
        rest = _strip_prefix(text, _UP_TO_PREFIXES)
        if rest is not None:
            qualifier, text = ValueQualifier.UP_TO, rest
    for _ in range(2):
        rest = _strip_suffix(text, _PER_YEAR_SUFFIXES)
        if rest is not None:
            text = rest
        rest = _strip_suffix(text, _APPROXIMATE_SUFFIXES)
        if rest is not None:
            if qualifier == ValueQualifier.UP_TO:
                raise CellError(f"{quote(original)} says both “up to” and “approximately”: choose one. {MONEY_HINT}")
            qualifier, text = ValueQualifier.APPROXIMATE, rest
    if match := _RANGE.match(text):
        return _range_top(match, original), ValueQualifier.UP_TO, True
    match = _AMOUNT.match(text)
    if not match:
        if text.startswith("-") or text.startswith("(") or text.startswith("£-"):
            raise CellError(f"{quote(original)}: an annual value cannot be negative. {MONEY_HINT}")
        raise CellError(f"{quote(original)} is not an amount of money. {MONEY_HINT}")
    return _amount_of(match, original), qualifier, False


def _amount_of(match, original, unit=None):
    amount = Decimal(match["number"].replace(",", "")) * _UNITS[unit if unit is not None else match["unit"] or ""]
    return _checked_amount(amount, original)


def _range_top(match, original):
    """The upper bound of "£1–2m" (the lower bound takes the upper one's unit when it has none)."""
    low, high = _AMOUNT.match(match["low"].strip()), _AMOUNT.match(match["high"].strip())
    top = _amount_of(high, original)
    bottom = _amount_of(low, original, unit=low["unit"] or high["unit"] or "")
    if bottom > top:
        raise CellError(f"{quote(original)}: the range must go from the lower amount to the higher. {MONEY_HINT}")
    return top


def _checked_amount(amount, original):
    if not amount.is_finite():
        raise CellError(f"{quote(original)} is not an amount of money. {MONEY_HINT}")
    if amount < 0:
        raise CellError(f"{quote(original)}: an annual value cannot be negative. {MONEY_HINT}")
    if amount > MAX_MONEY:
        raise CellError(f"{quote(original)} is too large for an annual value. Check the number of zeros.")
    return amount.quantize(Decimal("0.01"))


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

_NUMERIC_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})[\-/.](\d{1,2})[\-/.](\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_TEXT_DMY = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?[\s\-]+({_MONTH_NAMES})\.?,?[\s\-]+(\d{{4}}|\d{{2}})$")
_TEXT_MY = re.compile(rf"^({_MONTH_NAMES})\.?[\s\-/]+(\d{{4}}|\d{{2}})$")
_NO_END_WORDS = {"ongoing", "on going", "open ended", "no end date", "none", "indefinite", "rolling", "permanent"}
_EXCEL_SERIALS = (18264, 73415)  # 01/01/1950 .. 31/12/2100: a bare year such as 2022 is not a date


def _year(text):
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _make_date(original, year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"{quote(original)} is not a real date. Check the day and the month (day first).") from None


def parse_date(value, end_date=False):
    """A date from a cell: UK day first, ISO, a spreadsheet date or a month and year.

    Blank and "TBC" are unknown (``None``). "Ongoing" means no end date, so only end dates
    accept it. A month and year ("April 2022") means the first of that month.
    """
    hint = "Write dates day first, like 30/03/2022, or as a month and year, like April 2022"
    hint += ", or write “ongoing” if there is no end date." if end_date else "."
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{quote(value)} is not a date. {hint}")
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, datetime.time):
        raise CellError(f"{quote(value)} is a time, not a date. {hint}")
    if isinstance(value, (int, float, Decimal)):
        if _EXCEL_SERIALS[0] <= value <= _EXCEL_SERIALS[1]:  # never true for NaN or infinity
            # A spreadsheet date cell that lost its date format: days since 30/12/1899.
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
        raise CellError(f"{quote(value)} is not a date. {hint}")
    original = str(value)
    text = " ".join(original.replace("\u00a0", " ").split()).casefold()
    if is_unknown_word(text):
        return None
    if key_of(text) in _NO_END_WORDS:
        if end_date:
            return None
        raise CellError(f"{quote(original)} can only be used for an end date. {hint}")
    if match := _NUMERIC_DMY.match(text):
        day, month, year = match.groups()
        return _make_date(original, _year(year), int(month), int(day))
    if match := _ISO.match(text):
        year, month, day = match.groups()
        return _make_date(original, int(year), int(month), int(day))
    if match := _TEXT_DMY.match(text):
        day, month, year = match.groups()
        return _make_date(original, _year(year), _MONTHS[month], int(day))
    if match := _TEXT_MY.match(text):
        month, year = match.groups()
        return _make_date(original, _year(year), _MONTHS[month], 1)
    raise CellError(f"{quote(original)} is not a date. {hint}")


# ---------------------------------------------------------------------------------------------
# Choices
# ---------------------------------------------------------------------------------------------


def _lookup(choices, synonyms):
    """A dict from every accepted spelling (as :func:`key_of`) to the stored value."""
    table = {}
    for value, label in choices:
        table[key_of(value)] = value
        table[key_of(label)] = value
    for value, words in synonyms.items():
        for word in words:
            table[key_of(word)] = value
    return table


STATUS_SYNONYMS = {
    Status.ACTIVE: ["Live", "Current", "Operational", "In place", "Running", "Open", "Active"],
    Status.CLOSED: ["Ended", "Terminated", "Expired", "Closed", "Complete", "Completed", "Finished", "Ceased"],
    Status.DEVELOPING: ["In development", "Developing", "Development", "Being developed", "Under development"],
    Status.PROPOSED: ["Proposed", "Pipeline", "Planned", "Proposal", "Potential", "Prospective"],
    Status.UNDER_REVIEW: ["Under review", "Review", "In review", "Being reviewed", "Reviewing"],
    Status.CLOSING: ["Closing", "Winding down", "Wind down", "Ending", "Exiting", "Decommissioning"],
}
ARRANGEMENT_SYNONYMS = {
    ArrangementType.MOU: ["MoU", "MOU", "Memorandum of understanding", "Memorandum"],
    ArrangementType.PROCURED_CONTRACT: [
        "Contract",
        "Procured contract",
        "Formally procured contract",
        "Procurement",
        "Formal contract",
    ],
    ArrangementType.SINGLE_ACTION_WAIVER: ["SAW", "Single action waiver", "Single tender waiver", "Waiver"],
    ArrangementType.SECTION_75: ["S75", "S.75", "S 75", "Section 75", "Section 75 agreement", "Section 75 partnership"],
    ArrangementType.LEAD_PROVIDER_SUBCONTRACT: [
        "Subcontract",
        "Sub-contract",
        "Lead provider subcontract",
        "Lead-provider subcontract",
        "Lead provider",
        "Lead provider contract",
    ],
    ArrangementType.RESEARCH_COLLABORATION: ["Research", "Research collaboration", "Research partnership"],
    ArrangementType.INFORMAL: ["Informal", "Informal partnership", "Informal arrangement", "No income transaction"],
    ArrangementType.PROVIDER_COLLABORATIVE: ["Provider collaborative", "Collaborative"],
    ArrangementType.ALLIANCE: ["Alliance", "Alliance agreement"],
    ArrangementType.JOINT_VENTURE: ["Joint venture", "JV"],
    ArrangementType.OTHER: ["Other"],
}
TRUST_ROLE_SYNONYMS = {
    TrustRole.LEAD: ["Lead", "Host", "Lead provider", "Lead or host", "Host organisation", "Lead partner"],
    TrustRole.MEMBER: ["Member", "Partner", "Participant", "Partner member"],
    TrustRole.SUBCONTRACTOR: ["Subcontractor", "Sub-contractor", "Sub contractor"],
    TrustRole.COMMISSIONER: ["Commissioner", "Commissioning"],
}
DATA_SHARING_SYNONYMS = {
    DataSharing.NONE: ["None", "No", "No data", "No data sharing", "Nil"],
    DataSharing.AGGREGATE: ["Aggregate", "Anonymised", "Anonymous", "Aggregated", "Aggregate or anonymised"],
    DataSharing.PERSONAL: ["Personal", "Personal data", "Identifiable", "Person identifiable"],
    DataSharing.SPECIAL_CATEGORY: [
        "Special category",
        "Special category data",
        "Health data",
        "Health",
        "Special",
        "Sensitive",
        "Special category (including health) data",
    ],
}
QUALIFIER_SYNONYMS = {
    ValueQualifier.EXACT: ["Exact", "Actual", "Confirmed", "Fixed"],
    ValueQualifier.APPROXIMATE: ["Approximate", "Approx", "Approx.", "c.", "circa", "Estimate", "Estimated", "About"],
    ValueQualifier.UP_TO: ["Up to", "Maximum", "Max", "Cap", "Capped", "Ceiling"],
}

STATUS_WORDS = _lookup(Status.choices, STATUS_SYNONYMS)
ARRANGEMENT_WORDS = _lookup(ArrangementType.choices, ARRANGEMENT_SYNONYMS)
TRUST_ROLE_WORDS = _lookup(TrustRole.choices, TRUST_ROLE_SYNONYMS)
DATA_SHARING_WORDS = _lookup(DataSharing.choices, DATA_SHARING_SYNONYMS)
QUALIFIER_WORDS = _lookup(ValueQualifier.choices, QUALIFIER_SYNONYMS)


def _choice(value, table, kind, what, required):
    """The choice of ``kind`` (a ``TextChoices``) that ``value`` names through ``table``."""
    text = text_of(value)
    if not text or is_unknown_word(text):
        if required:
            raise CellError(f"Enter the {what}. It can be one of: {_labels(kind.choices)}.")
        return ""
    found = table.get(key_of(text))
    if found is None:
        raise CellError(f"{quote(text)} is not a {what} Accord knows. Use one of: {_labels(kind.choices)}.")
    return found


def _labels(choices):
    return ", ".join(label for _, label in choices)


def parse_status(value):
    return _choice(value, STATUS_WORDS, Status, "status", required=True)


def parse_arrangement_type(value):
    return _choice(value, ARRANGEMENT_WORDS, ArrangementType, "type of arrangement", required=True)


def parse_trust_role(value):
    """The trust's role, or "" when not recorded."""
    return _choice(value, TRUST_ROLE_WORDS, TrustRole, "role for the trust", required=False)


def parse_data_sharing(value):
    """The level of data sharing, or "" when not yet assessed."""
    return _choice(value, DATA_SHARING_WORDS, DataSharing, "level of data sharing", required=False)


def parse_value_qualifier(value):
    """The value qualifier, or "" when the cell is blank (the money cell then decides)."""
    return _choice(value, QUALIFIER_WORDS, ValueQualifier, "value qualifier", required=False)


_YES = {"yes", "y", "true", "t", "1", "x", "✓", "✔", "ticked"}
_NO = {"no", "n", "false", "f", "0", "", "not material", "none"}


def parse_yes_no(value):
    """True or False; a blank cell is "no"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = text_of(value).casefold()
    if text in _YES:
        return True
    if text in _NO or is_unknown_word(text):
        return False
    raise CellError(f"{quote(text_of(value))} is not yes or no. Write Yes or No, or leave it blank for no.")
