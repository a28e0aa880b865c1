"""Reading the file: every row of an ``.xlsx`` worksheet or a ``.csv`` file, as cell values.

Anything that cannot be read raises :class:`ImportFileError` with a message saying what to do,
never another exception.
"""

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from core.exports import unescape_csv_text
from partnerships import parsing
from partnerships.importing.columns import HEADER_SCAN_ROWS, header_score
from partnerships.importing.errors import ImportFileError, RegisterImportError, SheetNotFound
from partnerships.parsing import quote

EXTENSIONS = (".xlsx", ".csv")
MAX_ROWS = 100_000
MAX_COLUMNS = 250
CSV_SAMPLE = 65536  # characters of a CSV file looked at to choose its delimiter


def load_rows(file_or_path, filename, sheet=None):
    """Every row of the sheet as a list of cell values (the list index + 1 is the row number).

    Reads ``.xlsx`` (the first worksheet, or ``sheet``) and ``.csv`` (UTF-8, or Windows
    Excel's own encoding; the delimiter is sniffed). Trailing blank rows are dropped.
    """
    extension = Path(filename or "").suffix.lower()
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


# --- .xlsx -----------------------------------------------------------------------------------


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
        return _worksheet_rows(_worksheet(workbook, sheet))
    except RegisterImportError:
        raise
    except Exception:
        raise ImportFileError(
            "The workbook could not be read: it may be damaged. Open it in Excel, save it again as .xlsx, and retry."
        ) from None
    finally:
        workbook.close()


def _worksheet(workbook, sheet):
    """The worksheet called ``sheet`` (case ignored), or the first one when no name is given."""
    if sheet:
        names = {name.casefold(): name for name in workbook.sheetnames}
        if sheet.strip().casefold() not in names:
            listed = ", ".join(f"“{name}”" for name in workbook.sheetnames)
            raise SheetNotFound(f"The workbook has no worksheet called {quote(sheet)}. Its worksheets are {listed}.")
        worksheet = workbook[names[sheet.strip().casefold()]]
    elif workbook.worksheets:
        worksheet = workbook.worksheets[0]
    else:
        raise ImportFileError("The workbook has no worksheets.")
    if not hasattr(worksheet, "iter_rows"):
        raise ImportFileError(f"The sheet {quote(worksheet.title)} is a chart, not a table of rows.")
    return worksheet


def _worksheet_rows(worksheet):
    worksheet.reset_dimensions()  # some programs write a wrong size; read every row there is
    rows = []
    for row in worksheet.iter_rows(values_only=True):
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append(_trimmed(row))
    return rows


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
