"""Spreadsheet exports that are safe to open: no cell can become a formula.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be run as
a formula by Excel or LibreOffice. In ``.xlsx`` such text is written with the string type, so it
is shown literally; in ``.csv`` (which has no types) it is prefixed with an apostrophe, which the
register import strips again so an export reads back unchanged.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"


def is_dangerous(value):
    return isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES)


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
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


def write_xlsx(stream, headers, rows, sheet_title="Export"):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    ws.append([_xlsx_cell(ws, h) for h in headers])
    for row in rows:
        ws.append([_xlsx_cell(ws, v) for v in row])
    wb.save(stream)


def _xlsx_cell(ws, value):
    """A value openpyxl writes as it is, or, for text it would turn into a formula or an error
    value (``=…``, ``#N/A``), a cell typed as a string so that it is shown literally."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Excel has no time zones: write the trust's local time (an audit entry's timestamp).
        return timezone.make_naive(value)
    if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
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
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
