"""The IG pages as people use them: a partnership's "Information governance" section, recording an
IG item with its document, downloading it, and who may do which.

A refused change must explain itself and leave no trace: no row, no audit entry, no stored file.
"""

import hashlib
import html
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assurance.models import IGDocument, IGItem, IGItemType
from assurance.tests.builders import DAY, organisation, partnership, record, today
from core.models import AuditEntry
from core.roles import TRUST_ROLES, Role
from partnerships.models import ArrangementType
from tests.editing import opened_version
from tests.text import readable_text
from tests.world import NHS_NUMBER, PDF, database_state, day

I = IGItemType  # noqa: E741


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def other_lead(make_user):
    return make_user(Role.LEAD, username="olu.other", first_name="Olu", last_name="Other")


@pytest.fixture
def delegate(make_user):
    return make_user(Role.LEAD, username="dee.legate", first_name="Dee", last_name="Legate")


@pytest.fixture
def forensic(users, delegate, other_lead):
    """A provider collaborative sharing personal data, led by the lead; the other lead has their own."""
    p = partnership(
        ArrangementType.PROVIDER_COLLABORATIVE,
        "personal",
        partners=[organisation("Oxford University Hospitals NHS Foundation Trust", "standards_met")],
        lead=users[Role.LEAD],
        title="Thames Valley Forensic Network",
    )
    p.delegates.add(delegate)
    partnership(ArrangementType.MOU, "personal", lead=other_lead, title="Talking Space Plus")
    return p


def text(response):
    return readable_text(response.content.decode())


def ig_section(response):
    body = response.content.decode()
    start = body.index('id="information-governance"')
    end = body.index('id="headlines"')
    return readable_text(body[start:end])


def add_url(p, item=None):
    url = reverse("assurance:item_add", args=[p.pk])
    return f"{url}?item={item}" if item else url


def pdf(name="DPIA forensic network.pdf", marker=""):
    return SimpleUploadedFile(name, PDF + marker.encode(), content_type="application/pdf")


def form(**changes):
    data = {
        "item": I.DPIA,
        "status": "in_place",
        "approved_on": day(today() - 30 * DAY),
        "review_on": day(today() + 335 * DAY),
        "notes": "Approved by the IG steering group.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def entries_for(model):
    return AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(model))


# --- the partnership page ------------------------------------------------------------------------


def test_the_partnership_page_lists_each_required_item_with_its_status(client_for, forensic):
    record(forensic, I.ISA)
    page = client_for(Role.BOARD_MEMBER).get(forensic.get_absolute_url())
    section = ig_section(page)

    assert "Information governance" in section
    assert "4 of 6 not in place" in section
    assert "Information sharing agreement In place" in section
    assert "Data protection impact assessment (DPIA) Missing Not recorded yet." in section
    assert "Joint controller arrangement Missing" in section
    assert "Partners' DSPT status Standards Met or better In place" in section
    assert "Caldicott" not in section  # not required for personal (not special category) data
    assert "/information-governance/add/" not in page.content.decode()  # a board member reads; leads record


def test_a_lead_records_a_dpia_with_its_document_and_the_gap_disappears(client_for, users, forensic, storage_dir):
    client = client_for(Role.LEAD)
    page = client.get(forensic.get_absolute_url())
    assert add_url(forensic, I.DPIA).replace("&", "&amp;") in page.content.decode()
    gaps = client.get(reverse("assurance:gaps"), {"item": I.DPIA})
    assert forensic.reference in gaps.content.decode()

    form_page = client.get(add_url(forensic, I.DPIA))
    assert form_page.status_code == 200
    (chosen,) = re.findall(r'<input[^>]*name="item"[^>]*checked[^>]*>', form_page.content.decode())
    assert 'value="dpia"' in chosen  # the item the link was for is chosen already
    response = client.post(add_url(forensic), {**form(), "file": pdf()})

    assert response.status_code == 302, text(response)
    assert response["Location"] == f"{forensic.get_absolute_url()}#information-governance"
    item = IGItem.objects.get(partnership=forensic, item=I.DPIA)
    document = item.documents.get()
    assert (document.version, document.original_name, document.uploaded_by) == (
        1,
        "DPIA forensic network.pdf",
        users[Role.LEAD],
    )
    sha256 = hashlib.sha256(PDF).hexdigest()
    assert stored_files(storage_dir) == [storage_dir / "assurance" / sha256[:2] / sha256]
    # Audited: the item in the partnership's history, the document with its checksum.
    assert entries_for(IGItem).get().parent_id == forensic.pk
    assert entries_for(IGDocument).get().after["sha256"] == sha256

    section = ig_section(client.get(response["Location"]))
    assert f"Data protection impact assessment (DPIA) In place Approved on {(today() - 30 * DAY).day}" in section
    assert "DPIA forensic network.pdf" in section
    gaps = client.get(reverse("assurance:gaps"), {"item": I.DPIA})
    assert forensic.reference not in gaps.content.decode()


def test_a_delegate_updates_the_item_and_a_new_file_is_the_next_version(
    client_for, client, forensic, delegate, storage_dir
):
    item = record(forensic, I.DPIA, status="in_progress")
    client.force_login(delegate)
    edit = reverse("assurance:item_edit", args=[item.pk])
    first = client.post(
        edit, {**opened_version(client, edit), **form(item=None, status="in_progress"), "file": pdf(marker="% draft")}
    )
    assert first.status_code == 302
    second = client.post(
        edit, {**opened_version(client, edit), **form(item=None), "file": pdf("DPIA signed.pdf", marker="% signed")}
    )
    assert second.status_code == 302

    item.refresh_from_db()
    assert item.status == "in_place"
    assert list(item.documents.values_list("version", "original_name")) == [
        (2, "DPIA signed.pdf"),
        (1, "DPIA forensic network.pdf"),
    ]
    assert len(stored_files(storage_dir)) == 2
    page = client.get(edit).content.decode()
    assert "Documents already uploaded" in page
    section = ig_section(client.get(forensic.get_absolute_url()))
    assert "DPIA signed.pdf" in section  # the latest version is the one shown


def test_an_item_in_place_keeps_its_earlier_document_when_only_the_dates_change(client_for, forensic):
    client = client_for(Role.COORDINATOR)
    client.post(add_url(forensic), {**form(), "file": pdf()})
    item = IGItem.objects.get()
    edit = reverse("assurance:item_edit", args=[item.pk])
    response = client.post(
        edit, {**opened_version(client, edit), **form(item=None, review_on=day(today() + 700 * DAY))}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.review_on == today() + 700 * DAY
    assert item.documents.count() == 1


# --- downloads ------------------------------------------------------------------------------------


@pytest.fixture
def document(client_for, forensic):
    client_for(Role.COORDINATOR).post(add_url(forensic), {**form(), "file": pdf()})
    return IGDocument.objects.get()


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.COORDINATOR, Role.LEAD, Role.EXECUTIVE, Role.BOARD_MEMBER, Role.AUDITOR]
)
def test_people_who_may_see_the_document_download_it_with_safe_headers(client_for, document, role):
    response = client_for(role).get(reverse("assurance:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="DPIA forensic network.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_lead_of_another_partnership_gets_404_for_the_document_and_sees_no_link(
    client, document, forensic, other_lead
):
    client.force_login(other_lead)
    assert client.get(reverse("assurance:document", args=[document.pk])).status_code == 404
    section = ig_section(client.get(forensic.get_absolute_url()))
    assert "In place" in section  # the status is not secret
    assert "DPIA forensic network.pdf" not in section


def test_a_tampered_file_is_not_served(client_for, document, storage_dir, caplog):
    (storage_dir / document.file.name).write_bytes(b"<html><script>alert(1)</script></html>")
    response = client_for(Role.AUDITOR).get(reverse("assurance:document", args=[document.pk]))
    assert response.status_code == 410
    assert "This document cannot be downloaded" in text(response)
    assert f"IG document {document.pk}" in caplog.text


# --- who may change what --------------------------------------------------------------------------


def test_another_lead_gets_403_on_every_change_and_nothing_is_written(client, forensic, other_lead, storage_dir):
    item = record(forensic, I.DPIA, status="in_progress")
    client.force_login(other_lead)
    before = database_state()
    edit = reverse("assurance:item_edit", args=[item.pk])
    assert client.get(add_url(forensic)).status_code == 403
    assert client.post(add_url(forensic), {**form(item=I.ROPA), "file": pdf()}).status_code == 403
    assert client.get(edit).status_code == 403
    assert client.post(edit, {**form(item=None), "file": pdf()}).status_code == 403
    assert database_state() == before
    assert stored_files(storage_dir) == []


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.BOARD_MEMBER, Role.AUDITOR])
def test_readers_cannot_record_ig_items(client_for, forensic, role, storage_dir):
    client = client_for(role)
    before = database_state()
    assert client.post(add_url(forensic), {**form(), "file": pdf()}).status_code == 403
    assert database_state() == before
    assert stored_files(storage_dir) == []


def test_an_unknown_partnership_or_item_is_404(client_for):
    client = client_for(Role.COORDINATOR)
    assert client.get(reverse("assurance:item_add", args=[999999])).status_code == 404
    assert client.get(reverse("assurance:item_edit", args=[999999])).status_code == 404
    assert client.get(reverse("assurance:document", args=[999999])).status_code == 404


# --- bad input: 400, the error summary, nothing written, no file stored ---------------------------

BAD = [
    ("no item chosen", {"item": ""}, "item", "Choose which IG item this is."),
    ("partner DSPT is not recorded by hand", {"item": I.PARTNER_DSPT}, "item", "Select a valid choice"),
    ("no status", {"status": ""}, "status", "Choose whether it is in progress or in place."),
    ("in place without an approval date", {"approved_on": ""}, "approved_on", "Enter the date it was approved"),
    ("in place without a review date", {"review_on": ""}, "review_on", "Enter the review date"),
    ("approval in the future", {"approved_on": day(today() + DAY)}, "approved_on", "cannot be in the future"),
    (
        "review before approval",
        {"approved_on": day(today() - 10 * DAY), "review_on": day(today() - 20 * DAY)},
        "review_on",
        "same as or after the approval date",
    ),
    ("not a date", {"review_on": "31/02/2026"}, "review_on", "Enter a real date"),
    ("an NHS number in the notes", {"notes": f"Patient {NHS_NUMBER} asked"}, "notes", "NHS number"),
]


@pytest.mark.parametrize(("case", "changes", "field", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_with_the_error_summary(client_for, forensic, storage_dir, case, changes, field, message):
    client = client_for(Role.LEAD)
    before = database_state()

    response = client.post(add_url(forensic), {**form(**changes), "file": pdf()})

    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "<title>Error: " in body
    assert "There is a problem" in body
    assert f'href="#id_{field}' in body
    assert message in body
    assert database_state() == before
    assert stored_files(storage_dir) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("DPIA.pdf", b"<!DOCTYPE html><html><script>x</script></html>", "This file is not a PDF"),
        ("DPIA.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"program", "This file cannot be uploaded"),
        ("DPIA.pdf", b"", "The file is empty"),
        (f"DPIA {NHS_NUMBER}.pdf", PDF, "looks like it contains an NHS number"),
    ],
)
def test_a_refused_file_stores_nothing(client_for, forensic, storage_dir, name, content, message):
    client = client_for(Role.COORDINATOR)
    before = database_state()
    response = client.post(add_url(forensic), {**form(), "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert database_state() == before
    assert stored_files(storage_dir) == []


def test_an_item_in_place_needs_its_document(client_for, forensic, storage_dir):
    before = database_state()
    response = client_for(Role.LEAD).post(add_url(forensic), form())
    assert response.status_code == 400
    assert "Upload the document: an item in place needs one as evidence." in html.unescape(response.content.decode())
    assert database_state() == before


def test_an_item_in_progress_needs_no_document_yet(client_for, forensic):
    response = client_for(Role.LEAD).post(add_url(forensic), form(status="in_progress", approved_on="", review_on=""))
    assert response.status_code == 302
    assert IGItem.objects.get().status == "in_progress"


def test_an_item_already_recorded_is_updated_not_recorded_twice(client_for, forensic):
    record(forensic, I.DPIA, status="in_progress")
    before = database_state()
    response = client_for(Role.LEAD).post(add_url(forensic), form(status="in_progress", approved_on="", review_on=""))
    assert response.status_code == 400
    assert "is already recorded for this partnership: update that record instead" in html.unescape(
        response.content.decode()
    )
    assert database_state() == before


def test_ig_gaps_is_in_the_menu_of_everyone_who_may_see_it(client_for, forensic):
    for role in TRUST_ROLES:  # never a partner contributor's (tests/test_partner_contributor_crawl.py)
        page = client_for(role).get(reverse("partnerships:list")).content.decode()
        assert f'href="{reverse("assurance:gaps")}"' in page
