"""Spreadsheet exports that are safe to open: no cell can become a formula.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be run as
a formula by Excel or LibreOffice. In ``.xlsx`` such text is written with the string type, so it
is shown literally; in ``.csv`` (which has no types) it is prefixed with an apostrophe, which the
register import strips again so an export reads back unchanged.

An ``.xlsx`` opens ready to read: a bold header row frozen above an auto-filter, columns as wide
as their header and first rows need (up to a limit), amounts in pounds as ``£1,234`` and dates
as dates (``6 Dec 2026``). Every decimal value in Accord is an amount in pounds. Rows are
written as they come (openpyxl's write-only mode), so a 50,000-row register never sits in
memory as cells; only the first rows are held, to size the columns.
"""

import csv
import datetime
import io
from copy import copy
from decimal import Decimal
from itertools import chain, islice

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"


def is_dangerous(value):
    return isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES)


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).isoformat()  # the trust's time, with its offset from UTC
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    text = str(value)
    return CSV_ESCAPE + text if is_dangerous(text) else text


def unescape_csv_text(text):
    """Undo :func:`csv_cell`'s apostrophe so an exported file re-imports unchanged."""
    if isinstance(text, str) and text.startswith(CSV_ESCAPE) and text[1:].startswith(DANGEROUS_PREFIXES):
        return text[1:]
    return text


def write_csv(stream, headers, rows):
    writer = csv.writer(stream)
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


MONEY_FORMAT = "£#,##0"
MONEY_WITH_PENCE_FORMAT = "£#,##0.00"
DATE_FORMAT = "d mmm yyyy"
DATE_TIME_FORMAT = "d mmm yyyy hh:mm"
SIZING_ROWS = 200  # the rows read ahead to size the columns
MIN_WIDTH, MAX_WIDTH = 8, 60  # in characters


def write_xlsx(stream, headers, rows, sheet_title="Export"):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    rows = iter(rows)
    first_rows = list(islice(rows, SIZING_ROWS))
    for number, width in enumerate(_column_widths(headers, first_rows), start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    ws.freeze_panes = "A2"
    cells = _XlsxCells(ws)
    ws.append([cells.header(h) for h in headers])
    count = 0
    for row in chain(first_rows, rows):
        ws.append([cells.cell(v) for v in row])
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{count + 1}"
    wb.save(stream)


class _XlsxCells:
    """Cells for one sheet. A styled cell copies the style of a cell made once per kind, which is
    much quicker than styling each cell afresh."""

    def __init__(self, ws):
        self.ws = ws
        self._styles = {}

    def header(self, value):
        return self._styled(_xlsx_value(value), "header")

    def cell(self, value):
        if type(value) is str:  # most cells: checked first, and only for what could run
            return self._literal(value) if value.startswith("=") or value in ERROR_CODES else value
        value = _xlsx_value(value)
        if isinstance(value, Decimal):
            if value == value.to_integral():
                return self._styled(int(value), MONEY_FORMAT)
            return self._styled(float(value), MONEY_WITH_PENCE_FORMAT)
        if isinstance(value, datetime.datetime):
            return self._styled(value, DATE_TIME_FORMAT)
        if isinstance(value, datetime.date):
            return self._styled(value, DATE_FORMAT)
        if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
            return self._literal(value)
        return value

    def _literal(self, text):
        """Text that openpyxl would write as a formula or an error value, typed as a string."""
        cell = WriteOnlyCell(self.ws, value=text)
        cell.data_type = "s"
        return cell

    def _styled(self, value, kind):
        cell = WriteOnlyCell(self.ws, value=value)
        if kind not in self._styles:
            if kind == "header":
                cell.font = Font(bold=True)
            else:
                cell.number_format = kind
            self._styles[kind] = cell._style
        cell._style = copy(self._styles[kind])
        if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
            cell.data_type = "s"
        return cell


def _xlsx_value(value):
    """A value as the sheet holds it: Yes/No for booleans, the trust's local time for a moment
    (Excel has no time zones: an audit entry's timestamp)."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def _column_widths(headers, rows):
    """Each column's width: its header's or its longest value's in the first rows, within limits."""
    widths = [len(str(h)) for h in headers]
    for row in rows:
        for number, value in enumerate(row[: len(widths)]):
            widths[number] = max(widths[number], _shown_length(value))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _shown_length(value):
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return len("30 Dec 2026 23:59")
    if isinstance(value, datetime.date):
        return len("30 Dec 2026")
    if isinstance(value, Decimal):
        return len(f"£{value:,.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def export_response(fmt, filename, headers, rows):
    """An attachment of ``rows`` in ``fmt`` ("csv" or "xlsx")."""
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(buffer, headers, rows)
        body = buffer.getvalue().encode("utf-8-sig")
    else:
        buffer = io.BytesIO()
        write_xlsx(buffer, headers, rows)
        body = buffer.getvalue()
    return attachment(body, filename, fmt)


def attachment(body, filename, fmt):
    """``body`` (bytes) as a download called ``filename.fmt`` (a spreadsheet, a Word or PDF paper)."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
