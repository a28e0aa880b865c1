"""The import page: upload, preview, change the column matching, import; and everything that is refused."""

import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry, ServiceArea
from core.roles import Role
from partnerships.models import Partnership, RegisterImport
from partnerships.tests.importing import (
    NHS_NUMBER,
    NHS_NUMBER_FORMS,
    build_world,
    database_counts,
    own_entries,
    write_xlsx,
)
from partnerships.tests.registers import OXFORD_HEALTH

HEADERS = ["Ref", "Partnership", "Partners", "Type", "Status", "Annual value (£)", "Lead", "Tier", "Comments"]


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = tmp_path / "staging"
    return settings.IMPORT_STAGING_DIR


@pytest.fixture
def world(users, make_user):
    return build_world(users, make_user)


def register_file(tmp_path, *data, name="register.xlsx"):
    rows = [["Partnership register, March 2022"], [], HEADERS, *data]
    path = write_xlsx(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes())


GOOD_ROWS = (
    ["", "Carers alliance", "Oxfordshire Mind; Restore", "Informal", "Live", "c. £750k", "pshah", "3", "Small grant"],
    ["", "CAMHS partnership", "RWX", "S75", "Current", "8.6m", "Anne Clarke", "1", ""],
)


def upload(client, file, sheet=""):
    return client.post(reverse("partnerships:import"), {"file": file, "sheet": sheet})


def token_of(response):
    match = re.fullmatch(r"/partnerships/import/([\w-]+)/", response["Location"])
    assert match, response["Location"]
    return match[1]


def staged_files(staging):
    return sorted(p.name for p in staging.iterdir()) if staging.exists() else []


def text(response):
    return response.content.decode()


def preview_post(client, token, response_or_form, **changes):
    """Post the preview form back as the browser would, with some selects changed."""
    form = response_or_form.context["form"]
    data = {"header_row": form["header_row"].value(), "expected": response_or_form.context["signature"]}
    for _, _, field in form.column_fields():
        data[field.html_name] = field.value() or ""
    data.update(changes)
    return client.post(reverse("partnerships:import_preview", args=[token]), data)


def test_upload_preview_change_mapping_and_import(
    client_for, world, tmp_path, staging, django_capture_on_commit_callbacks
):
    client = client_for(Role.COORDINATOR)
    response = upload(client, register_file(tmp_path, *GOOD_ROWS))
    assert response.status_code == 302
    token = token_of(response)
    assert len(staged_files(staging)) == 1

    preview = client.get(response["Location"])
    assert preview.status_code == 200
    page = text(preview)
    assert "Check the import" in page
    plan = preview.context["plan"]
    assert plan.header_row == 3 and (plan.created, plan.updated, plan.problems) == (2, 0, [])
    assert [(letter, field.value()) for letter, _, field in preview.context["form"].column_fields()] == [
        ("A", "reference"),
        ("B", "title"),
        ("C", "partners"),
        ("D", "arrangement_type"),
        ("E", "status"),
        ("F", "annual_value"),
        ("G", "lead"),
        ("H", ""),
        ("I", "notes"),
    ]
    assert "Restore" in page  # proposed as a new organisation
    assert "Import 2 partnerships" in page
    assert Partnership.objects.count() == 0  # a preview writes nothing

    # The coordinator decides the Comments column holds the purpose, and updates the preview.
    response = preview_post(client, token, preview, column_8="purpose", action="preview")
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.context["form"]["column_8"].value() == "purpose"
    assert Partnership.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):  # the commit queues the worker's task (inline here)
        response = preview_post(client, token, preview, action="commit")
    run = RegisterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    carers = Partnership.objects.get(title="Carers alliance")
    assert carers.purpose == "Small grant" and carers.notes == ""
    assert carers.lead == world["people"]["priya"]
    assert Partnership.objects.count() == 2
    assert staged_files(staging) == []
    register = client.get(response["Location"])
    assert "Imported register.xlsx: 2 partnerships added, 0 updated, 1 new organisation." in text(register)
    entries = own_entries(AuditEntry.objects.filter(source="import"))
    assert entries.count() == 2 + 1 + 3  # partnerships, Restore, partner links
    assert set(entries.values_list("user_name", flat=True)) == {"Ben Cahill"}
    # The upload is finished with: its preview is gone.
    assert client.get(reverse("partnerships:import_preview", args=[token])).status_code == 404


def test_problems_are_listed_with_row_and_column_and_nothing_can_be_imported(client_for, world, tmp_path):
    client = client_for(Role.COORDINATOR)
    bad = ["", "Bad money", "", "MoU", "Live", "twelve", "", "", ""]
    token = token_of(upload(client, register_file(tmp_path, *GOOD_ROWS, bad)))
    preview = client.get(reverse("partnerships:import_preview", args=[token]))
    page = text(preview)
    assert "There is a problem" in page
    assert (
        '<a href="#row-6">Row 6, Annual value (£): “twelve” is not an amount of money. Write it like £750k, '
        "5,800,000 or £1.2m, or leave it blank if not known.</a>" in page
    )
    assert 'id="row-6"' in page
    assert "Import 3 partnerships" not in page and 'value="commit"' not in page
    before = database_counts()
    response = preview_post(client, token, preview, action="commit")
    assert response.status_code == 400
    assert database_counts() == before


def test_a_file_with_nhs_numbers_is_refused_at_upload_and_not_kept(client_for, world, tmp_path, staging):
    client = client_for(Role.COORDINATOR)
    row = ["", f"Pathway for {NHS_NUMBER}", "", "MoU", "Live", "", "", "", NHS_NUMBER.replace(" ", "-")]
    response = upload(client, register_file(tmp_path, GOOD_ROWS[0], row))
    assert response.status_code == 400
    page = text(response)
    assert '<a href="#id_file">Row 5, Partnership: This cell looks like it contains an NHS number.' in page
    assert '<a href="#id_file">Row 5, Comments: This cell looks like it contains an NHS number.' in page
    assert not any(form in page for form in NHS_NUMBER_FORMS)
    assert staged_files(staging) == []
    assert Partnership.objects.count() == 0


def test_changing_the_mapping_and_pressing_import_shows_the_new_preview_first(client_for, world, tmp_path):
    client = client_for(Role.COORDINATOR)
    token = token_of(upload(client, register_file(tmp_path, *GOOD_ROWS)))
    preview = client.get(reverse("partnerships:import_preview", args=[token]))
    response = preview_post(client, token, preview, column_8="", action="commit")
    assert response.status_code == 302 and response["Location"].endswith("?changed=1")
    assert Partnership.objects.count() == 0
    again = client.get(response["Location"])
    assert "You changed how the columns are matched" in text(again)


def test_a_mapping_with_two_columns_for_one_field_is_explained(client_for, world, tmp_path):
    client = client_for(Role.COORDINATOR)
    token = token_of(upload(client, register_file(tmp_path, *GOOD_ROWS)))
    preview = client.get(reverse("partnerships:import_preview", args=[token]))
    response = preview_post(client, token, preview, column_8="title", column_1="", action="preview")
    assert response.status_code == 302  # the name may come from any one column
    response = preview_post(client, token, preview, column_8="title", action="preview")
    assert response.status_code == 400
    assert (
        '<a href="#id_column_8">Column I: Partnership name is already chosen for column B. '
        "Choose another field or “Do not import”.</a>"
    ) in text(response)
    response = preview_post(client, token, preview, column_1="", action="preview")
    assert '<a href="#id_column_0">Column A: Choose the column that holds the partnership name.</a>' in text(response)


def test_choosing_another_header_row(client_for, world, tmp_path):
    client = client_for(Role.COORDINATOR)
    token = token_of(upload(client, register_file(tmp_path, *GOOD_ROWS)))
    preview = client.get(reverse("partnerships:import_preview", args=[token]))
    response = preview_post(client, token, preview, header_row="1", action="preview")
    preview = client.get(response["Location"])
    assert preview.context["plan"].header_row == 1
    response = preview_post(client, token, preview, header_row="99", action="preview")
    assert response.status_code == 400
    assert "The file has 5 rows: enter a row number from 1 to 5." in text(response)


def test_the_commit_checks_the_file_again(client_for, world, tmp_path, staging):
    """The preview was clean, but the staged rows were replaced before the import: re-checked, refused."""
    client = client_for(Role.COORDINATOR)
    token = token_of(upload(client, register_file(tmp_path, *GOOD_ROWS)))
    preview = client.get(reverse("partnerships:import_preview", args=[token]))
    assert preview.context["plan"].problems == []
    staged = staging / f"{token}.json"
    bad = ["", f"Now with {NHS_NUMBER}", "", "MoU", "Live", "", "", "", ""]
    staged.write_text(json.dumps([["Title row"], [], HEADERS, *GOOD_ROWS, bad]))
    before = database_counts()
    response = preview_post(client, token, preview, action="commit")
    assert response.status_code == 400
    page = text(response)
    assert "Row 6, Partnership: This cell looks like it contains an NHS number." in page
    assert "Not shown: this row contains an NHS number" in page
    assert not any(form in page for form in NHS_NUMBER_FORMS)
    assert database_counts() == before
    assert staged_files(staging) == []  # a file with patient identifiers is not kept
    assert client.get(reverse("partnerships:import_preview", args=[token])).status_code == 404


def test_the_commit_notices_the_register_changed_since_the_preview(client_for, world, tmp_path):
    client = client_for(Role.COORDINATOR)
    token = token_of(upload(client, register_file(tmp_path, *GOOD_ROWS)))
    preview = client.get(reverse("partnerships:import_preview", args=[token]))
    assert preview.context["plan"].leads_to_confirm == []
    # Between the preview and the import, the lead the file names leaves and their account goes.
    world["people"]["priya"].delete()
    response = preview_post(client, token, preview, action="commit")
    assert response.status_code == 409
    assert "The register changed since you looked at this preview" in text(response)
    assert [lead.text for lead in response.context["plan"].leads_to_confirm] == ["pshah"]
    assert Partnership.objects.count() == 0


def test_counts_that_differ_from_the_preview_stop_the_import(client_for, world, tmp_path):
    client = client_for(Role.COORDINATOR)
    rows = [["P-0009", *GOOD_ROWS[0][1:]]]
    token = token_of(upload(client, register_file(tmp_path, *rows)))
    preview = client.get(reverse("partnerships:import_preview", args=[token]))
    assert preview.context["signature"] == "1:0:0:1:0:0"
    Partnership.objects.create(reference="P-0009", title="Carers alliance", arrangement_type="informal")
    response = preview_post(client, token, preview, action="commit")
    assert response.status_code == 409
    assert "The register changed since you looked at this preview" in text(response)
    assert Partnership.objects.get(reference="P-0009").lead is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("register.pdf", b"%PDF-1.4 not a spreadsheet", "The file must be an .xlsx or .csv spreadsheet."),
        ("register.xls", b"\xd0\xcf\x11\xe0", "old-style Excel file (.xls)"),
        ("register.csv", b"", "The file is empty."),
        ("register.xlsx", b"PK\x03\x04 but broken", "The workbook could not be read"),
        ("register.csv", b"\x81\x8d\x8f\x90\x9d", "The file is not a readable CSV text file."),
    ],
)
def test_bad_files_are_refused_clearly_and_nothing_is_staged(client_for, world, staging, name, content, message):
    client = client_for(Role.COORDINATOR)
    before = database_counts()
    response = upload(client, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and message in page
    assert staged_files(staging) == []
    assert database_counts() == before


def test_oversized_files_are_refused(client_for, world, staging, settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 1024
    client = client_for(Role.COORDINATOR)
    big = SimpleUploadedFile("register.csv", b"Name\n" + b"A partnership\n" * 200)
    response = upload(client, big)
    assert response.status_code == 400
    assert "The file is larger than 1 KB." in text(response)
    assert staged_files(staging) == []


def test_a_missing_worksheet_is_explained_on_the_worksheet_field(client_for, world, tmp_path, staging):
    client = client_for(Role.COORDINATOR)
    response = upload(client, register_file(tmp_path, *GOOD_ROWS), sheet="2023")
    assert response.status_code == 400
    assert (
        '<a href="#id_sheet">The workbook has no worksheet called “2023”. Its worksheets are “Register”.</a>'
        in text(response)
    )
    assert staged_files(staging) == []


@pytest.mark.parametrize("role", [Role.LEAD, Role.EXECUTIVE, Role.BOARD_MEMBER, Role.AUDITOR])
def test_only_administrators_and_coordinators_may_import(client_for, world, tmp_path, staging, role):
    owner = client_for(Role.ADMINISTRATOR)
    token = token_of(upload(owner, register_file(tmp_path, *GOOD_ROWS)))
    client = client_for(role)
    assert client.get(reverse("partnerships:import")).status_code == 403
    assert upload(client, register_file(tmp_path, *GOOD_ROWS, name="other.xlsx")).status_code == 403
    preview_url = reverse("partnerships:import_preview", args=[token])
    assert client.get(preview_url).status_code == 403
    assert client.post(preview_url, {"action": "commit"}).status_code == 403
    assert len(staged_files(staging)) == 1
    assert Partnership.objects.count() == 0
    assert "Import" not in [item["label"] for item in client.get(reverse("partnerships:list")).context["nav_items"]]


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("partnerships:import"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_another_users_upload_is_not_found(client, users, world, tmp_path):
    client.force_login(users[Role.ADMINISTRATOR])
    token = token_of(upload(client, register_file(tmp_path, *GOOD_ROWS)))
    client.force_login(users[Role.COORDINATOR])
    preview_url = reverse("partnerships:import_preview", args=[token])
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url, {"action": "commit", "header_row": "3", "column_1": "title"}).status_code == 404
    assert client.get(reverse("partnerships:import_preview", args=["..%2F..%2Fetc%2Fpasswd"])).status_code == 404
    assert client.get(reverse("partnerships:import_preview", args=["A" * 32])).status_code == 404
    assert Partnership.objects.count() == 0


def test_the_menu_offers_import_to_coordinators(client_for, world):
    client = client_for(Role.COORDINATOR)
    response = client.get(reverse("partnerships:list"))
    assert {"label": "Import", "url": reverse("partnerships:import"), "current": False} in response.context["nav_items"]
    upload_page = client.get(reverse("partnerships:import"))
    assert upload_page.status_code == 200
    assert 'enctype="multipart/form-data"' in text(upload_page)
    assert '<label class="nhsuk-label" for="id_file">' in text(upload_page)


def test_a_messy_register_through_the_page_into_an_empty_accord(
    client, make_user, tmp_path, staging, django_capture_on_commit_callbacks
):
    coordinator = make_user(Role.COORDINATOR, username="coordinator", first_name="Ben", last_name="Cahill")
    make_user(Role.LEAD, username="aclarke", first_name="Anne", last_name="Clarke")
    client.force_login(coordinator)
    path = OXFORD_HEALTH.write(tmp_path)
    response = upload(client, SimpleUploadedFile(path.name, path.read_bytes()))
    token = token_of(response)
    # The rows are kept once, as JSON under the token: never the file, never its name.
    assert staged_files(staging) == [f"{token}.json"]
    assert json.loads((staging / f"{token}.json").read_text())[4][1] == "Thames Valley and Wessex Forensic Network"

    preview = client.get(response["Location"])
    page = html.unescape(text(preview))
    assert "Partnership register 2024-25.xlsx" in page
    for shown in (
        "Not imported: RAG.",
        "Row 10 looks like a totals row and was skipped.",
        '<h2 id="new-service-areas">New service areas</h2>',
        "Research & Development",
        '<h2 id="leads-to-confirm">Leads to confirm</h2>',
        "Head of Forensic Services",
        "No user has this name, e-mail address or username.",
        "Import 4 partnerships",
    ):
        assert shown in page, shown
    assert preview.context["signature"] == "4:0:0:6:3:2"

    with django_capture_on_commit_callbacks(execute=True):  # the commit queues the worker's task (inline here)
        response = preview_post(client, token, preview, action="commit")
    assert response.status_code == 302
    register = html.unescape(text(client.get(response["Location"])))
    assert (
        "Imported Partnership register 2024-25.xlsx: 4 partnerships added, 0 updated, 6 new organisations, "
        '3 new service areas. <a class="nhsuk-link" href="/partnerships/leads-to-confirm/">2 leads</a> to confirm.'
    ) in register
    assert sorted(ServiceArea.objects.values_list("name", flat=True)) == OXFORD_HEALTH.service_areas
    assert staged_files(staging) == []


def test_a_file_named_with_an_nhs_number_is_refused_and_not_kept(client_for, world, tmp_path, staging):
    client = client_for(Role.COORDINATOR)
    named = SimpleUploadedFile(f"Referral {NHS_NUMBER}.xlsx", register_file(tmp_path, *GOOD_ROWS).read())
    response = upload(client, named)
    assert response.status_code == 400
    page = text(response)
    assert "The file name looks like it contains an NHS number." in page
    assert not any(form in page for form in NHS_NUMBER_FORMS)
    assert staged_files(staging) == []
    assert not any(form in str(client.session.get("register_imports")) for form in NHS_NUMBER_FORMS)


def test_a_worksheet_name_holding_an_nhs_number_is_refused_on_its_field(client_for, world, tmp_path, staging):
    client = client_for(Role.COORDINATOR)
    response = upload(client, register_file(tmp_path, *GOOD_ROWS), sheet=f"Patient {NHS_NUMBER}")
    assert response.status_code == 400
    page = text(response)
    assert '<a href="#id_sheet">The worksheet&#x27;s name looks like it contains an NHS number.' in page
    assert not any(form in page for form in NHS_NUMBER_FORMS)
    assert staged_files(staging) == []
