"""Spreadsheet bombs: a tiny file that unpacks to millions of cells or a huge text is refused
before it is parsed, with a clear message, and nothing is staged or written.

The bombs are built here with ``zipfile``, streamed, so each is a few hundred kilobytes on disk.
"""

import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.utils import get_column_letter

from accounts.models import Role
from partnerships.importing import ImportFileError, load_rows
from partnerships.tests.importing import database_counts, write_csv, write_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook_bomb(path, rows, columns, dimension=True, shared_text=0, sheet_part="worksheets/sheet1.xml"):
    """An .xlsx of ``rows`` × ``columns`` cells (or one cell holding ``shared_text`` bytes of text)."""
    shared = shared_text > 0
    parts = [("/xl/workbook.xml", "sheet.main"), (f"/xl/{sheet_part}", "worksheet")]
    if shared:
        parts.append(("/xl/sharedStrings.xml", "sharedStrings"))
    targets = [("worksheet", sheet_part)] + ([("sharedStrings", "sharedStrings.xml")] if shared else [])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{name}" ContentType="{CONTENT}.{kind}+xml"/>' for name, kind in parts)
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT}"><sheets>'
            '<sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{DOCUMENT}/{kind}" Target="{target}"/>'
                for n, (kind, target) in enumerate(targets, start=1)
            )
            + "</Relationships>",
        )
        if shared:
            with archive.open("xl/sharedStrings.xml", "w") as part:
                part.write(f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode())
                for _ in range(shared_text // 65536):
                    part.write(b"a" * 65536)
                part.write(b"</t></si></sst>")
        with archive.open(f"xl/{sheet_part}", "w") as part:
            part.write(f'<worksheet xmlns="{MAIN}">'.encode())
            if dimension:
                part.write(f'<dimension ref="A1:{get_column_letter(columns)}{rows}"/>'.encode())
            part.write(b"<sheetData>")
            cell = b'<c t="s"><v>0</v></c>' if shared else b"<c><v>1</v></c>"
            row = b"<row>" + cell * columns + b"</row>"
            for _ in range(rows):
                part.write(row)
            part.write(b"</sheetData></worksheet>")
    return path


def refusal(path):
    started = time.monotonic()
    with pytest.raises(ImportFileError) as error:
        load_rows(path, path.name)
    return error.value.message, time.monotonic() - started


@pytest.mark.parametrize("dimension", [True, False], ids=["declared size", "no declared size"])
def test_two_and_a_half_million_cells_are_refused_before_they_are_parsed(tmp_path, dimension):
    path = workbook_bomb(tmp_path / "register.xlsx", rows=100_000, columns=25, dimension=dimension)
    assert path.stat().st_size < 400_000
    message, seconds = refusal(path)
    assert message == (
        "A worksheet of this workbook has more than 500,000 cells, far more than a register. Copy the register's "
        "rows and columns into a new workbook or CSV file and import that."
    )
    assert seconds < 5, "counted, not parsed (parsing these cells takes about 18 seconds)"


def test_a_worksheet_stored_under_another_name_is_counted_too(tmp_path):
    path = workbook_bomb(tmp_path / "register.xlsx", rows=100_000, columns=25, dimension=False, sheet_part="data.xml")
    message, seconds = refusal(path)
    assert message.startswith("A worksheet of this workbook has more than 500,000 cells")
    assert seconds < 5


def test_a_huge_shared_text_is_refused_from_the_archive_alone(tmp_path):
    path = workbook_bomb(tmp_path / "register.xlsx", rows=1, columns=1, shared_text=60 * 1024 * 1024)
    assert path.stat().st_size < 200_000
    message, _ = refusal(path)
    assert message.startswith("The workbook unpacks to 60 MB, more than the 50 MB Accord reads")


def test_the_shared_text_has_a_limit_of_its_own(tmp_path, settings):
    settings.IMPORT_MAX_SHARED_STRINGS_BYTES = 1024 * 1024
    path = workbook_bomb(tmp_path / "register.xlsx", rows=1, columns=1, shared_text=2 * 1024 * 1024)
    message, _ = refusal(path)
    assert message == (
        "The workbook holds 2 MB of text, more than the 1 MB Accord reads: far more than a register. Copy the "
        "register's rows into a new workbook, save it as .xlsx and import that."
    )


def test_a_workbook_within_the_limits_is_read(tmp_path, settings):
    settings.IMPORT_MAX_CELLS = 100
    path = workbook_bomb(tmp_path / "register.xlsx", rows=10, columns=10)
    assert load_rows(path, path.name) == [[1] * 10] * 10
    path = workbook_bomb(tmp_path / "bigger.xlsx", rows=10, columns=11, dimension=False)
    assert refusal(path)[0].startswith("A worksheet of this workbook has more than 100 cells")


@pytest.mark.parametrize(
    ("setting", "value", "rows", "says"),
    [
        ("IMPORT_MAX_ROWS", 5, [["Name"]] + [[f"P{n}"] for n in range(5)], "The sheet has more than 5 rows."),
        ("IMPORT_MAX_COLUMNS", 3, [["Name", "A", "B", "C"]], "The sheet has more than 3 columns."),
    ],
)
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_rows_and_columns_have_limits_in_both_formats(tmp_path, settings, setting, value, rows, says, extension):
    setattr(settings, setting, value)
    path = (write_csv if extension == "csv" else write_xlsx)(tmp_path / f"register.{extension}", rows)
    with pytest.raises(ImportFileError) as error:
        load_rows(path, path.name)
    assert says in error.value.message


def test_a_csv_file_has_a_cell_limit_too(tmp_path, settings):
    settings.IMPORT_MAX_CELLS = 8
    path = write_csv(tmp_path / "register.csv", [["Name", "Status", "Value"]] * 3)
    with pytest.raises(ImportFileError) as error:
        load_rows(path, path.name)
    assert error.value.message.startswith("The sheet has more than 8 cells, far more than a register.")


def test_the_import_page_refuses_a_bomb_and_keeps_nothing(client_for, users, tmp_path, settings):
    settings.IMPORT_STAGING_DIR = tmp_path / "staging"
    path = workbook_bomb(tmp_path / "register.xlsx", rows=100_000, columns=25, dimension=False)
    client = client_for(Role.COORDINATOR)
    before = database_counts()
    response = client.post(
        reverse("partnerships:import"), {"file": SimpleUploadedFile("register.xlsx", path.read_bytes())}
    )
    assert response.status_code == 400
    assert "more than 500,000 cells, far more than a register" in response.content.decode()
    assert not (tmp_path / "staging").exists() or not any((tmp_path / "staging").iterdir())
    assert database_counts() == before
