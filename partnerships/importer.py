"""The register import: read a trust's spreadsheet, plan every row, then write all rows or none.

Used by the import page, ``manage.py import_register`` and the benchmark::

    rows = load_rows(path, "register.xlsx")              # every row of the sheet, as cell values
    header_index = detect_header(rows)                   # the header row, even under title rows
    mapping = suggest_mapping(rows[header_index])        # column -> register field (or None)
    plan = build_plan(rows, header_index, mapping)       # create / update / unchanged + problems
    commit_plan(plan, user=request.user)                 # all or nothing; refuses any problem

Planning reads the register in a fixed number of queries (dictionaries of partnerships,
organisations, users and reference lists), so 10,000 rows take seconds. Committing creates
with ``bulk_create`` and audits with :func:`core.audit.record_bulk`; rows that really change are
saved one by one (audited by the model signals); rows that match the register are not touched,
so re-importing a file, or importing Accord's own export, writes nothing at all.

A row is refused when any cell holds a valid NHS number. The number is never stored, logged or
repeated: the problem names only the row and the column.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from accounts.models import User
from core import audit
from core.exports import unescape_csv_text
from core.models import AuditEntry, BafRiskTheme, ServiceArea, StrategicObjective
from core.nhs_number import contains_nhs_number
from organisations.models import ODS_CODE, Organisation, OrganisationKind, normalise_name
from partnerships import parsing
from partnerships.models import (
    REFERENCE_PATTERN,
    ArrangementType,
    PartnerRole,
    PartnerRoleKind,
    Partnership,
    Status,
    ValueQualifier,
)
from partnerships.parsing import CellError, quote, text_of
from partnerships.spreadsheet import IMPORT_FIELDS

EXTENSIONS = (".xlsx", ".csv")
MAX_ROWS = 100_000
MAX_COLUMNS = 250
HEADER_SCAN_ROWS = 20
CHUNK = 900  # ids per IN (...) query: well under every database's parameter limit

FIELD_LABELS = dict(IMPORT_FIELDS)
NHS_NUMBER_PROBLEM = (
    "This cell looks like it contains an NHS number. Accord must not hold patient information: "
    "remove the number from the spreadsheet and upload it again. Nothing from this row can be imported."
)


# ---------------------------------------------------------------------------------------------
# Errors and the plan
# ---------------------------------------------------------------------------------------------


class RegisterImportError(Exception):
    """The importer's own error: ``message`` says what is wrong in words a coordinator understands."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ImportFileError(RegisterImportError):
    """The file cannot be read at all (wrong type, damaged, empty, no such worksheet)."""


class SheetNotFound(ImportFileError):
    """The workbook has no worksheet of the name asked for."""


class ImportRefused(RegisterImportError):
    """The plan has problems, so nothing was written. ``problems`` lists every one of them."""

    def __init__(self, problems, message=None):
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(
            message
            or f"{count} problem{'s' if count != 1 else ''} found: nothing was imported. Fix the file and try again."
        )


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's own row number; None for the file as a whole
    column: str  # the column's header, or "" for the file or the row as a whole
    message: str

    def __str__(self):
        if self.row is None:
            return f"{self.column}: {self.message}" if self.column else self.message
        return f"Row {self.row}, {self.column}: {self.message}" if self.column else f"Row {self.row}: {self.message}"


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class NewOrganisation:
    name: str
    ods_code: str | None
    rows: list = field(default_factory=list)
    instance: Organisation | None = None


@dataclass
class PlannedRow:
    row: int
    action: str = "create"  # create | update | unchanged
    reference: str = ""
    title: str = ""
    hidden: bool = False  # holds an NHS number: never shown, never written
    problems: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    instance: Partnership | None = None
    updates: dict = field(default_factory=dict)  # field -> new value, for an existing partnership
    m2m: dict = field(default_factory=dict)  # name -> set of ids, only when it changes
    add_partners: list = field(default_factory=list)  # Organisation or NewOrganisation
    kept_partners: int = 0  # existing partner links this row leaves in place


@dataclass
class Ambiguous:
    """A person cell naming several users; resolved once the row's partnership is known."""

    text: str
    user_ids: set


@dataclass
class RowData:
    planned: PlannedRow
    values: dict  # field key -> parsed value, for the mapped columns that could be read
    tainted: set  # column indexes holding an NHS number
    failed: set  # field keys whose cell could not be read


@dataclass
class ImportPlan:
    headers: list
    header_index: int
    mapping: list  # one register field key (or None) per column
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    new_organisations: list = field(default_factory=list)
    user: object = None
    committed: bool = False

    @property
    def header_row(self):
        return self.header_index + 1

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self):
        return self.count("create")

    @property
    def updated(self):
        return self.count("update")

    @property
    def unchanged(self):
        return self.count("unchanged")

    @property
    def to_write(self):
        return self.created + self.updated

    def summary(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "new_organisations": len(self.new_organisations),
            "problems": len(self.problems),
        }


# ---------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------


def load_rows(file_or_path, filename, sheet=None):
    """Every row of the sheet as a list of cell values (the list index + 1 is the row number).

    Reads ``.xlsx`` (the first worksheet, or ``sheet``) and ``.csv`` (UTF-8, or Windows
    Excel's own encoding; the delimiter is sniffed). Anything that cannot be read raises
    :class:`ImportFileError` with a message saying what to do, never another exception.
    """
    extension = Path(filename or "").suffix.lower()
    if extension == ".xls":
        raise ImportFileError(
            "This is an old-style Excel file (.xls). Open it in Excel and save it as an Excel workbook (.xlsx)."
        )
    if extension not in EXTENSIONS:
        raise ImportFileError("Choose an .xlsx or .csv spreadsheet. Other kinds of file cannot be imported.")
    if isinstance(file_or_path, (str, Path)):
        try:
            with open(file_or_path, "rb") as handle:
                data = handle.read()
        except OSError:
            raise ImportFileError(f"The file {Path(file_or_path).name} could not be opened.") from None
    else:
        if hasattr(file_or_path, "seek"):
            file_or_path.seek(0)
        data = file_or_path.read()
    if not data:
        raise ImportFileError("The file is empty.")
    rows = _read_xlsx(data, sheet) if extension == ".xlsx" else _read_csv(data)
    while rows and not any(not parsing.is_blank(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFileError("The file has no rows: there is nothing to import.")
    return rows


def _trimmed(row):
    row = list(row)
    while row and parsing.is_blank(row[-1]):
        row.pop()
    if len(row) > MAX_COLUMNS:
        raise ImportFileError(
            f"The sheet has more than {MAX_COLUMNS} columns. Remove the columns the register does not use."
        )
    return row


def _too_many_rows():
    return ImportFileError(f"The sheet has more than {MAX_ROWS:,} rows. Split it into smaller files.")


def _read_xlsx(data, sheet):
    if not data.startswith(b"PK"):
        raise ImportFileError(
            "The file is not an Excel workbook, although its name ends in .xlsx. "
            "Open it in Excel and save it as an Excel workbook (.xlsx), or as .csv."
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged file
        raise ImportFileError(
            "The workbook could not be read: it may be damaged or password-protected. "
            "Open it in Excel, save it again as .xlsx, and retry."
        ) from None
    try:
        worksheets = workbook.worksheets
        if sheet:
            names = {name.casefold(): name for name in workbook.sheetnames}
            if sheet.strip().casefold() not in names:
                listed = ", ".join(f"“{name}”" for name in workbook.sheetnames)
                raise SheetNotFound(
                    f"The workbook has no worksheet called {quote(sheet)}. Its worksheets are {listed}."
                )
            worksheet = workbook[names[sheet.strip().casefold()]]
        elif worksheets:
            worksheet = worksheets[0]
        else:
            raise ImportFileError("The workbook has no worksheets.")
        if not hasattr(worksheet, "iter_rows"):
            raise ImportFileError(f"The sheet {quote(worksheet.title)} is a chart, not a table of rows.")
        worksheet.reset_dimensions()  # some programs write a wrong size; read every row there is
        rows = []
        for row in worksheet.iter_rows(values_only=True):
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append(_trimmed(row))
        return rows
    except RegisterImportError:
        raise
    except Exception:
        raise ImportFileError(
            "The workbook could not be read: it may be damaged. Open it in Excel, save it again as .xlsx, and retry."
        ) from None
    finally:
        workbook.close()


def _decode(data):
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError("This looks like an Excel workbook with a .csv name. Rename it to end in .xlsx.")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    encodings = ["utf-16"] if utf16 else ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileError(
        "The file is not a readable CSV text file. In Excel, save it as “CSV UTF-8 (Comma delimited)” and try again."
    )


def _parse_csv(text, delimiter, limit=None):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows = []
    try:
        for row in reader:
            if limit is not None and len(rows) >= limit:
                break
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append(_trimmed(None if cell == "" else unescape_csv_text(cell) for cell in row))
    except csv.Error:
        raise ImportFileError(
            f"Row {len(rows) + 1} of the CSV file could not be read (a cell may be far too long, or a quote "
            "left open). Check the file in a spreadsheet program and save it again as CSV."
        ) from None
    return rows


def _read_csv(data):
    text = _decode(data)
    # Choose the delimiter under which the first lines look most like a register header.
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t", "|"):
        if delimiter not in text[:65536]:
            continue
        try:
            sample = _parse_csv(text[:65536], delimiter, limit=HEADER_SCAN_ROWS)
        except ImportFileError:
            continue
        score = max((_header_score(row) for row in sample), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    if best_score <= 0:
        try:
            best = csv.Sniffer().sniff(text[:16384], delimiters=",;\t|").delimiter
        except csv.Error:
            best = ","
    return _parse_csv(text, best)


# ---------------------------------------------------------------------------------------------
# Headers: which column is which
# ---------------------------------------------------------------------------------------------

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
        "Lead name",
        "Owner",
    ],
    "executive_sponsor": ["Exec sponsor", "Executive lead", "Sponsor", "Executive", "Executive director"],
    "service_area": ["Directorate", "Service", "Division", "Clinical area", "Service line", "Business unit"],
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


_HEADER_WORDS = {}
for _key, _label in [*IMPORT_FIELDS, ("tier", "Tier")]:
    _HEADER_WORDS[header_key(_label)] = _key
for _key, _words in HEADER_SYNONYMS.items():
    for _word in _words:
        _HEADER_WORDS.setdefault(header_key(_word), _key)
_LONG_HEADER_WORDS = sorted((w for w in _HEADER_WORDS if " " in w), key=len, reverse=True)


def _field_for_header(text):
    key = header_key(text)
    if not key:
        return None
    if key in _HEADER_WORDS:
        return _HEADER_WORDS[key]
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
        key = _field_for_header(header)
        if key is None or key == "tier" or key in taken:
            mapping.append(None)
        else:
            taken.add(key)
            mapping.append(key)
    return mapping


def _header_score(row):
    return len({_field_for_header(cell) for cell in row if not parsing.is_blank(cell)} - {None})


def detect_header(rows):
    """The index of the header row: among the first rows, the one whose cells name most fields.

    Title rows above the table ("Trust partnership register, March 2022") score lower than
    the real header, so they are skipped. A sheet with no recognisable header gets its first
    non-blank row, which the user can correct on the preview page.
    """
    best, best_score = None, 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = _header_score(row)
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


def nhs_number_problems(rows):
    """Every cell of the file holding an NHS number, as problems naming row and column only."""
    headers = rows[detect_header(rows)] if rows else []
    problems = []
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            readable = isinstance(value, (str, int, float)) and not isinstance(value, bool)
            if readable and contains_nhs_number(value if isinstance(value, str) else text_of(value)):
                problems.append(Problem(index + 1, column_name(headers, column), NHS_NUMBER_PROBLEM))
    return problems


def has_nhs_number_problem(problems):
    return any(p.message == NHS_NUMBER_PROBLEM for p in problems)


# ---------------------------------------------------------------------------------------------
# What is on the register already (a fixed number of queries)
# ---------------------------------------------------------------------------------------------


_HONORIFICS = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|miss|mx|sir|dame)\.?\s+", re.IGNORECASE)
_NAME_WITH_CODE = re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<code>[A-Za-z0-9]{3,6})\s*\)$")
_NOT_ODS_CODES = {"NHS", "ICB", "CCG", "ICS", "PCN", "CIC", "LTD", "PLC", "CIO", "VCS", "LLP", "UK", "GP", "FT"}
_OBJECTIVE_NUMBER = re.compile(r"^(?:so\s*|objective\s*)?(\d{1,3})\s*(?:[).:\-–]\s*(.*))?$", re.IGNORECASE)


class Register:
    """The register's current contents needed to plan an import, each read in one query."""

    def __init__(self):
        self.partnership_keys = list(Partnership.objects.values_list("pk", "reference", "title"))
        self.by_reference = {ref.upper(): pk for pk, ref, _ in self.partnership_keys}
        self.by_title = {}
        for pk, _, title in self.partnership_keys:
            self.by_title.setdefault(normalise_name(title), []).append(pk)
        self.users = {u.pk: u for u in User.objects.all()}
        self.user_keys = {}
        for user in self.users.values():
            keys = {user.username.casefold(), normalise_name(user.get_full_name())}
            if user.email:
                keys.add(user.email.strip().casefold())
            for key in keys - {""}:
                self.user_keys.setdefault(key, set()).add(user.pk)
        self.organisations = {o.pk: o for o in Organisation.objects.all()}
        self.org_by_name = {o.name_key: o for o in self.organisations.values()}
        self.org_by_code = {o.ods_code: o for o in self.organisations.values() if o.ods_code}
        self.service_areas = {normalise_name(s.name): s for s in ServiceArea.objects.all()}
        self.objectives = list(StrategicObjective.objects.all())
        self.objective_by_name = {normalise_name(o.name): o for o in self.objectives}
        self.objective_by_number = {o.number: o for o in self.objectives}
        self.baf_themes = {normalise_name(t.name): t for t in BafRiskTheme.objects.all()}

    def objective(self, text):
        key = normalise_name(text)
        if key in self.objective_by_name:
            return self.objective_by_name[key]
        match = _OBJECTIVE_NUMBER.match(key)
        if match:
            found = self.objective_by_number.get(int(match[1]))
            if found is not None and (not match[2] or normalise_name(match[2]) == normalise_name(found.name)):
                return found
            if match[2]:
                return self.objective_by_name.get(normalise_name(match[2]))
        return None

    def organisation(self, text):
        """The existing organisation a partner cell's item names (by ODS code or name), or None.

        "Name (RTH)" matches by the code; a known name given with a different code matches
        nothing, so the importer can point out the clash instead of guessing.
        """
        text = " ".join(text.split())
        if text.upper() in self.org_by_code:
            return self.org_by_code[text.upper()]
        whole = self.org_by_name.get(normalise_name(text))
        if whole is not None:
            return whole
        name, code = split_ods(text)
        if code is None:
            return None
        if code in self.org_by_code:
            return self.org_by_code[code]
        named = self.org_by_name.get(normalise_name(name))
        if named is not None and not named.ods_code:
            return named
        return None


def split_ods(text):
    """("Oxford University Hospitals", "RTH") from "Oxford University Hospitals (RTH)"."""
    match = _NAME_WITH_CODE.match(text)
    if match:
        code = match["code"].upper()
        if ODS_CODE.match(code) and code not in _NOT_ODS_CODES and match["name"].strip():
            return match["name"].strip(), code
    return text, None


def _pieces(text, separators):
    """Split ``text`` on the separators, keeping each separator so pieces can be joined back."""
    parts = re.split(f"({separators})", text)
    return parts[0::2], parts[1::2]


def greedy_split(text, separators, is_known, window=6):
    """Split a list cell, but keep together pieces that only make sense as one known name.

    "Buckinghamshire, Oxfordshire and Berkshire West ICB" stays one item when that is a name
    Accord knows, even though it contains a comma.
    """
    parts, seps = _pieces(text, separators)
    items, i = [], 0
    while i < len(parts):
        for j in range(min(len(parts), i + window), i, -1):
            candidate = parts[i] + "".join(seps[k] + parts[k + 1] for k in range(i, j - 1))
            if j == i + 1 or is_known(candidate.strip()):
                if candidate.strip():
                    items.append(candidate.strip())
                i = j
                break
    return items


# ---------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------


def _money_text(value):
    if value is None:
        return "Not known"
    return f"£{value:,.2f}".removesuffix(".00")


def _date_text(value):
    return value.strftime("%d/%m/%Y") if value else "None"


def _same_text(a, b, collapse=False):
    a = (a or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    b = (b or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if collapse:
        return " ".join(a.split()) == " ".join(b.split())
    return a == b


SCALAR_FIELDS = [
    "title",
    "arrangement_type",
    "trust_role",
    "status",
    "annual_value",
    "value_qualifier",
    "start_date",
    "end_date",
    "next_review_date",
    "lead",
    "executive_sponsor",
    "service_area",
    "material_contribution",
    "data_sharing",
    "standard_signed_on",
    "purpose",
    "notes",
]
FK_FIELDS = {"lead", "executive_sponsor", "service_area"}
M2M_FIELDS = {"strategic_objectives": "strategic_objectives", "baf_themes": "baf_themes"}
CHOICE_PARSERS = {
    "arrangement_type": parsing.parse_arrangement_type,
    "trust_role": parsing.parse_trust_role,
    "status": parsing.parse_status,
    "data_sharing": parsing.parse_data_sharing,
}
DATE_FIELDS = {"start_date", "end_date", "next_review_date", "standard_signed_on"}


class Planner:
    """Plans one file against the register: every row's action and every problem."""

    def __init__(self, rows, header_index, mapping, user=None):
        self.rows = rows
        self.header_index = header_index
        self.headers = list(rows[header_index]) if 0 <= header_index < len(rows) else []
        width = max((len(r) for r in rows), default=0)
        if isinstance(mapping, dict):
            mapping = [mapping.get(i) for i in range(width)]
        mapping = [m or None for m in mapping]
        self.mapping = (mapping + [None] * width)[:width]
        self.plan = ImportPlan(headers=self.headers, header_index=header_index, mapping=self.mapping, user=user)
        self.columns = {}  # field key -> column index
        self.new_orgs = {}  # name key -> NewOrganisation
        self.new_org_codes = {}  # ODS code -> NewOrganisation

    # -- set-up -----------------------------------------------------------------------------

    def file_problem(self, message, column=""):
        self.plan.problems.append(Problem(None, column, message))

    def check_mapping(self):
        for index, key in enumerate(self.mapping):
            if key is None:
                continue
            if key not in FIELD_LABELS:
                self.mapping[index] = None
                continue
            if key in self.columns:
                first = column_name(self.headers, self.columns[key])
                self.file_problem(
                    f"{FIELD_LABELS[key]} is chosen for two columns ({first} and {column_name(self.headers, index)}). "
                    "Choose it for one column only.",
                )
                continue
            self.columns[key] = index
        if "title" not in self.columns:
            self.file_problem(
                "No column is matched to Partnership name. Choose the column that holds each partnership's name."
            )
        if any(_field_for_header(h) == "tier" for h in self.headers):
            self.plan.notices.append(
                "Tier is worked out by Accord from the value and strategic contribution, "
                "so the Tier column is not imported."
            )
        if "arrangement_type" not in self.columns:
            self.plan.notices.append(
                "No column is matched to Type of arrangement: new partnerships will be recorded as “Other”."
            )
        if "status" not in self.columns:
            self.plan.notices.append("No column is matched to Status: new partnerships will be recorded as “Proposed”.")
        if "value_qualifier" in self.columns and "annual_value" not in self.columns:
            self.plan.notices.append(
                "The value qualifier column is not imported because no column holds the annual value."
            )
            del self.columns["value_qualifier"]
        if "partners" in self.columns:
            self.plan.notices.append(
                "Partners in the file are added to each partnership. An import never removes a partner "
                "that is already recorded, and existing partners keep their roles."
            )

    # -- one row ----------------------------------------------------------------------------

    def problem(self, planned, key_or_index, message):
        index = self.columns.get(key_or_index) if isinstance(key_or_index, str) else key_or_index
        column = column_name(self.headers, index) if index is not None else FIELD_LABELS.get(key_or_index, "")
        planned.problems.append(Problem(planned.row, column, message))

    def read_row(self, number, row):
        """Parse one data row: each mapped cell read, each problem noted against its column."""
        planned = PlannedRow(row=number)
        data = RowData(planned, {}, set(), set())
        for index, value in enumerate(row):
            if value is None or isinstance(value, (datetime.date, datetime.time, bool)):
                continue
            if contains_nhs_number(value if isinstance(value, str) else text_of(value)):
                data.tainted.add(index)
                self.problem(planned, index, NHS_NUMBER_PROBLEM)
        planned.hidden = bool(data.tainted)
        values = data.values
        for key, index in self.columns.items():
            if index in data.tainted:
                data.failed.add(key)
                continue
            value = row[index] if index < len(row) else None
            try:
                values[key] = self.parse(key, value)
            except CellError as error:
                data.failed.add(key)
                self.problem(planned, key, error.message)
        if "annual_value" in values:
            amount, qualifier = values.pop("annual_value")
            column_qualifier = values.pop("value_qualifier", "")
            if amount is None:
                qualifier = ValueQualifier.EXACT
            elif column_qualifier and qualifier != ValueQualifier.EXACT and column_qualifier != qualifier:
                self.problem(
                    planned,
                    "value_qualifier",
                    f"The annual value says “{ValueQualifier(qualifier).label.lower()}” but this column says "
                    f"“{ValueQualifier(column_qualifier).label.lower()}”. Make them agree.",
                )
            else:
                qualifier = column_qualifier or qualifier
            values["annual_value"], values["value_qualifier"] = amount, qualifier
        else:
            values.pop("value_qualifier", None)
        if "title" in self.columns and "title" not in data.failed and not values.get("title"):
            data.failed.add("title")
            self.problem(planned, "title", "Enter the partnership's name: every row needs one.")
        planned.title = values.get("title", "")
        planned.reference = values.get("reference", "")
        return data

    def parse(self, key, value):
        register = self.register
        if key == "reference":
            text = text_of(value).upper()
            if text and not REFERENCE_PATTERN.match(text):
                raise CellError(
                    f"{quote(text)} is not a valid reference. A reference is up to 20 letters, numbers, dashes "
                    "or slashes, for example P-0042. Leave it blank to give the partnership the next free reference."
                )
            return text
        if key == "title":
            text = " ".join(text_of(value).split())
            if len(text) > 200:
                raise CellError(f"The name is {len(text)} characters long. Shorten it to 200 characters or fewer.")
            return text
        if key in ("purpose", "notes"):
            return text_of(value)
        if key in CHOICE_PARSERS:
            return CHOICE_PARSERS[key](value)
        if key == "annual_value":
            return parsing.parse_money(value)
        if key == "value_qualifier":
            return parsing.parse_value_qualifier(value)
        if key in DATE_FIELDS:
            return parsing.parse_date(value, end_date=key == "end_date")
        if key == "material_contribution":
            return parsing.parse_yes_no(value)
        if key in ("lead", "executive_sponsor"):
            return self.person(text_of(value))
        if key == "service_area":
            text = " ".join(text_of(value).split())
            if not text or parsing.is_unknown_word(text):
                return None
            found = register.service_areas.get(normalise_name(text))
            if found is None:
                raise CellError(
                    f"{quote(text)} is not a service area on Accord's list. Use a name from the list of service "
                    "areas, or ask an administrator to add it."
                )
            return found
        if key == "strategic_objectives":
            return self.listed(value, register.objective, "strategic objective", "strategic objectives")
        if key == "baf_themes":
            return self.listed(
                value, lambda t: register.baf_themes.get(normalise_name(t)), "BAF risk theme", "BAF risk themes"
            )
        if key == "partners":
            return self.partners(text_of(value))
        raise CellError("This column cannot be imported.")

    def person(self, text):
        """The user a lead or sponsor cell names, by username, e-mail or full name."""
        text = " ".join(text.split())
        if not text or parsing.is_unknown_word(text):
            return None
        keys = self.register.user_keys
        found = keys.get(text.casefold()) or keys.get(normalise_name(text))
        if not found:
            found = keys.get(normalise_name(_HONORIFICS.sub("", text)))
        if not found:
            raise CellError(
                f"There is no user called {quote(text)}. Add them as a user first, or write the name, username "
                "or e-mail address of someone who has an account."
            )
        if len(found) > 1:
            return Ambiguous(text, set(found))
        return self.register.users[next(iter(found))]

    def resolve_people(self, data, current):
        """Settle cells naming several users: the current holder if among them, else a problem."""
        for key in ("lead", "executive_sponsor"):
            value = data.values.get(key)
            if not isinstance(value, Ambiguous):
                continue
            held = getattr(current, f"{key}_id", None) if current is not None else None
            if held in value.user_ids:
                data.values[key] = self.register.users[held]
            else:
                del data.values[key]
                data.failed.add(key)
                self.problem(
                    data.planned,
                    key,
                    f"More than one user is called {quote(value.text)}. "
                    "Write their username or e-mail address instead.",
                )

    def listed(self, value, lookup, singular, plural):
        text = text_of(value)
        if not text or parsing.is_unknown_word(text):
            return []
        items = greedy_split(text, r"\s*[;\n,]\s*", lambda t: lookup(t) is not None)
        found, unknown = [], []
        for item in items:
            match = lookup(item)
            if match is None:
                unknown.append(item)
            else:
                found.append(match)
        if unknown:
            names = ", ".join(quote(u) for u in unknown[:5])
            raise CellError(
                f"{names} {'is not a' if len(unknown) == 1 else 'are not'} {singular if len(unknown) == 1 else plural} "
                f"on Accord's list. Use the names on the list (separate several with “;”), or ask an administrator."
            )
        return list(dict.fromkeys(found))

    def partners(self, text):
        """The organisations a partner cell names: existing ones, or new ones to propose."""
        if not text or parsing.is_unknown_word(text):
            return []
        register = self.register

        def known(item):
            return register.organisation(item) is not None

        if re.search(r"[;\n]", text):
            items = greedy_split(text, r"\s*[;\n]+\s*", known)
        elif known(text):
            items = [text]
        else:
            items = greedy_split(text, r"\s*,\s*", known)
        result, errors = [], []
        for item in items:
            item = " ".join(item.split())
            if not item or parsing.is_unknown_word(item):
                continue
            organisation = register.organisation(item)
            if organisation is not None:
                if not organisation.is_home_trust:
                    result.append(organisation)
                continue
            name, code = split_ods(item)
            existing = register.org_by_name.get(normalise_name(name))
            if existing is not None:  # the name is known but with another ODS code
                errors.append(
                    f"{quote(item)}: the register already has {existing.name} with "
                    f"{'ODS code ' + existing.ods_code if existing.ods_code else 'no ODS code'}. "
                    "Correct the code or leave it out."
                )
                continue
            if len(name) > 200:
                errors.append(f"{quote(name)} is too long for an organisation's name (200 characters at most).")
                continue
            result.append(self.propose(name, code, errors))
        if errors:
            raise CellError(" ".join(errors))
        unique = {}
        for org in result:
            unique.setdefault(id(org), org)
        return list(unique.values())

    def propose(self, name, code, errors):
        key = normalise_name(name)
        new = self.new_orgs.get(key)
        if new is None:
            if code and code in self.new_org_codes:
                other = self.new_org_codes[code]
                errors.append(f"The ODS code {code} is given both to {quote(other.name)} and {quote(name)}.")
                return other
            new = NewOrganisation(name=name, ods_code=code)
            self.new_orgs[key] = new
            if code:
                self.new_org_codes[code] = new
        elif code and new.ods_code and code != new.ods_code:
            errors.append(f"{quote(name)} is given two ODS codes in the file ({new.ods_code} and {code}).")
        elif code and not new.ods_code:
            if code in self.new_org_codes:
                errors.append(f"The ODS code {code} is given to two different organisations in the file.")
            else:
                new.ods_code = code
                self.new_org_codes[code] = new
        return new

    # -- the whole file ---------------------------------------------------------------------

    def build(self):
        self.check_mapping()
        self.register = Register()
        parsed = []
        for index in range(self.header_index + 1, len(self.rows)):
            row = self.rows[index]
            if any(not parsing.is_blank(c) for c in row):
                parsed.append(self.read_row(index + 1, row))
        self.match(parsed)
        self.compare(parsed)
        self.plan.rows = [data.planned for data in parsed]
        for planned in self.plan.rows:
            for org in planned.add_partners:
                if isinstance(org, NewOrganisation) and (not org.rows or org.rows[-1] != planned.row):
                    org.rows.append(planned.row)
        self.plan.new_organisations = [new for new in self.new_orgs.values() if new.rows]
        self.note_closed_organisations()
        self.plan.problems += self.check_rows_above()
        self.plan.problems += [p for planned in self.plan.rows for p in planned.problems]
        return self.plan

    def check_rows_above(self):
        """Title rows and the header are not imported, but an NHS number there is refused too."""
        problems = []
        for index in range(0, min(self.header_index + 1, len(self.rows))):
            for column, value in enumerate(self.rows[index]):
                readable = isinstance(value, (str, int, float)) and not isinstance(value, bool)
                if readable and contains_nhs_number(value if isinstance(value, str) else text_of(value)):
                    problems.append(Problem(index + 1, column_name(self.headers, column), NHS_NUMBER_PROBLEM))
        return problems

    def note_closed_organisations(self):
        """Closed organisations (a CCG after 2022) are linked as the file says, but the preview says so."""
        closed = {}
        for planned in self.plan.rows:
            for org in planned.add_partners:
                if isinstance(org, Organisation) and getattr(org, "closed_on", None):
                    closed.setdefault(org.name, []).append(planned.row)
        for name, rows in closed.items():
            listed = ", ".join(str(r) for r in rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
            self.plan.notices.append(
                f"{name} has closed, but row{'s' if len(rows) > 1 else ''} {listed} "
                f"add{'' if len(rows) > 1 else 's'} it as a partner. Check this is right."
            )

    def match(self, parsed):
        """Find each row's partnership (by reference, or by title without a reference column)."""
        register = self.register
        by_reference = "reference" in self.columns
        seen = {}
        matched_ids = {}
        for data in parsed:
            planned, values = data.planned, data.values
            if by_reference:
                key = values.get("reference")
                if not key:
                    continue
                label, column = key, "reference"
                found = register.by_reference.get(key)
            else:
                title = values.get("title")
                if not title:
                    continue
                key = normalise_name(title)
                label, column = quote(title), "title"
                candidates = register.by_title.get(key, [])
                if len(candidates) > 1:
                    self.problem(
                        planned,
                        "title",
                        f"{len(candidates)} partnerships on the register are called {label}. Add a Reference column "
                        "so each row says which one it is.",
                    )
                    continue
                found = candidates[0] if candidates else None
            if key in seen:
                self.problem(
                    planned, column, f"{label} is also on row {seen[key]}. Each partnership can appear only once."
                )
                continue
            seen[key] = planned.row
            if found is not None:
                matched_ids[planned.row] = found
        self.load_matched(set(matched_ids.values()))
        for data in parsed:
            if data.planned.row in matched_ids:
                data.planned.instance = self.matched[matched_ids[data.planned.row]]
        if by_reference:
            self.note_unreferenced_namesakes(parsed)
        # New partnerships without a reference get the next free ones, in file order.
        pattern = re.compile(r"P-\d+")
        numbers = [int(r[2:]) for r in register.by_reference if pattern.fullmatch(r)]
        numbers += [
            int(d.values["reference"][2:]) for d in parsed if pattern.fullmatch(d.values.get("reference") or "")
        ]
        highest = max(numbers, default=0)
        for data in parsed:
            if data.planned.instance is None and not data.values.get("reference") and "reference" not in data.failed:
                highest += 1
                data.values["reference"] = data.planned.reference = f"P-{highest:04d}"

    def note_unreferenced_namesakes(self, parsed):
        """Rows without a reference are new, even when a partnership of that name exists: say so."""
        rows = [
            d.planned.row
            for d in parsed
            if not d.values.get("reference")
            and "reference" not in d.failed
            and d.values.get("title")
            and normalise_name(d.values["title"]) in self.register.by_title
        ]
        if rows:
            listed = ", ".join(str(r) for r in rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
            self.plan.notices.append(
                f"Row{'s' if len(rows) > 1 else ''} {listed} ha{'ve' if len(rows) > 1 else 's'} no reference but "
                "the name of a partnership already on the register, so "
                f"{'they' if len(rows) > 1 else 'it'} will be added as new. To update the existing partnership "
                "instead, write its reference in the Reference column."
            )

    def load_matched(self, ids):
        self.matched = {}
        self.existing_m2m = {name: {} for name in M2M_FIELDS}
        self.existing_partners = {}
        ids = sorted(ids)
        related = ("lead", "executive_sponsor", "service_area", "status_changed_by")
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            for p in Partnership.objects.filter(pk__in=chunk).select_related(*related):
                self.matched[p.pk] = p
            for name in M2M_FIELDS:
                if name not in self.columns:
                    continue
                m2m = Partnership._meta.get_field(name)
                through = m2m.remote_field.through
                own, other = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
                for pk, item in through.objects.filter(**{f"{own}__in": chunk}).values_list(own, other):
                    self.existing_m2m[name].setdefault(pk, set()).add(item)
            if "partners" in self.columns:
                pairs = PartnerRole.objects.filter(partnership_id__in=chunk).values_list(
                    "partnership_id", "organisation_id"
                )
                for pk, org in pairs:
                    self.existing_partners.setdefault(pk, set()).add(org)

    def compare(self, parsed):
        now = timezone.now()
        user = self.plan.user if getattr(self.plan.user, "pk", None) else None
        for data in parsed:
            planned = data.planned
            self.resolve_people(data, planned.instance)
            if planned.hidden:
                planned.action, planned.instance = "refused", None
                continue
            self.check_retired(data)
            if planned.instance is None:
                self.plan_create(planned, data.values, now, user)
            else:
                self.plan_update(planned, data.values)
            self.check_rules(planned)

    def check_retired(self, data):
        """People who have left and list entries no longer in use stay where they are, but are not newly chosen."""
        instance, values = data.planned.instance, data.values
        for key, what in (("lead", "user"), ("executive_sponsor", "user"), ("service_area", "service area")):
            item = values.get(key)
            if item is None or getattr(item, "is_active", True):
                continue
            if instance is None or getattr(instance, f"{key}_id") != item.pk:
                del values[key]
                message = (
                    f"{item} no longer has an active account. Name someone who does, or leave the cell blank."
                    if what == "user"
                    else f"“{item}” is no longer in use. Choose a current service area, or leave the cell blank."
                )
                self.problem(data.planned, key, message)
        for name in M2M_FIELDS:
            items = values.get(name) or []
            held = self.existing_m2m[name].get(instance.pk, set()) if instance is not None else set()
            retired = [str(i) for i in items if not i.is_active and i.pk not in held]
            if retired:
                del values[name]
                listed = ", ".join(f"“{r}”" for r in retired)
                self.problem(
                    data.planned,
                    name,
                    f"{listed} {'is' if len(retired) == 1 else 'are'} no longer in use. Leave it out.",
                )

    def plan_create(self, planned, values, now, user):
        planned.action = "create"
        instance = Partnership(
            reference=values.get("reference", ""),
            arrangement_type=ArrangementType.OTHER,
            status=Status.PROPOSED,
            status_changed_at=now,
            status_changed_by=user,
        )
        for key in SCALAR_FIELDS:
            if key in values:
                setattr(instance, key, values[key])
        planned.instance = instance
        for name in M2M_FIELDS:
            if values.get(name):
                planned.m2m[name] = {o.pk for o in values[name]}
        planned.add_partners = list(values.get("partners", []))

    def plan_update(self, planned, values):
        instance = planned.instance
        planned.reference = instance.reference
        changes = []
        for key in SCALAR_FIELDS:
            if key not in values:
                continue
            new, old = values[key], getattr(instance, key)
            if key in FK_FIELDS:
                same = getattr(new, "pk", None) == getattr(instance, f"{key}_id")
            elif key in ("title", "purpose", "notes"):
                same = _same_text(old, new, collapse=key == "title")
            else:
                same = old == new
            if not same:
                changes.append(Change(key, FIELD_LABELS.get(key, key), self.display(key, old), self.display(key, new)))
                planned.updates[key] = new
                setattr(instance, key, new)
        for name in M2M_FIELDS:
            if name not in values:
                continue
            new_ids = {o.pk for o in values[name]}
            old_ids = self.existing_m2m[name].get(instance.pk, set())
            if new_ids != old_ids:
                planned.m2m[name] = new_ids
                changes.append(
                    Change(name, FIELD_LABELS[name], self.listing(name, old_ids), self.listing(name, new_ids))
                )
        if "partners" in values:
            current = self.existing_partners.get(instance.pk, set())
            planned.kept_partners = len(current)
            planned.add_partners = [
                o for o in values["partners"] if not (isinstance(o, Organisation) and o.pk in current)
            ]
            if planned.add_partners:
                added = "; ".join(o.name for o in planned.add_partners)
                changes.append(Change("partners", FIELD_LABELS["partners"], "", f"adds {added}"))
        planned.changes = changes
        planned.action = "update" if changes else "unchanged"
        if not changes:
            planned.instance = None  # nothing to write

    def display(self, key, value):
        if value is None or value == "":
            return "Not known" if key == "annual_value" else "None"
        if key == "annual_value":
            return _money_text(value)
        if isinstance(value, datetime.date):
            return _date_text(value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if key in ("arrangement_type", "trust_role", "status", "data_sharing", "value_qualifier"):
            return str(dict(Partnership._meta.get_field(key).flatchoices).get(value, value))
        if isinstance(value, Decimal):
            return str(value)
        text = " ".join(str(value).split())
        return text if len(text) <= 80 else text[:79] + "…"

    def listing(self, name, ids):
        model = Partnership._meta.get_field(name).related_model
        items = {
            "strategic_objectives": {o.pk: o for o in self.register.objectives},
            "baf_themes": {t.pk: t for t in self.register.baf_themes.values()},
        }[name]
        labels = sorted(str(items[i]) if i in items else str(model(pk=i)) for i in ids)
        return "; ".join(labels) or "None"

    def check_rules(self, planned):
        """The register's own rules (end after start, closed needs an end date, ...)."""
        instance = planned.instance
        if instance is None:
            return
        try:
            instance.clean()
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                column_key = key
                if key == "end_date" and instance.status == Status.CLOSED and "end_date" not in self.columns:
                    column_key = "status"
                for message in messages:
                    self.problem(planned, column_key, message)


def build_plan(rows, header_index, mapping, user=None):
    """Plan the import of ``rows`` (from :func:`load_rows`) with the header at ``header_index``.

    ``mapping`` gives each column's register field key (or ``None`` to leave it out), as a
    list by column or a dict {column index: key}. Nothing is written. Every problem is listed
    in ``plan.problems`` (each row's also in ``plan.rows[i].problems``).
    """
    if not rows:
        raise ImportFileError("The file has no rows: there is nothing to import.")
    if not 0 <= header_index < len(rows):
        raise ImportFileError(f"The file has no row {header_index + 1} to use as its header row.")
    return Planner(rows, header_index, mapping, user=user).build()


# ---------------------------------------------------------------------------------------------
# Committing
# ---------------------------------------------------------------------------------------------


def _m2m_labels(name, ids, lookups):
    return sorted(str(lookups[name][i]) for i in ids)


def commit_plan(plan, user=None):
    """Write the plan: every row or none, in one transaction, audited as an "import".

    Refuses (:class:`ImportRefused`) when the plan has any problem. Rows whose action is
    "unchanged" are not touched, so a plan with nothing to change writes nothing at all.
    """
    if plan.problems:
        raise ImportRefused(plan.problems)
    if plan.committed:
        raise RegisterImportError("This import has already been written.")
    user = user if user is not None else plan.user
    user = user if getattr(user, "pk", None) else None
    if plan.to_write == 0:
        plan.committed = True
        return plan.summary()
    try:
        with audit.audit_context(user=user, source="import"), transaction.atomic():
            _write(plan, user)
    except IntegrityError:
        raise ImportRefused(
            [],
            "The register changed while the import was being written (another change used the same reference or "
            "organisation), so nothing was imported. Check the preview again and retry.",
        ) from None
    plan.committed = True
    return plan.summary()


def _write(plan, user):
    # 1. New organisations.
    new_orgs = []
    for new in plan.new_organisations:
        name = " ".join(new.name.split())
        new.instance = Organisation(
            name=name, name_key=normalise_name(name), kind=OrganisationKind.OTHER, ods_code=new.ods_code or None
        )
        new_orgs.append(new.instance)
    Organisation.objects.bulk_create(new_orgs, batch_size=500)
    audit.record_bulk(new_orgs)

    # 2. New partnerships, their strategic objectives and BAF themes.
    lookups = {
        "strategic_objectives": StrategicObjective.objects.in_bulk(),
        "baf_themes": BafRiskTheme.objects.in_bulk(),
    }
    creates = [r for r in plan.rows if r.action == "create"]
    created = [r.instance for r in creates]
    now = timezone.now()
    for instance in created:
        instance.status_changed_at = now
        instance.status_changed_by = user
    Partnership.objects.bulk_create(created, batch_size=500)
    for instance in created:
        instance._loaded_status = instance.status
    entries = []
    for planned in creates:
        after = audit.snapshot(planned.instance)
        for name in M2M_FIELDS:
            after[name] = _m2m_labels(name, planned.m2m.get(name, ()), lookups)
        changed = sorted(k for k, v in after.items() if v not in (None, "", []))
        entries.append(audit._entry(planned.instance, "create", None, after, changed))
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    for name in M2M_FIELDS:
        m2m = Partnership._meta.get_field(name)
        through = m2m.remote_field.through
        own, other = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        links = [through(**{own: r.instance.pk, other: i}) for r in creates for i in sorted(r.m2m.get(name, ()))]
        through.objects.bulk_create(links, batch_size=1000)

    # 3. Changed partnerships: read again inside the transaction and saved one by one, only the
    #    fields the file changes, so the signals audit exactly what changed and an edit made
    #    meanwhile to another field survives.
    updates = [r for r in plan.rows if r.action == "update"]
    ids = [r.instance.pk for r in updates]
    fresh = {}
    related = ("lead", "executive_sponsor", "service_area", "status_changed_by")
    for start in range(0, len(ids), CHUNK):
        fresh.update(Partnership.objects.select_related(*related).in_bulk(ids[start : start + CHUNK]))
    for planned in updates:
        instance = fresh.get(planned.instance.pk)
        if instance is None:
            raise ImportRefused(
                [],
                f"{planned.reference} was deleted while the import was being written, so nothing was imported. "
                "Check the preview again and retry.",
            )
        planned.instance = instance
        fields = []
        for name, value in planned.updates.items():
            current = getattr(instance, f"{name}_id") if name in FK_FIELDS else getattr(instance, name)
            if current != (getattr(value, "pk", None) if name in FK_FIELDS else value):
                setattr(instance, name, value)
                fields.append(name)
        if fields:
            if "status" in fields:
                fields += ["status_changed_at", "status_changed_by"]
            instance.save(update_fields=[*fields, "updated_at"])
        for name, ids_wanted in planned.m2m.items():
            getattr(instance, name).set(sorted(ids_wanted))

    # 4. New partner links (new partnerships and existing ones): role "member".
    roles = []
    for planned in plan.rows:
        if planned.action not in ("create", "update"):
            continue
        for org in planned.add_partners:
            organisation = org.instance if isinstance(org, NewOrganisation) else org
            roles.append(
                PartnerRole(partnership=planned.instance, organisation=organisation, role=PartnerRoleKind.MEMBER)
            )
    PartnerRole.objects.bulk_create(roles, batch_size=1000)
    audit.record_bulk(roles)


# ---------------------------------------------------------------------------------------------
# The command's entry point
# ---------------------------------------------------------------------------------------------


def import_register(path, sheet=None, dry_run=False, user=None):
    """Read, plan and (unless ``dry_run``) commit the file at ``path``; returns the plan.

    Raises :class:`ImportFileError` when the file cannot be read and :class:`ImportRefused`
    (with every problem) when any row has a problem; nothing is written in either case.
    """
    path = Path(path)
    rows = load_rows(path, path.name, sheet=sheet)
    header_index = detect_header(rows)
    plan = build_plan(rows, header_index, suggest_mapping(rows[header_index]), user=user)
    if plan.problems:
        raise ImportRefused(plan.problems)
    if not dry_run:
        commit_plan(plan, user=user)
    return plan
