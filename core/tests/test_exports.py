"""Every ``.xlsx`` export opens ready to read, and still cannot run a formula."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.exports import MAX_WIDTH, csv_cell, write_xlsx
from partnerships.spreadsheet import REGISTER_HEADERS
from tests.world import build_world

HEADERS = ["Reference", "Title", "Annual value (£)", "Start date", "Changed at", "Tier", "Notes"]


def workbook(headers, rows):
    stream = io.BytesIO()
    write_xlsx(stream, headers, rows)
    return load_workbook(io.BytesIO(stream.getvalue())).active


def test_the_header_is_bold_frozen_and_heads_a_filter_over_every_row():
    rows = [[f"P-{n:04d}", "A title", Decimal("1000"), None, None, 3, ""] for n in range(1, 251)]
    sheet = workbook(HEADERS, rows)
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G251", "the filter covers the rows after those read to size the columns"


def test_amounts_are_pounds_and_dates_are_dates():
    moment = timezone.make_aware(datetime.datetime(2026, 7, 6, 9, 5))
    rows = [["P-0001", "Forensic network", Decimal("65000000"), datetime.date(2019, 4, 30), moment, 1, ""]]
    rows.append(["P-0002", "Pence", Decimal("1234.50"), None, None, 2, ""])
    sheet = workbook(HEADERS, rows)
    value, started, changed = sheet["C2"], sheet["D2"], sheet["E2"]
    assert (value.value, value.number_format) == (65000000, "£#,##0")
    assert (sheet["C3"].value, sheet["C3"].number_format) == (1234.5, "£#,##0.00")
    assert started.is_date and started.value == datetime.datetime(2019, 4, 30)
    assert started.number_format == "d mmm yyyy"
    assert changed.value == datetime.datetime(2026, 7, 6, 9, 5) and changed.number_format == "d mmm yyyy hh:mm"
    assert sheet["F2"].number_format == "General", "a count or a tier is not money"


def test_columns_are_as_wide_as_their_header_and_values_need_within_a_limit():
    rows = [["P-0001", "A title that is quite a lot longer than its header", None, None, None, 1, "x" * 500]]
    sheet = workbook(HEADERS, rows)
    width = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert width["A"] == len("Reference") + 2
    assert width["B"] == len(rows[0][1]) + 2
    assert width["C"] == len("Annual value (£)") + 2
    assert width["F"] >= 8, "a narrow column is still wide enough to read"
    assert width["G"] == MAX_WIDTH, "a long note does not make a column wider than the screen"


def test_text_that_looks_like_a_formula_is_still_text():
    rows = [['=HYPERLINK("http://example.com")', "#N/A", None, None, None, None, "+SUM(1,2)"]]
    sheet = workbook(["=Reference", *HEADERS[1:]], rows)
    assert sheet["A1"].data_type == "s" and sheet["A1"].font.bold
    assert (sheet["A2"].data_type, sheet["B2"].data_type) == ("s", "s")
    assert sheet["A2"].value == '=HYPERLINK("http://example.com")'
    assert csv_cell("+SUM(1,2)") == "'+SUM(1,2)"


def test_a_csv_gives_a_moment_in_the_trusts_time():
    summer = datetime.datetime(2026, 7, 6, 8, 5, tzinfo=datetime.UTC)
    assert csv_cell(summer) == "2026-07-06T09:05:00+01:00"


@pytest.mark.django_db
def test_the_register_download_opens_ready_to_read(client):
    world = build_world()
    client.force_login(world.user("coordinator"))
    response = client.get(reverse("partnerships:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == list(REGISTER_HEADERS)
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    last_column = sheet.cell(row=1, column=len(REGISTER_HEADERS)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last_column}3"
    value = sheet.cell(row=2, column=REGISTER_HEADERS.index("Annual value (£)") + 1)
    assert (value.value, value.number_format) == (65000000, "£#,##0")
    started = sheet.cell(row=2, column=REGISTER_HEADERS.index("Start date") + 1)
    assert started.value == datetime.datetime(2020, 4, 1) and started.number_format == "d mmm yyyy"


def test_any_text_reads_back_exactly_and_control_characters_cannot_break_the_file():
    awkward = ["Smith & Jones <Ltd>", "  padded  ", "line one\nline two", "bell\x07 and tab\there", "£ é 漢字"]
    sheet = workbook(["Text"], [[value] for value in awkward])
    assert [sheet.cell(row=n, column=1).value for n in range(2, 7)] == [
        "Smith & Jones <Ltd>",
        "  padded  ",
        "line one\nline two",
        "bell and tab\there",
        "£ é 漢字",
    ]


def test_a_sheet_title_excel_would_refuse_is_made_safe():
    stream = io.BytesIO()
    write_xlsx(stream, ["Reference"], [["P-0001"]], sheet_title="Interests [2026/27]: published?")
    book = load_workbook(io.BytesIO(stream.getvalue()))
    assert book.sheetnames == ["Interests  2026 27   published"]
    assert book.active["A2"].value == "P-0001"


def test_a_date_before_1900_is_kept_as_text_not_shifted():
    sheet = workbook(["Date"], [[datetime.date(1890, 5, 1)], [datetime.date(1900, 3, 1)]])
    assert sheet["A2"].value == "1890-05-01"
    assert sheet["A3"].value == datetime.datetime(1900, 3, 1)
