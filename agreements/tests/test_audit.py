"""An agreement's audit trail: its records' changes in its history, its status changes, its documents."""

import hashlib
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import (
    Agreement,
    AgreementDocument,
)
from core import audit
from core.audit import audit_context
from core.dates import local_today
from core.models import AuditEntry
from core.nhs_number import is_valid_nhs_number
from partnerships.models import Partnership
from tests.rows import collect
from tests.text import without_cell_headings
from tests.urls import url_patterns, view_class
from tests.world import PDF, build_world, pdf_upload


@pytest.fixture
def world(db):
    return build_world(everything=True)


def entries_about(obj, after_id=0):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEntry.objects.filter(object_type=ct, object_id=obj.pk, id__gt=after_id).order_by("id"))


def last_entry_id():
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


CHANGES = collect("AUDIT")


AGREEMENT_CHILDREN = sorted(
    label for label in CHANGES if label.startswith("agreements.") and label != "agreements.Agreement"
)


@pytest.mark.parametrize("label", AGREEMENT_CHILDREN)
def test_a_childs_changes_show_in_its_agreements_history(client, world, label):
    """Parties, comments, documents, scope, milestones and indicators: in their agreement's history."""
    change = CHANGES[label]
    agreement = change.parent(world)
    with audit_context(user=world.user("owner"), source="web"):
        obj = change.create(world)
        if "update" in change.actions:
            setattr(obj, change.field, change.new_value)
            obj.save()
        shown = str(obj)
    client.force_login(world.user("auditor"))
    history = client.get(reverse("agreements:history", args=[agreement.pk])).content.decode()
    page = client.get(agreement.get_absolute_url()).content.decode()
    other = client.get(reverse("agreements:history", args=[world.other_agreement.pk])).content.decode()
    name = type(obj)._meta.verbose_name
    assert f"{name}: {shown}" in history
    recorded = change.shown_after if "update" in change.actions else change.shown_before
    assert str(audit.readable(type(obj)._meta.get_field(change.field), recorded)) in history
    assert "Anne Clarke" in history
    assert f"{name}: {shown}"[:60] in page, "the agreement page lists its latest changes too"
    assert shown not in other


def test_an_agreements_history_lists_its_childrens_changes_even_after_they_are_deleted(client, world):
    label = str(world.milestone)
    client.force_login(world.user("delegate"))
    response = client.post(reverse("agreements:milestone_delete", args=[world.milestone.pk]))
    assert response.status_code == 302
    client.force_login(world.user("board_member"))
    history = client.get(reverse("agreements:history", args=[world.draft_agreement.pk])).content.decode()
    text = " ".join(history.split())
    assert f"Deleted milestone: {label}" in text
    assert "by Dee Legate" in text


# Each lifecycle step through its page, from the world's agreement in the state it starts from.
STATUS_CHANGES = {
    "send for comment": ("agreements:send_for_comment", "draft_agreement", {}, "Draft", "Out for comment"),
    "return to draft": ("agreements:return_to_draft", "commented_agreement", {}, "Out for comment", "Draft"),
    "approve": ("agreements:approve", "commented_agreement", {}, "Out for comment", "Approved, awaiting signatures"),
    "bring into force": (
        "agreements:bring_into_force",
        "signed_agreement",
        {},
        "Approved, awaiting signatures",
        "In force",
    ),
    "expire": ("agreements:expire", "lapsed_agreement", {}, "In force", "Expired"),
    "terminate": ("agreements:terminate", "agreement_in_force", {"ended_on": "today"}, "In force", "Terminated"),
    "supersede": ("agreements:supersede", "agreement_in_force", {"replacement": "draft"}, "In force", "Superseded"),
}


@pytest.mark.parametrize("step", sorted(STATUS_CHANGES))
def test_an_agreements_status_change_is_audited_with_who_when_and_before_and_after(client, world, step):
    name, key, data, before, after = STATUS_CHANGES[step]
    agreement = getattr(world, key)
    data = {
        field: {"today": local_today().strftime("%d/%m/%Y"), "draft": world.draft_agreement.pk}.get(value, value)
        for field, value in data.items()
    }
    client.force_login(world.user("delegate"))
    start = last_entry_id()
    earliest = timezone.now()

    response = client.post(reverse(name, args=[agreement.pk]), data)

    assert response.status_code == 302
    (entry,) = [e for e in entries_about(agreement, after_id=start) if "status" in e.changed_fields]
    assert (entry.action, entry.user, entry.user_name, entry.source) == (
        "update",
        world.user("delegate"),
        "Dee Legate",
        "web",
    )
    assert earliest <= entry.timestamp <= timezone.now()
    assert (entry.before["status"], entry.after["status"]) == (before, after)
    assert "status_changed_at" in entry.changed_fields
    assert (entry.parent_type.model_class(), entry.parent_id) == (Partnership, world.partnership.pk)
    client.force_login(world.user("auditor"))
    history = " ".join(client.get(reverse("agreements:history", args=[agreement.pk])).content.decode().split())
    assert f"Updated agreement: {Agreement.objects.get(pk=agreement.pk)}" in history
    assert "by Dee Legate" in history
    assert f'<td class="nhsuk-table__cell accord-audit-value" role="cell">{after}</td>' in without_cell_headings(
        history
    ).replace("<div>", "").replace("</div>", "")


def test_a_variation_coming_into_force_audits_both_versions(client, world):
    """The new version comes into force and the earlier one becomes "varied": both recorded."""
    client.force_login(world.user("owner"))
    earlier = world.agreement_in_force
    client.post(reverse("agreements:start_variation", args=[earlier.pk]))
    variation = Agreement.objects.get(varies=earlier)
    with audit_context(user=world.user("owner"), source="web"):
        services.send_for_comment(variation)
        services.approve(variation)
        for party in variation.parties.select_related("organisation", "agreement"):
            services.record_signature(party, "A Signatory", "Chief Executive", local_today())
    start = last_entry_id()
    response = client.post(reverse("agreements:bring_into_force", args=[variation.pk]))
    assert response.status_code == 302
    changes = {
        e.object_id: (e.before["status"], e.after["status"], e.user_name)
        for e in AuditEntry.objects.filter(id__gt=start, object_type__model="agreement")
        if "status" in e.changed_fields
    }
    assert changes == {
        variation.pk: ("Approved, awaiting signatures", "In force", "Anne Clarke"),
        earlier.pk: ("In force", "Varied (replaced by a later version)", "Anne Clarke"),
    }


# --- agreement documents: only ever added ---------------------------------------------------------


def test_an_upload_is_audited_with_who_its_checksum_and_its_agreement(client, world):
    client.force_login(world.user("owner"))
    start = last_entry_id()
    response = client.post(
        reverse("agreements:document_add", args=[world.draft_agreement.pk]),
        {"title": "MoU as approved by the Board", "kind": "final", "file": pdf_upload("Approved MoU.pdf", "% v2")},
    )
    assert response.status_code == 302
    document = AgreementDocument.objects.get(agreement=world.draft_agreement, version=2)
    (entry,) = entries_about(document, after_id=start)
    assert (entry.action, entry.user_name, entry.source) == ("create", "Anne Clarke", "web")
    assert entry.after["sha256"] == document.sha256
    assert entry.after["original_name"] == "Approved MoU.pdf"
    assert entry.after["version"] == 2
    assert entry.after["uploaded_by"] == "Anne Clarke"
    assert (entry.parent_type.model_class(), entry.parent_id) == (Agreement, world.draft_agreement.pk)
    assert [e for e in AuditEntry.objects.filter(id__gt=start) if e.pk != entry.pk] == [], "nothing else changed"


def pdf_whose_checksum_looks_like_an_nhs_number():
    """A PDF whose SHA-256, in hex, holds ten digits in a row that pass the NHS number check."""
    for n in range(100_000):
        content = PDF + f"% {n}\n".encode()
        runs = re.findall(r"(?<!\d)\d{10}(?!\d)", hashlib.sha256(content).hexdigest())
        if any(is_valid_nhs_number(run) for run in runs):
            return content
    raise AssertionError  # unreachable: about one checksum in two hundred is such a one


def test_an_upload_whose_checksum_looks_like_an_nhs_number_is_stored_and_audited(client, world):
    """The NHS number guard reads what people write, not the checksum Accord computes."""
    content = pdf_whose_checksum_looks_like_an_nhs_number()
    sha256 = hashlib.sha256(content).hexdigest()
    client.force_login(world.user("owner"))
    response = client.post(
        reverse("agreements:document_add", args=[world.draft_agreement.pk]),
        {"title": "Board paper", "kind": "other", "file": SimpleUploadedFile("Board paper.pdf", content)},
    )
    assert response.status_code == 302, response.content.decode()
    document = AgreementDocument.objects.get(sha256=sha256)
    (entry,) = entries_about(document)
    assert entry.after["sha256"] == sha256, "the checksum is in the audit trail as it is"
    with document.file.open("rb") as handle:
        assert handle.read() == content


def test_nothing_in_the_app_changes_or_deletes_an_agreement_document(world):
    """No page edits or deletes documents, and the agreement they belong to cannot take them with it."""
    document_pages = {
        name: view_class(pattern)
        for name, pattern in url_patterns()
        if view_class(pattern) is not None
        and (getattr(view_class(pattern), "model", None) is AgreementDocument or name.startswith("agreements:document"))
    }
    assert sorted(document_pages) == ["agreements:document", "agreements:document_add"]
    assert not {"put", "patch", "delete"} & {m for cls in document_pages.values() for m in dir(cls)}
    assert not hasattr(document_pages["agreements:document"], "post"), "the download page only reads"

    before = (AgreementDocument.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ProtectedError), transaction.atomic(), audit_context(user=world.user("administrator")):
        world.draft_agreement.delete()
    assert (AgreementDocument.objects.count(), AuditEntry.objects.count()) == before
    with world.document.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")
