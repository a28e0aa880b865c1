"""Which column is which: finding the header row and matching each header to a register field.

Headers are compared loosely (case, punctuation, "(£)" and spacing ignored) against the export's
own headers and the words trusts use for the same thing, so a legacy register maps itself.
"""

import re

from openpyxl.utils import get_column_letter

from core.nhs_number import contains_nhs_number
from partnerships import parsing
from partnerships.importing.errors import ImportFileError
from partnerships.importing.fields import FIELD_LABELS
from partnerships.parsing import text_of

HEADER_SCAN_ROWS = 20  # the header is looked for among this many rows at the top of the sheet

HEADER_SYNONYMS = {
    "reference": ["Ref", "ID", "Ref no", "Reference number", "Partnership reference", "Partnership ID", "Register ref"],
    "title": ["Name", "Title", "Partnership", "Partnership title", "Name of partnership", "Partnership name"],
    "partners": [
        "Partner organisation",
        "Partner organisations",
        "Partners",
        "Partner",
        "Partner name",
        "Partner names",
        "Organisations",
        "Partner bodies",
        "Other partners",
    ],
    "arrangement_type": [
        "Arrangement type",
        "Type",
        "Arrangement",
        "Type of agreement",
        "Agreement type",
        "Contract type",
        "Partnership type",
        "Type of partnership",
        "Form of arrangement",
        "Nature of arrangement",
    ],
    "trust_role": ["Trust's role", "Role of the trust", "Our role", "Trust role in partnership", "Role"],
    "status": ["Partnership status", "Current status", "State"],
    "annual_value": [
        "Value",
        "Annual value",
        "Contract value",
        "Annual contract value",
        "Value per annum",
        "Value pa",
        "Annual income",
        "Income",
        "Financial value",
        "Value of partnership",
    ],
    "value_qualifier": ["Qualifier", "Value basis", "Value accuracy", "Value type"],
    "value_note": ["Value notes", "Note on value", "Notes on value", "Value comment", "Value comments"],
    "start_date": ["Start", "Date started", "Commencement date", "Commenced", "Start of agreement", "Date from"],
    "end_date": ["End", "Expiry date", "Expiry", "Date ended", "Contract end date", "End of agreement", "Date to"],
    "next_review_date": ["Next review", "Review date", "Review due", "Date of next review"],
    "lead": [
        "Internal lead",
        "Partnership lead",
        "Trust lead",
        "Lead officer",
        "Lead contact",
        "Responsible lead",
        "Responsible manager",
        "Responsible officer",
        "Accountable lead",
        "Named lead",
        "Operational lead",
        "Service lead",
        "Lead manager",
        "Lead name",
        "Owner",
    ],
    "recorded_lead": ["Recorded lead", "Lead as written"],
    "executive_sponsor": [
        "Exec sponsor",
        "Exec lead",
        "Executive lead",
        "Lead executive",
        "Lead executive director",
        "Sponsor",
        "Executive",
        "Executive director",
    ],
    "service_area": [
        "Directorate",
        "Clinical directorate",
        "Service",
        "Division",
        "Care group",
        "Clinical area",
        "Service line",
        "Business unit",
        "Department",
    ],
    "strategic_objectives": ["Strategic objective", "Trust objectives", "Objectives", "Strategic aims"],
    "material_contribution": [
        "Material contribution",
        "Materially contributes",
        "Material contribution to strategic objective",
        "Strategic contribution",
    ],
    "baf_themes": ["BAF risk theme", "BAF risks", "BAF risk", "BAF themes", "BAF", "Board assurance framework risks"],
    "data_sharing": ["Data sharing level", "Level of data sharing", "Data shared", "Information sharing"],
    "standard_signed_on": [
        "Partnership Standard signed on",
        "Partnership Standard",
        "Standard signed",
        "Partnership Standard sign up",
        "Signed up to Partnership Standard",
    ],
    "purpose": ["Description", "Summary", "Aim", "Aims", "Scope", "Purpose of partnership"],
    "notes": ["Comments", "Comment", "Note", "Remarks", "Additional information", "Other information"],
    "tier": ["Tier", "Partnership tier", "Derived tier"],
}


def header_key(text):
    """A header as compared: case, punctuation, "(s)", "(£)", "£" and spacing ignored."""
    text = text_of(text).casefold()
    text = text.replace("(s)", "").replace("(£)", "").replace("£", " ")
    return parsing.key_of(text)


def _header_words():
    """Compared header -> field key: the export's own headers first, then the synonyms."""
    words = {header_key(label): key for key, label in [*FIELD_LABELS.items(), ("tier", "Tier")]}
    for key, synonyms in HEADER_SYNONYMS.items():
        for word in synonyms:
            words.setdefault(header_key(word), key)
    return words


_HEADER_WORDS = _header_words()
_LONG_HEADER_WORDS = sorted((w for w in _HEADER_WORDS if " " in w), key=len, reverse=True)
# "OH lead", "OUH partnership lead": the trust's initials before a lead heading.
_INITIALS_LEAD = re.compile(r"^\s*[A-Z]{2,6}\s+(?P<rest>.*\blead\b.*)$", re.IGNORECASE)


def _is_initials_lead(text):
    """ "OH lead": the trust's initials (not a field's own, such as "BAF") before a lead heading."""
    match = _INITIALS_LEAD.match(text)
    if not match or not text.split()[0].isupper() or header_key(text.split()[0]) in _HEADER_WORDS:
        return False
    return _HEADER_WORDS.get(header_key(match["rest"])) == "lead"


def field_for_header(text):
    """The register field key a header means ("tier" included), or None."""
    key = header_key(text)
    if not key:
        return None
    if key in _HEADER_WORDS:
        return _HEADER_WORDS[key]
    if _is_initials_lead(text_of(text)):
        return "lead"
    without_brackets = header_key(re.sub(r"\(.*?\)", " ", text_of(text)))
    if without_brackets in _HEADER_WORDS:
        return _HEADER_WORDS[without_brackets]
    padded = f" {key} "
    for words in _LONG_HEADER_WORDS:  # "Total annual value 2023/24" -> annual value
        if f" {words} " in padded:
            return _HEADER_WORDS[words]
    return None


def suggest_mapping(headers):
    """One register field key (or ``None``: do not import) per column, by the header's meaning.

    Each field goes to the first column that means it. A Tier column is recognised and left
    out: tier is always derived.
    """
    mapping, taken = [], set()
    for header in headers:
        key = field_for_header(header)
        if key is None or key == "tier" or key in taken:
            mapping.append(None)
        else:
            taken.add(key)
            mapping.append(key)
    return mapping


def header_score(row):
    """How many register fields a row's cells name: the header row names the most."""
    return len({field_for_header(cell) for cell in row if not parsing.is_blank(cell)} - {None})


def detect_header(rows):
    """The index of the header row: among the first rows, the one whose cells name most fields.

    Title rows above the table ("Trust partnership register, March 2022") score lower than
    the real header, so they are skipped. A sheet with no recognisable header gets its first
    non-blank row, which the user can correct on the preview page.
    """
    best, best_score = None, 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = header_score(row)
        if score > best_score:
            best, best_score = index, score
    if best is not None:
        return best
    for index, row in enumerate(rows):
        if any(not parsing.is_blank(c) for c in row):
            return index
    raise ImportFileError("The file has no rows: there is nothing to import.")


def header_text(headers, index):
    """A column's header as shown to people: "" when it has none (or holds an NHS number)."""
    header = " ".join(text_of(headers[index]).split()) if index < len(headers) else ""
    return "" if contains_nhs_number(header) else header[:80]


def column_name(headers, index):
    """What a problem calls a column: its header, or its letter when it has none."""
    return header_text(headers, index) or f"Column {get_column_letter(index + 1)}"
