"""Spreadsheet exports that are safe to open: no cell can become a formula.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be run as
a formula by Excel or LibreOffice. In ``.xlsx`` such text is written with the string type, so it
is shown literally; in ``.csv`` (which has no types) it is prefixed with an apostrophe, which the
register import strips again so an export reads back unchanged.

An ``.xlsx`` opens ready to read: a bold header row frozen above an auto-filter, columns as wide
as their header and first rows need (up to a limit), amounts in pounds as ``£1,234`` and dates
as dates (``6 Dec 2026``). Every decimal value in Accord is an amount in pounds. Rows are
written as they come (``core/xlsx.py``), so a 50,000-row register never sits in memory as
cells; only the first rows are held, to size the columns.
"""

import csv
import datetime
import io
from decimal import Decimal
from itertools import chain, islice

from django.http import HttpResponse
from django.utils import timezone

from core import xlsx

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


SIZING_ROWS = 200  # the rows read ahead to size the columns
MIN_WIDTH, MAX_WIDTH = 8, 60  # in characters


def write_xlsx(stream, headers, rows, sheet_title="Export"):
    rows = iter(rows)
    first_rows = list(islice(rows, SIZING_ROWS))
    xlsx.write(stream, headers, chain(first_rows, rows), _column_widths(headers, first_rows), sheet_title)


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
