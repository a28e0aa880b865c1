"""Reading the file: every row of an ``.xlsx`` worksheet or a ``.csv`` file, as cell values.

Anything that cannot be read raises :class:`ImportFileError` with a message saying what to do,
never another exception. A workbook is checked before it is parsed (``settings.IMPORT_MAX_*``):
its unpacked size and its shared text from the archive's entries, and the cells of each
worksheet counted from the raw XML (a worksheet's declared dimension can be missing or wrong,
and openpyxl parses a whole sheet to size it when it is missing), so a small file that unpacks
to millions of cells is refused in moments. A merged cell's value belongs to every row it spans
(a directorate merged down the rows of its partnerships).
"""

import csv
import io
import re
import zipfile
import zlib
from pathlib import Path

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

from core.documents import NHS_NUMBER_NAME_MESSAGE
from core.exports import unescape_csv_text
from core.nhs_number import contains_nhs_number
from partnerships import parsing
from partnerships.importing.columns import HEADER_SCAN_ROWS, header_score
from partnerships.importing.errors import ImportFileError, RegisterImportError, SheetError, SheetNotFound
from partnerships.parsing import quote

EXTENSIONS = (".xlsx", ".csv")
CSV_SAMPLE = 65536  # characters of a CSV file looked at to choose its delimiter
MAX_ARCHIVE_ENTRIES = 10_000  # parts of an .xlsx: a workbook has tens, a few hundred with many sheets
_CELL_TAG = re.compile(rb"<(?:\w{1,10}:)?c[\s>/]")
CHUNK = 1024 * 1024  # bytes of a worksheet's XML scanned at a time
TAIL = 16  # bytes kept between chunks, so a tag cut in two is still counted once
NAME_HAS_NHS_NUMBER = NHS_NUMBER_NAME_MESSAGE  # the same words as for any document's name
SHEET_HAS_NHS_NUMBER = (
    "The worksheet's name looks like it contains an NHS number. Accord must not hold patient information: "
    "rename the worksheet and upload the file again."
)


def load_rows(file_or_path, filename, sheet=None):
    """Every row of the sheet as a list of cell values (the list index + 1 is the row number).

    Reads ``.xlsx`` (the first worksheet, or ``sheet``) and ``.csv`` (UTF-8, or Windows
    Excel's own encoding; the delimiter is sniffed). Trailing blank rows are dropped.
    """
    name = Path(filename or "").name
    if contains_nhs_number(name):
        raise ImportFileError(NAME_HAS_NHS_NUMBER)
    if sheet and contains_nhs_number(sheet):
        raise SheetError(SHEET_HAS_NHS_NUMBER)
    extension = Path(name).suffix.lower()
    if extension == ".xls":
        raise ImportFileError(
            "This is an old-style Excel file (.xls). Open it in Excel and save it as an Excel workbook (.xlsx)."
        )
    if extension not in EXTENSIONS:
        raise ImportFileError("Choose an .xlsx or .csv spreadsheet. Other kinds of file cannot be imported.")
    data = _read_bytes(file_or_path)
    if not data:
        raise ImportFileError("The file is empty.")
    rows = _read_xlsx(data, sheet) if extension == ".xlsx" else _read_csv(data)
    while rows and not any(not parsing.is_blank(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFileError("The file has no rows: there is nothing to import.")
    return rows


def _read_bytes(file_or_path):
    """The whole file: from a path, or from an uploaded (or any readable) file, from its start."""
    if isinstance(file_or_path, (str, Path)):
        try:
            with open(file_or_path, "rb") as handle:
                return handle.read()
        except OSError:
            raise ImportFileError(f"The file {Path(file_or_path).name} could not be opened.") from None
    if hasattr(file_or_path, "seek"):
        file_or_path.seek(0)
    return file_or_path.read()


class Limits:
    """What one sheet may hold (``settings.IMPORT_MAX_*``), counted as it is read."""

    def __init__(self):
        self.rows = settings.IMPORT_MAX_ROWS
        self.columns = settings.IMPORT_MAX_COLUMNS
        self.cells = settings.IMPORT_MAX_CELLS
        self.cells_read = 0

    def count(self, cells):
        self.cells_read += cells
        if self.cells_read > self.cells:
            raise ImportFileError(
                f"The sheet has more than {self.cells:,} cells, far more than a register. Copy the register's "
                "rows and columns into a new workbook or CSV file and import that."
            )

    def check_row(self, number, width):
        if number > self.rows:
            raise ImportFileError(f"The sheet has more than {self.rows:,} rows. Split it into smaller files.")
        if width > self.columns:
            raise ImportFileError(
                f"The sheet has more than {self.columns} columns. Remove the columns the register does not use."
            )


def _megabytes(size):
    return f"{size / 1024 / 1024:,.0f} MB"


# --- .xlsx -----------------------------------------------------------------------------------


def _read_xlsx(data, sheet):
    if not data.startswith(b"PK"):
        raise ImportFileError(
            "The file is not an Excel workbook, although its name ends in .xlsx. "
            "Open it in Excel and save it as an Excel workbook (.xlsx), or as .csv."
        )
    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged file
        raise ImportFileError(
            "The workbook could not be read: it may be damaged or password-protected. "
            "Open it in Excel, save it again as .xlsx, and retry."
        ) from None
    try:
        return _worksheet_rows(workbook, _worksheet(workbook, sheet), Limits())
    except RegisterImportError:
        raise
    except Exception:
        raise ImportFileError(
            "The workbook could not be read: it may be damaged. Open it in Excel, save it again as .xlsx, and retry."
        ) from None
    finally:
        workbook.close()


def _check_archive(data):
    """Refuse, before parsing, a workbook that unpacks to far more than any register.

    openpyxl parses a whole worksheet just to size it when the sheet does not declare its size,
    so the cells of every worksheet are counted here first, from the raw XML (of every XML part:
    a worksheet may be stored under any name).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            _check_sizes(entries)
            for entry in entries:
                if entry.filename.lower().endswith(".xml") and not _is_shared_strings(entry):
                    _check_cell_count(archive, entry)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, EOFError, OSError, NotImplementedError):
        raise ImportFileError(
            "The workbook could not be read: it may be damaged or password-protected. "
            "Open it in Excel, save it again as .xlsx, and retry."
        ) from None


def _check_cell_count(archive, entry):
    """Count a worksheet's cell tags chunk by chunk (the bytes carried over are not counted twice)."""
    limit, cells, tail = settings.IMPORT_MAX_CELLS, 0, b""
    with archive.open(entry) as part:
        while chunk := part.read(CHUNK):
            text = tail + chunk
            cells += len(_CELL_TAG.findall(text)) - len(_CELL_TAG.findall(tail))
            tail = text[-TAIL:]
            if cells > limit:
                raise ImportFileError(
                    f"A worksheet of this workbook has more than {limit:,} cells, far more than a register. Copy "
                    "the register's rows and columns into a new workbook or CSV file and import that."
                )


def _is_shared_strings(entry):
    return entry.filename.lower().endswith("sharedstrings.xml")


def _check_sizes(entries):
    unpacked = sum(entry.file_size for entry in entries)
    text = sum(entry.file_size for entry in entries if _is_shared_strings(entry))
    if len(entries) > MAX_ARCHIVE_ENTRIES or unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise ImportFileError(
            f"The workbook unpacks to {_megabytes(unpacked)}, more than the "
            f"{_megabytes(settings.IMPORT_MAX_UNPACKED_BYTES)} Accord reads: far more than a register. Copy the "
            "register's rows into a new workbook, save it as .xlsx and import that."
        )
    if text > settings.IMPORT_MAX_SHARED_STRINGS_BYTES:
        raise ImportFileError(
            f"The workbook holds {_megabytes(text)} of text, more than the "
            f"{_megabytes(settings.IMPORT_MAX_SHARED_STRINGS_BYTES)} Accord reads: far more than a register. Copy "
            "the register's rows into a new workbook, save it as .xlsx and import that."
        )


def _worksheet(workbook, sheet):
    """The worksheet called ``sheet`` (case ignored), or the first one when no name is given."""
    if sheet:
        names = {name.casefold(): name for name in workbook.sheetnames}
        if sheet.strip().casefold() not in names:
            listed = ", ".join(f"“{name}”" for name in workbook.sheetnames if not contains_nhs_number(name))
            raise SheetNotFound(
                f"The workbook has no worksheet called {quote(sheet)}."
                + (f" Its worksheets are {listed}." if listed else "")
            )
        worksheet = workbook[names[sheet.strip().casefold()]]
    elif workbook.worksheets:
        worksheet = workbook.worksheets[0]
    else:
        raise ImportFileError("The workbook has no worksheets.")
    if contains_nhs_number(worksheet.title):
        raise ImportFileError(SHEET_HAS_NHS_NUMBER)
    if not hasattr(worksheet, "iter_rows"):
        raise ImportFileError(f"The sheet {quote(worksheet.title)} is a chart, not a table of rows.")
    return worksheet


def _worksheet_rows(workbook, worksheet, limits):
    """The sheet's rows, read once from its XML, with merged cells filled down.

    openpyxl's read-only worksheet yields padded rows and drops the merged ranges, which come
    after the rows in the file; its own parser gives both, and every cell it reads is counted.
    """
    rows = []
    with workbook._archive.open(worksheet._worksheet_path) as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            limits.count(len(cells))
            values = {cell["column"]: cell["value"] for cell in cells if not parsing.is_blank(cell["value"])}
            if not values:
                continue
            limits.check_row(number, max(values))
            rows.extend([] for _ in range(number - 1 - len(rows)))
            rows.append([values.get(column) for column in range(1, max(values) + 1)])
        merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    _fill_merged(rows, [cell_range.ref for cell_range in merged])
    return rows


def _fill_merged(rows, ranges):
    """A merged cell's value goes to every row it spans, in its first column.

    A directorate merged down the rows of its partnerships belongs to each of them. Across
    columns a merge only widens a cell (a title over the table), so the other columns stay empty.
    """
    for ref in ranges:
        first_column, first_row, _, last_row = range_boundaries(ref)
        if last_row <= first_row or first_row > len(rows):
            continue
        top = rows[first_row - 1]
        value = top[first_column - 1] if first_column <= len(top) else None
        if parsing.is_blank(value):
            continue
        for row in rows[first_row : min(last_row, len(rows))]:
            row.extend([None] * (first_column - len(row)))
            if parsing.is_blank(row[first_column - 1]):
                row[first_column - 1] = value


# --- .csv ------------------------------------------------------------------------------------


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
    rows, limits = [], Limits()
    try:
        for row in reader:
            if limit is not None and len(rows) >= limit:
                break
            limits.count(len(row))
            row = [None if cell == "" else unescape_csv_text(cell) for cell in row]
            while row and parsing.is_blank(row[-1]):
                row.pop()
            limits.check_row(len(rows) + 1, len(row))
            rows.append(row)
    except csv.Error:
        raise ImportFileError(
            f"Row {len(rows) + 1} of the CSV file could not be read (a cell may be far too long, or a quote "
            "left open). Check the file in a spreadsheet program and save it again as CSV."
        ) from None
    return rows


def _read_csv(data):
    text = _decode(data)
    return _parse_csv(text, _delimiter(text))


def _delimiter(text):
    """The delimiter under which the first lines look most like a register header (else sniffed)."""
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t", "|"):
        if delimiter not in text[:CSV_SAMPLE]:
            continue
        try:
            sample = _parse_csv(text[:CSV_SAMPLE], delimiter, limit=HEADER_SCAN_ROWS)
        except ImportFileError:
            continue
        score = max((header_score(row) for row in sample), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    if best_score <= 0:
        try:
            best = csv.Sniffer().sniff(text[:16384], delimiters=",;\t|").delimiter
        except csv.Error:
            best = ","
    return best
