"""Read an export back the way a spreadsheet user would see it."""

import csv
import io

from openpyxl import load_workbook


def is_download(response):
    return response.status_code == 200 and response.get("Content-Disposition", "").startswith("attachment")


def export_format(response):
    return response["Content-Disposition"].rsplit(".", 1)[-1].rstrip('"')


def read_rows(response):
    """The header row and the data rows of a CSV or XLSX download, as lists of cell values."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format(response) == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def read_records(response):
    """The data rows as dicts keyed by column header."""
    headers, rows = read_rows(response)
    return [dict(zip(headers, row, strict=False)) for row in rows]


def read_xlsx_cells(response):
    """The XLSX sheet's cells (not just values), to check how each one is typed."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    return [list(r) for r in sheet.iter_rows()]
