"""``manage.py import_register`` and ``manage.py export_register``."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from core.models import AuditEntry
from partnerships.models import Partnership
from partnerships.spreadsheet import REGISTER_HEADERS
from partnerships.tests.importing import (
    build_world,
    database_counts,
    own_entries,
    varied_register,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def world(users, make_user):
    return build_world(users, make_user)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(*args, stdout=out, stderr=err)
    return failure.value, out.getvalue(), err.getvalue()


GOOD = [
    ["Partnership register"],
    ["Name", "Partners", "Type of arrangement", "Status", "Value"],
    ["Carers alliance", "Oxfordshire Mind; Restore", "Informal", "Live", "c. £750k"],
    ["CAMHS partnership", "RWX", "S75", "Current", "8.6m"],
]


def test_import_prints_a_summary_and_exits_zero(tmp_path, world):
    path = write_xlsx(tmp_path / "register.xlsx", GOOD)
    audit_before = AuditEntry.objects.count()
    last_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    out, err = run("import_register", str(path))
    assert err == ""
    assert "Header row: row 2." in out
    assert "Imported: 2 created, 0 updated, 0 unchanged; 1 new organisation." in out
    assert Partnership.objects.count() == 2
    entries = own_entries(AuditEntry.objects.filter(id__gt=last_id))
    assert len(entries) == 6  # two partnerships, one organisation, three partner links
    assert {(e.source, e.user_name) for e in AuditEntry.objects.filter(id__gt=last_id)} == {("import", "system")}
    written = AuditEntry.objects.count()
    out, _ = run("import_register", str(path))
    assert "Imported: 0 created, 0 updated, 2 unchanged; 0 new organisations." in out
    assert AuditEntry.objects.count() == written > audit_before


def test_dry_run_summarises_and_writes_nothing(tmp_path, world):
    path = write_csv(tmp_path / "register.csv", GOOD)
    before = database_counts()
    out, err = run("import_register", str(path), "--dry-run", "--verbosity", "2")
    assert "Dry run: 2 created, 0 updated, 0 unchanged; 1 new organisation. Nothing was written." in out
    assert "New organisation: Restore" in out
    assert err == ""
    assert database_counts() == before


@pytest.mark.parametrize("dry_run", [False, True])
def test_problems_go_to_stderr_exit_non_zero_and_write_nothing(tmp_path, world, dry_run):
    rows = [*GOOD, ["Bad", "", "Zebra", "Live", "twelve"], ["", "", "MoU", "Live", ""]]
    path = write_csv(tmp_path / "register.csv", rows)
    before = database_counts()
    args = ["import_register", str(path)] + (["--dry-run"] if dry_run else [])
    error, _, err = run_failing(*args)
    assert error.returncode == 1
    assert str(error) == "3 problems found: nothing was imported. Fix the file and try again."
    assert err.splitlines() == [
        "Row 5, Type of arrangement: “Zebra” is not a type of arrangement Accord knows. Use one of: Informal (no "
        "income transaction), Single action waiver, Formally procured contract, Memorandum of understanding, "
        "Provider collaborative, Section 75 agreement, Lead-provider subcontract, Alliance, Joint venture, Research "
        "collaboration, Other.",
        "Row 5, Value: “twelve” is not an amount of money. Write it like £750k, 5,800,000 or £1.2m, or leave it "
        "blank if not known.",
        "Row 6, Name: Enter the partnership's name: every row needs one.",
    ]
    assert database_counts() == before


def test_unreadable_file_and_missing_sheet_exit_non_zero(tmp_path, world):
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"PK\x03\x04 damaged")
    error, _, _ = run_failing("import_register", str(path))
    assert error.returncode == 1 and "The workbook could not be read" in str(error)
    error, _, _ = run_failing("import_register", str(tmp_path / "missing.csv"))
    assert "The file missing.csv could not be opened." in str(error)
    good = write_xlsx(tmp_path / "good.xlsx", GOOD)
    error, _, _ = run_failing("import_register", str(good), "--sheet", "2023")
    assert str(error) == "The workbook has no worksheet called “2023”. Its worksheets are “Register”."
    out, _ = run("import_register", str(good), "--sheet", "register")
    assert "2 created" in out


def test_export_writes_xlsx_and_csv_by_extension(tmp_path, world):
    varied_register(world)
    out, _ = run("export_register", str(tmp_path / "register.xlsx"))
    assert out.strip() == f"Exported 5 partnerships to {tmp_path / 'register.xlsx'}."
    sheet = load_workbook(tmp_path / "register.xlsx").worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == REGISTER_HEADERS
    first = dict(zip(REGISTER_HEADERS, rows[1], strict=True))
    assert first["Reference"] == "P-0001"
    assert first["Partner organisations"] == (
        "Berkshire Healthcare NHS Foundation Trust; Buckinghamshire, Oxfordshire and Berkshire West ICB"
    )
    assert first["Annual value (£)"] == 65000000 and first["Tier"] == 1
    assert first["Lead"] == "Anne Clarke"
    unknown = dict(zip(REGISTER_HEADERS, rows[4], strict=True))
    assert unknown["Annual value (£)"] is None and unknown["Value qualifier"] is None  # unknown, not zero

    run("export_register", str(tmp_path / "register.csv"))
    with open(tmp_path / "register.csv", encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert [r["Reference"] for r in records] == ["P-0001", "P-0002", "P-0003", "P-0004", "P-0005"]
    assert records[1]["Annual value (£)"] == "34000000" and records[1]["Value qualifier"] == "Approximate"


def test_export_neutralises_formulas_in_both_formats(tmp_path, world):
    varied_register(world)
    run("export_register", str(tmp_path / "register.xlsx"))
    cells = {c.value: c for row in load_workbook(tmp_path / "register.xlsx").worksheets[0].iter_rows() for c in row}
    for text in [
        '=HYPERLINK("http://evil.example","click")',
        "-5 per cent waiting list pilot",
        "@Home respiratory project",
    ]:
        assert cells[text].data_type == "s"  # shown as text, never run as a formula
    assert cells["+44 1865 000000 is the switchboard"].data_type == "s"

    run("export_register", str(tmp_path / "register.csv"))
    with open(tmp_path / "register.csv", encoding="utf-8-sig", newline="") as handle:
        titles = [r["Partnership name"] for r in csv.DictReader(handle)]
    assert titles[2] == '\'=HYPERLINK("http://evil.example","click")'
    assert titles[3] == "'-5 per cent waiting list pilot"
    assert titles[4] == "'@Home respiratory project"


def test_export_refuses_an_unknown_extension(tmp_path, world):
    error, _, _ = run_failing("export_register", str(tmp_path / "register.pdf"))
    assert str(error) == "register.pdf must end in .xlsx or .csv: that decides the format of the export."
    assert not (tmp_path / "register.pdf").exists()
