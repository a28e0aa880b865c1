"""``manage.py import_ods``: NHS Digital's etr.csv / eccg.csv create or refresh organisations.

The fixtures in ``fixtures/`` are written in the real layout (no header, 27 quoted columns, CRLF),
with real codes and names. Each test runs the command as an operator would and reads the register
and the audit trail afterwards.
"""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from core.audit import audit_context
from core.models import AuditEntry
from organisations.models import Organisation, OrganisationKind
from organisations.ods import title_case

FIXTURES = Path(__file__).parent / "fixtures"
ETR = FIXTURES / "etr.csv"
ECCG = FIXTURES / "eccg.csv"

pytestmark = pytest.mark.django_db


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_ods", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_ods", str(path), *args, stdout=out, stderr=err)
    assert raised.value.returncode == 1
    return str(raised.value), err.getvalue()


def rows_of(path):
    return list(csv.reader(path.open(newline="")))


def write(tmp_path, rows, name="etr.csv"):
    path = tmp_path / name
    with path.open("w", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return path


def organisation_entries():
    return AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(Organisation))


def snapshot():
    return list(Organisation.objects.order_by("pk").values())


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ods", "expected"),
    [
        ("OXFORD HEALTH NHS FOUNDATION TRUST", "Oxford Health NHS Foundation Trust"),
        ("OXFORD UNIVERSITY HOSPITALS NHS FOUNDATION TRUST", "Oxford University Hospitals NHS Foundation Trust"),
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        ("THE ROTHERHAM NHS FOUNDATION TRUST", "The Rotherham NHS Foundation Trust"),
        ("ISLE OF WIGHT NHS TRUST", "Isle of Wight NHS Trust"),
        (
            "NHS BUCKINGHAMSHIRE, OXFORDSHIRE AND BERKSHIRE WEST ICB - 10Q",
            "NHS Buckinghamshire, Oxfordshire and Berkshire West ICB - 10Q",
        ),
        ("NHS NENE CCG", "NHS Nene CCG"),
        (
            "THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST",
            "The Newcastle upon Tyne Hospitals NHS Foundation Trust",
        ),
        ("STOKE-ON-TRENT CCG", "Stoke-on-Trent CCG"),
        ("2GETHER NHS FOUNDATION TRUST", "2gether NHS Foundation Trust"),
        ("KING'S COLLEGE HOSPITAL NHS FOUNDATION TRUST", "King's College Hospital NHS Foundation Trust"),
    ],
)
def test_names_are_title_cased_the_way_the_trust_writes_them(ods, expected):
    assert title_case(ods) == expected


# --- created / updated / unchanged -------------------------------------------------------------


def test_a_first_import_creates_every_trust_with_its_details_and_kind():
    out, err = run(ETR)

    assert "6 created, 0 updated, 0 unchanged" in out
    assert err == ""
    oxford = Organisation.objects.get(ods_code="RNU")
    assert oxford.name == "Oxford Health NHS Foundation Trust"
    assert oxford.kind == OrganisationKind.FOUNDATION_TRUST
    assert oxford.postcode == "OX3 7JX"
    assert oxford.opened_on == datetime.date(2001, 4, 1)
    assert oxford.closed_on is None
    assert Organisation.objects.get(ods_code="R1F").kind == OrganisationKind.NHS_TRUST
    tavistock = Organisation.objects.get(ods_code="RNK")
    assert tavistock.closed_on == datetime.date(2025, 3, 31)
    # Every write is in the audit trail, attributed to the import.
    entries = organisation_entries()
    assert entries.count() == 6
    assert set(entries.values_list("source", flat=True)) == {"ods-import"}
    assert set(entries.values_list("action", flat=True)) == {"create"}


def test_icbs_and_sub_icb_locations_are_told_apart():
    out, _ = run(ECCG)

    assert "5 created" in out
    kinds = dict(Organisation.objects.values_list("ods_code", "kind"))
    assert kinds == {
        "QU9": OrganisationKind.ICB,
        "QF7": OrganisationKind.ICB,
        "10Q": OrganisationKind.SUB_ICB,
        "02X": OrganisationKind.SUB_ICB,
        "04G": OrganisationKind.SUB_ICB,
    }
    assert Organisation.objects.get(ods_code="04G").closed_on == datetime.date(2020, 3, 31)
    assert (
        Organisation.objects.get(ods_code="QU9").name
        == "NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board"
    )


def test_a_second_run_changes_nothing_and_writes_no_audit_entries():
    run(ETR)
    before, entries = snapshot(), organisation_entries().count()

    out, _ = run(ETR)

    assert "0 created, 0 updated, 6 unchanged" in out
    assert snapshot() == before
    assert organisation_entries().count() == entries


def test_a_later_file_updates_what_changed_and_counts_each_kind_of_line(tmp_path):
    run(ETR)
    rows = rows_of(ETR)
    rows[1][9] = "OX3 9DZ"  # RTH moved
    rows[4][11] = "20260331"  # R1F closes
    rows.append(rows[0][:])  # a new trust
    rows[-1][0], rows[-1][1], rows[-1][10] = "RWX", "BERKSHIRE HEALTHCARE NHS FOUNDATION TRUST", "20070501"

    out, _ = run(write(tmp_path, rows))

    assert "1 created, 2 updated, 4 unchanged" in out
    assert Organisation.objects.get(ods_code="RTH").postcode == "OX3 9DZ"
    assert Organisation.objects.get(ods_code="R1F").closed_on == datetime.date(2026, 3, 31)
    assert Organisation.objects.get(ods_code="RWX").name == "Berkshire Healthcare NHS Foundation Trust"
    update = organisation_entries().filter(
        action="update", object_label="Oxford University Hospitals NHS Foundation Trust"
    )
    assert update.get().changed_fields == ["postcode"]
    assert update.get().source == "ods-import"


def test_an_organisation_entered_by_hand_without_a_code_is_matched_by_name_and_given_its_code(tmp_path):
    with audit_context(source="test"):
        hand = Organisation.objects.create(name="Oxford Health NHS Foundation Trust", kind=OrganisationKind.OTHER)

    out, _ = run(ETR)

    assert "5 created, 1 updated" in out
    hand.refresh_from_db()
    assert hand.ods_code == "RNU"
    assert hand.kind == OrganisationKind.FOUNDATION_TRUST  # "Other" is refined; a chosen kind would be kept
    assert hand.postcode == "OX3 7JX"
    assert Organisation.objects.filter(name__iexact="oxford health nhs foundation trust").count() == 1


def test_a_kind_someone_chose_is_kept(tmp_path):
    run(ETR)
    Organisation.objects.filter(ods_code="RNU").update(kind=OrganisationKind.OTHER)
    org = Organisation.objects.get(ods_code="RTH")
    org.kind = OrganisationKind.ACADEMIC
    org.save()

    out, _ = run(ETR)

    assert "0 created, 1 updated, 5 unchanged" in out  # RNU's "Other" refined; RTH's choice kept
    assert Organisation.objects.get(ods_code="RTH").kind == OrganisationKind.ACADEMIC
    assert Organisation.objects.get(ods_code="RNU").kind == OrganisationKind.FOUNDATION_TRUST


def test_a_dry_run_counts_and_writes_nothing():
    out, _ = run(ETR, "--dry-run")
    assert "Dry run: 6 created" in out
    assert "Nothing was written" in out
    assert not Organisation.objects.exists()
    assert not organisation_entries().exists()


# --- refused files: the line, the reason, nothing written --------------------------------------

MALFORMED = [
    ("too few columns", lambda rows: rows[2].pop(), 3, "expected 27 columns, found 26"),
    ("too many columns", lambda rows: rows[1].append(""), 2, "expected 27 columns, found 28"),
    ("bad code", lambda rows: rows[3].__setitem__(0, "R-FR"), 4, "“R-FR” is not an ODS code"),
    ("bad open date", lambda rows: rows[4].__setitem__(10, "20120431"), 5, "open date “20120431” is not a real date"),
    ("bad close date", lambda rows: rows[5].__setitem__(11, "31/03/2025"), 6, "close date “31/03/2025”"),
    ("no name", lambda rows: rows[0].__setitem__(1, "  "), 1, "has no name"),
    ("code twice", lambda rows: rows[4].__setitem__(0, "RNU"), 5, "the code RNU is also on line 1"),
    ("closed before opened", lambda rows: rows[0].__setitem__(11, "19990101"), 1, "close date is before the open date"),
]


@pytest.mark.parametrize(("case", "damage", "line", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_line_is_reported_with_its_number_and_nothing_is_written(tmp_path, case, damage, line, message):
    run(ECCG)  # something already on the register, which must stay exactly as it is
    before, entries = snapshot(), organisation_entries().count()
    rows = rows_of(ETR)
    damage(rows)

    summary, err = refused(write(tmp_path, rows))

    assert f"Line {line}: " in err
    assert message in err
    assert "nothing was imported" in summary
    assert snapshot() == before
    assert organisation_entries().count() == entries


def test_every_malformed_line_is_reported_at_once(tmp_path):
    rows = rows_of(ETR)
    rows[1].pop()
    rows[3][10] = "2001-04-01"
    _, err = refused(write(tmp_path, rows))
    assert err.splitlines()[0].startswith("Line 2: expected 27 columns")
    assert err.splitlines()[1].startswith("Line 4: the open date “2001-04-01”")
    assert not Organisation.objects.exists()


def test_a_header_row_is_not_mistaken_for_data(tmp_path):
    rows = [["Organisation Code", "Name", *[f"Column {n}" for n in range(3, 28)]], *rows_of(ETR)]
    _, err = refused(write(tmp_path, rows))
    assert "Line 1: “Organisation Code” is not an ODS code" in err
    assert not Organisation.objects.exists()


def test_a_name_clash_with_another_organisation_is_reported_clearly_and_nothing_written(tmp_path):
    with audit_context(source="test"):
        Organisation.objects.create(
            name="Oxford University Hospitals NHS Foundation Trust", ods_code="RTH01", kind="other"
        )
    before = snapshot()

    _, err = refused(ETR)

    assert (
        "Line 2: RTH “Oxford University Hospitals NHS Foundation Trust” has the same name as "
        "“Oxford University Hospitals NHS Foundation Trust” (ODS code RTH01), already on the register" in err
    )
    assert "Organisation names must be unique" in err
    assert snapshot() == before


def test_a_file_that_is_not_there_is_a_clear_error(tmp_path):
    summary, _ = refused(tmp_path / "etr.csv")
    assert "No file at" in summary
