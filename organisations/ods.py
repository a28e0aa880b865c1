"""Importing NHS Digital's ODS files (``etr.csv`` trusts, ``eccg.csv`` ICBs and sub-ICB locations).

The files have no header row and 27 columns (REFERENCE.md §4): 1 organisation code, 2 name (upper
case), 3 national grouping, 4 high-level health geography, 5–9 address lines, 10 postcode,
11 open date (YYYYMMDD), 12 close date, 18 telephone; the rest mostly empty.

Each line creates or refreshes one organisation, keyed on its ODS code: the name (converted to the
trust's title case, :func:`title_case`), postcode, open date and close date (``closed_on``). The
kind is inferred from the name and the file (:func:`infer_kind`) for a new organisation, and for an
existing one only while its kind is still "Other": a kind someone chose is kept.

The whole file is checked before anything is written. A malformed line (not 27 columns, a code
not in the ODS format, a date that is not a real YYYYMMDD date, no name) or a name that would clash
with another organisation on the register is reported with its line number, and then nothing is
written at all. An organisation already on the register under the same name but without an ODS
code is the same organisation: it gets the code. A second run of the same file changes nothing
and writes no audit entries. Writes are audited with the source "ods-import".
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.audit import audit_context
from organisations.models import ODS_CODE, Organisation, OrganisationKind, normalise_name

COLUMNS = 27
CODE, NAME, POSTCODE, OPEN_DATE, CLOSE_DATE = 0, 1, 9, 10, 11
AUDIT_SOURCE = "ods-import"
LAYOUTS = ("etr", "eccg")
POSTCODE_PATTERN = re.compile(r"^[A-Z0-9 ]{2,10}$")

# Kept in capitals wherever they appear in a name.
ACRONYMS = {"NHS", "ICB", "CCG", "FT", "UK", "GP", "PCN", "CIC", "CIO", "LLP", "CSU", "HIV", "CAMHS", "IAPT"}
# Kept in lower case unless they start the name (or, for a hyphenated word, its first part).
SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "at", "by", "with", "to", "upon", "under", "a", "an", "super"}


# ---------------------------------------------------------------------------------------------
# Names and kinds


def _case_core(core, first):
    upper = core.upper()
    if upper in ACRONYMS:
        return upper
    if any(ch.isdigit() for ch in core):
        # A code inside a name ("… ICB - 10Q") stays as it is; a word with digits ("2GETHER") is lower case.
        return upper if ODS_CODE.match(upper) and any(ch.isalpha() for ch in upper) else core.lower()
    if not first and core.lower() in SMALL_WORDS:
        return core.lower()
    pieces = core.split("'")
    cased = pieces[0].capitalize()
    for piece in pieces[1:]:
        # O'BRIEN → O'Brien; ST PETER'S → St Peter's; ST THOMAS' → St Thomas'
        cased += "'" + (piece.capitalize() if len(pieces[0]) == 1 else piece.lower())
    return cased


def _case_part(part, first):
    match = re.match(r"^([^A-Za-z0-9]*)(.*?)([^A-Za-z0-9']*)$", part)
    lead, core, trail = match.groups()
    return lead + (_case_core(core, first) if core else "") + trail


def title_case(name):
    """An ODS name (upper case) as the trust writes it.

    "OXFORD HEALTH NHS FOUNDATION TRUST" → "Oxford Health NHS Foundation Trust";
    "NHS BUCKINGHAMSHIRE, OXFORDSHIRE AND BERKSHIRE WEST ICB - 10Q" →
    "NHS Buckinghamshire, Oxfordshire and Berkshire West ICB - 10Q";
    "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST" → "Guy's and St Thomas' NHS Foundation Trust".
    """
    words = []
    for index, word in enumerate(name.split()):
        parts = word.split("-")
        words.append(
            "-".join(_case_part(part, first=index == 0 and position == 0) for position, part in enumerate(parts))
        )
    return " ".join(words)


def infer_kind(name, code, layout):
    """The kind of organisation an ODS line describes, from its (upper-case) name and the file."""
    upper = name.upper()
    if "NHS FOUNDATION TRUST" in upper:
        return OrganisationKind.FOUNDATION_TRUST
    if "INTEGRATED CARE BOARD" in upper:
        return OrganisationKind.ICB
    if re.search(r"\bICB\s*-\s*[A-Z0-9]{3}$", upper) or re.search(r"\bCCG\b|CLINICAL COMMISSIONING GROUP", upper):
        return OrganisationKind.SUB_ICB
    if re.search(r"\bTRUST\b", upper) and (layout == "etr" or "NHS" in upper):
        return OrganisationKind.NHS_TRUST
    if layout == "etr":
        return OrganisationKind.NHS_TRUST
    if layout == "eccg":
        # ICB codes are the former STP codes, Q and two characters (QU9); sub-ICB locations keep the CCG's (10Q).
        return OrganisationKind.ICB if code.startswith("Q") else OrganisationKind.SUB_ICB
    return OrganisationKind.OTHER


def layout_of(path):
    """ "etr" or "eccg" from the file's name (etr.csv, eccg.csv, etr_2025.csv …), or None."""
    stem = Path(path).name.lower()
    return next((layout for layout in LAYOUTS if stem.startswith(layout)), None)


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class OdsLine:
    line: int
    code: str
    name: str
    postcode: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    kind: str

    @property
    def name_key(self):
        return normalise_name(self.name)


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}"


class OdsImportError(Exception):
    """The file cannot be imported; ``problems`` says where and why. Nothing was written."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _date(value, column_name, line, problems):
    value = value.strip()
    if not value:
        return None
    try:
        if not re.fullmatch(r"\d{8}", value):
            raise ValueError
        return datetime.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        problems.append(Problem(line, f"the {column_name} “{value}” is not a real date written YYYYMMDD."))
        return None


def decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise OdsImportError([Problem(1, "the file is neither UTF-8 nor Windows-1252 text.")])


def parse(text, layout=None):
    """Every line of an ODS file as :class:`OdsLine`; :class:`OdsImportError` listing every
    malformed line (and lines repeating a code or a name) otherwise."""
    lines, problems = [], []
    codes, names = {}, {}
    for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue  # a blank line (the file's last newline, say)
        if len(row) != COLUMNS:
            problems.append(Problem(number, f"expected {COLUMNS} columns, found {len(row)}."))
            continue
        found = len(problems)
        code = row[CODE].strip()
        if not ODS_CODE.match(code):
            problems.append(
                Problem(
                    number,
                    f"“{code}” is not an ODS code (3 letters or digits, 5 for a site, or a letter and 5 digits).",
                )
            )
        raw_name = " ".join(row[NAME].split())
        if not raw_name:
            problems.append(Problem(number, "the organisation has no name (column 2)."))
        elif len(raw_name) > 200:
            problems.append(Problem(number, "the name is longer than 200 characters."))
        postcode = " ".join(row[POSTCODE].upper().split())
        if postcode and not POSTCODE_PATTERN.match(postcode):
            problems.append(Problem(number, f"“{row[POSTCODE].strip()}” is not a postcode (column 10)."))
        opened_on = _date(row[OPEN_DATE], "open date", number, problems)
        closed_on = _date(row[CLOSE_DATE], "close date", number, problems)
        if opened_on and closed_on and closed_on < opened_on:
            problems.append(Problem(number, "the close date is before the open date."))
        if len(problems) > found:
            continue
        record = OdsLine(
            line=number,
            code=code,
            name=title_case(raw_name),
            postcode=postcode,
            opened_on=opened_on,
            closed_on=closed_on,
            kind=infer_kind(raw_name, code, layout),
        )
        if code in codes:
            problems.append(Problem(number, f"the code {code} is also on line {codes[code]}."))
            continue
        if record.name_key in names:
            problems.append(
                Problem(number, f"“{record.name}” ({code}) has the same name as line {names[record.name_key]}.")
            )
            continue
        codes[code], names[record.name_key] = number, number
        lines.append(record)
    if problems:
        raise OdsImportError(problems)
    return lines


# ---------------------------------------------------------------------------------------------
# Planning and writing


@dataclass
class Result:
    created: list = field(default_factory=list)  # organisations
    updated: list = field(default_factory=list)  # (organisation, [changed field names])
    unchanged: list = field(default_factory=list)

    @property
    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged "
            f"({len(self.created) + len(self.updated) + len(self.unchanged)} lines)."
        )


def _describe(org):
    return f"“{org.name}” ({'ODS code ' + org.ods_code if org.ods_code else 'no ODS code'})"


def plan(lines):
    """Match each line to an organisation, check names cannot clash, and work out what changes.

    Returns ``(result, to_save)``; raises :class:`OdsImportError` for name clashes.
    """
    by_code = {o.ods_code: o for o in Organisation.objects.filter(ods_code__in=[r.code for r in lines])}
    by_key = {o.name_key: o for o in Organisation.objects.filter(name_key__in=[r.name_key for r in lines])}
    in_file = {r.code: r for r in lines}
    result, to_save, problems = Result(), [], []
    for record in lines:
        target = by_code.get(record.code)
        namesake = by_key.get(record.name_key)
        if target is None and namesake is not None and namesake.ods_code is None:
            target = namesake  # the same organisation, entered by hand without its code
        if namesake is not None and (target is None or namesake.pk != target.pk):
            # Still called this after the import, unless the file renames it too.
            renamed = namesake.ods_code in in_file and in_file[namesake.ods_code].name_key != record.name_key
            if not renamed:
                problems.append(
                    Problem(
                        record.line,
                        f"{record.code} “{record.name}” has the same name as {_describe(namesake)}, already on the "
                        "register. Organisation names must be unique: correct the code, or rename or merge the "
                        "organisation on the register, then import the file again.",
                    )
                )
                continue
        if target is None:
            org = Organisation(
                name=record.name,
                ods_code=record.code,
                kind=record.kind,
                postcode=record.postcode,
                opened_on=record.opened_on,
                closed_on=record.closed_on,
            )
            result.created.append(org)
            to_save.append(org)
            continue
        values = {
            "ods_code": record.code,
            "name": record.name,
            "postcode": record.postcode,
            "opened_on": record.opened_on,
            "closed_on": record.closed_on,
        }
        if target.kind == OrganisationKind.OTHER:
            values["kind"] = record.kind
        changed = [name for name, value in values.items() if getattr(target, name) != value]
        if changed:
            for name in changed:
                setattr(target, name, values[name])
            result.updated.append((target, changed))
            to_save.append(target)
        else:
            result.unchanged.append(target)
    if problems:
        raise OdsImportError(problems)
    return result, to_save


def import_text(text, layout=None, dry_run=False):
    """Check, plan and (unless ``dry_run``) write an ODS file's contents, all or nothing."""
    lines = parse(text, layout)
    with transaction.atomic():
        result, to_save = plan(lines)
        if dry_run:
            return result
        try:
            with transaction.atomic(), audit_context(source=AUDIT_SOURCE):
                # Renamed organisations first, so a name another line takes over is free by then.
                for org in sorted(to_save, key=lambda o: o.pk is None):
                    org.save()
        except (IntegrityError, ValidationError) as error:
            line = next((r.line for r in lines if r.code == org.ods_code), 0)
            detail = "; ".join(error.messages) if isinstance(error, ValidationError) else "a name or code clash"
            raise OdsImportError(
                [Problem(line, f"{org.ods_code} “{org.name}” could not be saved ({detail}).")]
            ) from None
    return result


def import_file(path, layout=None, dry_run=False):
    path = Path(path)
    return import_text(decode(path.read_bytes()), layout or layout_of(path), dry_run=dry_run)
