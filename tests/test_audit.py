"""The audit trail: every model audited, every change recorded, nothing editable.

The list of models is taken from Django's app registry, so a model added to an Accord app
without registering it with ``core.audit`` (and without a row in ``CHANGES`` below saying how to
create, change and delete one) fails here. Agreement documents are only ever added (a new
version), never changed or deleted by the app: their row says so, and a test below shows that
nothing in the app can remove one.
"""

import datetime
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from agreements import lifecycle
from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    Consultation,
    Indicator,
    Milestone,
    ScopeItem,
)
from agreements.selectors import local_today
from assurance.models import IGItem, IGRequirement
from assurance.views import add_ig_document
from core import audit
from core.audit import audit_context
from core.documents import check_upload
from core.models import AppendOnlyError, AuditEntry, BafRiskTheme, ServiceArea, StrategicObjective, TierThresholds
from core.nhs_number import is_valid_nhs_number
from organisations.models import Organisation
from partnerships.models import Headline, PartnerRole, Partnership
from risks.models import NoSignificantRisk, Risk, RiskAction, RiskMatrix
from tests.spreadsheets import is_download, read_records
from tests.test_permission_matrix import url_patterns, view_class
from tests.world import PDF, accord_models, build_world, make_user, pdf_upload, upload_document


@pytest.fixture
def world(db):
    return build_world(agreements=True)


def entries_about(obj, after_id=0):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEntry.objects.filter(object_type=ct, object_id=obj.pk, id__gt=after_id).order_by("id"))


def last_entry_id():
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- every model is audited ------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """How to create one record, which field to change, and how the audit trail shows the values."""

    create: Callable
    field: str
    shown_before: object
    new_value: object
    shown_after: object
    parent: Callable | None = None  # the record whose history shows this one's changes
    prepare: Callable | None = None  # run first, outside the audited block
    actions: tuple = ("create", "update", "delete")  # what the app does to such a record


CHANGES = {
    "accounts.User": Change(
        lambda w: make_user("xsmith", role=Role.EXECUTIVE, first_name="Xavier", last_name="Smith", job_title="CFO"),
        "role",
        "Executive",
        Role.BOARD_MEMBER,
        "Board member",
    ),
    "core.StrategicObjective": Change(
        lambda w: StrategicObjective.objects.create(
            number=3, name="Improve population health", description="Prevention"
        ),
        "description",
        "Prevention",
        "Prevention first",
        "Prevention first",
    ),
    "core.BafRiskTheme": Change(
        lambda w: BafRiskTheme.objects.create(name="Workforce", strategic_objective=w.objective2),
        "strategic_objective",
        "2) Be a great place to work",
        None,
        None,
    ),
    "core.ServiceArea": Change(
        lambda w: ServiceArea.objects.create(name="Community services"),
        "name",
        "Community services",
        "Community health services",
        "Community health services",
    ),
    # One row, holding the defaults until an administrator saves it: remove it to save it anew.
    "core.TierThresholds": Change(
        lambda w: TierThresholds.objects.create(pk=1),
        "tier2_min_value",
        "100000",
        Decimal("150000.00"),
        "150000",
        prepare=lambda w: TierThresholds.objects.all().delete(),
    ),
    "organisations.Organisation": Change(
        lambda w: Organisation.objects.create(name="Oxford Brookes University", kind="academic", notes="Research"),
        "notes",
        "Research",
        "Research and training",
        "Research and training",
    ),
    "partnerships.Partnership": Change(
        lambda w: Partnership.objects.create(
            reference="P-0003", title="Oxfordshire Carer Alliance", arrangement_type="alliance", lead=w.user("owner")
        ),
        "title",
        "Oxfordshire Carer Alliance",
        "Oxfordshire Carers Alliance",
        "Oxfordshire Carers Alliance",
    ),
    "partnerships.PartnerRole": Change(
        lambda w: PartnerRole.objects.create(partnership=w.partnership, organisation=w.spare_org, role="member"),
        "role",
        "Member",
        "funder",
        "Funder",
        parent=lambda w: w.partnership,
    ),
    "partnerships.Headline": Change(
        lambda w: Headline.objects.create(partnership=w.partnership, date=datetime.date(2024, 5, 1), text="Go-live"),
        "text",
        "Go-live",
        "Go-live moved to June",
        "Go-live moved to June",
        parent=lambda w: w.partnership,
    ),
    # No page deletes an agreement; a draft removed in the shell is audited all the same.
    "agreements.Agreement": Change(
        lambda w: Agreement.objects.create(
            partnership=w.partnership, kind="mou", title="Doncaster integrated commissioning MoU"
        ),
        "term_end_date",
        None,
        datetime.date(2018, 3, 31),
        "2018-03-31",
        parent=lambda w: w.partnership,
    ),
    "agreements.AgreementParty": Change(
        lambda w: AgreementParty.objects.create(
            agreement=w.draft_agreement, organisation=w.home_trust, address="Warneford Hospital"
        ),
        "address",
        "Warneford Hospital",
        "Warneford Hospital, Warneford Lane, Headington",
        "Warneford Hospital, Warneford Lane, Headington",
        parent=lambda w: w.draft_agreement,
    ),
    "agreements.Consultation": Change(
        lambda w: Consultation.objects.create(
            agreement=w.commented_agreement, body="Council Cabinet", date=datetime.date(2017, 3, 15)
        ),
        "feedback",
        "",
        "Approved, with a review after a year.",
        "Approved, with a review after a year.",
        parent=lambda w: w.commented_agreement,
    ),
    # Uploaded, never changed or deleted by the app: a new version is a new document.
    "agreements.AgreementDocument": Change(
        lambda w: upload_document(w.draft_agreement, "Signed memorandum", w.user("coordinator"), kind="signed_copy"),
        "kind",
        "Signed copy",
        None,
        None,
        parent=lambda w: w.draft_agreement,
        actions=("create",),
    ),
    "agreements.ScopeItem": Change(
        lambda w: ScopeItem.objects.create(agreement=w.draft_agreement, title="Complex lives", lead="Public health"),
        "lead",
        "Public health",
        "Director of Public Health",
        "Director of Public Health",
        parent=lambda w: w.draft_agreement,
    ),
    "agreements.Milestone": Change(
        lambda w: Milestone.objects.create(
            agreement=w.draft_agreement, title="JCCC terms of reference agreed", due_date=datetime.date(2017, 6, 30)
        ),
        "status",
        "Not started",
        "at_risk",
        "At risk",
        parent=lambda w: w.draft_agreement,
    ),
    "agreements.Indicator": Change(
        lambda w: Indicator.objects.create(
            agreement=w.draft_agreement, measure="Delayed transfers of care", frequency="Monthly", target="Fewer"
        ),
        "target",
        "Fewer",
        "Below 3.5% of occupied beds",
        "Below 3.5% of occupied beds",
        parent=lambda w: w.draft_agreement,
    ),
    # A risk is closed, never deleted: it stays in the history, its scores with it.
    "risks.Risk": Change(
        lambda w: Risk.objects.create(
            partnership=w.partnership,
            domain="finances",
            title="Limited resources to support the collaborative",
            description="Because no new resources are identified, the work may stall.",
            owner="Amelie Bages",
            inherent_likelihood=4,
            inherent_consequence=3,
            current_likelihood=3,
            current_consequence=3,
            target_likelihood=2,
            target_consequence=3,
            treatment="treat",
            review_date=datetime.date(2027, 3, 31),
        ),
        "current_likelihood",
        3,
        2,
        2,
        parent=lambda w: w.partnership,
        actions=("create", "update"),
    ),
    "risks.RiskAction": Change(
        lambda w: RiskAction.objects.create(
            risk=w.risk,
            description="Dedicated roles in each trust",
            owner="Anne Clarke",
            due_date=datetime.date(2027, 1, 31),
        ),
        "status",
        "Not started",
        "complete",
        "Complete",
        parent=lambda w: w.risk,
    ),
    # Recorded, then withdrawn (deleted) when a risk is raised in the domain: never edited.
    "risks.NoSignificantRisk": Change(
        lambda w: NoSignificantRisk.objects.create(
            partnership=w.partnership, domain="reputation", note="No public-facing service."
        ),
        "note",
        "No public-facing service.",
        None,
        None,
        parent=lambda w: w.partnership,
        actions=("create", "delete"),
    ),
    # One row, made by a migration; the administrator changes it, nobody deletes it.
    "risks.RiskMatrix": Change(
        lambda w: RiskMatrix.current(),
        "escalation_threshold",
        15,
        16,
        16,
        actions=("update",),
    ),
    # The matrix's cells: written by the administrator's grid (a cell with no row uses the defaults).
    "assurance.IGRequirement": Change(
        lambda w: IGRequirement.objects.create(arrangement_type="mou", data_sharing="none"),
        "dpia",
        False,
        True,
        True,
        prepare=lambda w: IGRequirement.objects.filter(arrangement_type="mou", data_sharing="none").delete(),
        actions=("create", "update"),
    ),
    # Recorded and updated from the partnership page; never deleted (its documents are evidence).
    "assurance.IGItem": Change(
        lambda w: IGItem.objects.create(partnership=w.partnership, item="dpia", status="in_progress"),
        "status",
        "In progress",
        "in_place",
        "In place",
        parent=lambda w: w.partnership,
        actions=("create", "update"),
    ),
    # Uploaded, never changed or deleted: a new file is the next version.
    "assurance.IGDocument": Change(
        lambda w: add_ig_document(w.ig_item, *_checked(pdf_upload("ISA v2.pdf", "% v2")), w.user("coordinator")),
        "original_name",
        "ISA v2.pdf",
        None,
        None,
        parent=lambda w: w.ig_item,
        actions=("create",),
    ),
}


def _checked(upload):
    return upload, check_upload(upload)


def own_models():
    return sorted(
        (m for m in accord_models(include_auto_created=False) if m is not AuditEntry), key=lambda m: m._meta.label
    )


def test_every_model_of_accords_apps_is_audited():
    models = own_models()
    assert {m._meta.label for m in models} >= {
        "accounts.User",
        "partnerships.Partnership",
        "agreements.Agreement",
        "agreements.AgreementDocument",
    }
    assert [m._meta.label for m in models if not audit.is_audited(m)] == []
    assert audit.registered_models() == set(models)


def test_every_model_has_a_change_row():
    """So the create / update / delete test below runs for every model, new ones included."""
    assert sorted(CHANGES) == [m._meta.label for m in own_models()]


@pytest.mark.parametrize("label", sorted(CHANGES))
def test_create_update_and_delete_are_recorded(world, label):
    change = CHANGES[label]
    actor = world.user("coordinator")
    if change.prepare:
        change.prepare(world)
    start = last_entry_id()
    with audit_context(user=actor, source="test"):
        obj = change.create(world)
        created_label = updated_label = str(obj)
        obj_id = obj.pk
        if "update" in change.actions:
            setattr(obj, change.field, change.new_value)
            obj.save()
            updated_label = str(obj)
        if "delete" in change.actions:
            obj.delete()
    obj.pk = obj_id

    entries = entries_about(obj, after_id=start)
    assert [e.action for e in entries] == list(change.actions)
    for entry in entries:
        assert entry.user == actor
        assert entry.user_name == "Ben Cahill"
        assert entry.source == "test"
    if "create" in change.actions:
        create = entries[0]
        assert create.object_label == created_label
        assert create.before is None
        assert create.after[change.field] == change.shown_before
        assert change.field in create.changed_fields or change.shown_before in (None, "")

    if "update" in change.actions:
        update = entries[change.actions.index("update")]
        assert update.object_label == updated_label
        assert update.changed_fields == [change.field]
        assert update.before[change.field] == change.shown_before
        assert update.after[change.field] == change.shown_after

    if "delete" in change.actions:
        delete = entries[-1]
        assert delete.object_label == updated_label
        assert delete.after is None
        last_shown = change.shown_after if "update" in change.actions else change.shown_before
        assert delete.before[change.field] == last_shown

    if change.parent:
        parent = change.parent(world)
        for entry in entries:
            assert (entry.parent_type.model_class(), entry.parent_id, entry.parent_label) == (
                type(parent),
                parent.pk,
                str(parent),
            )


@pytest.mark.parametrize(
    "label", ["partnerships.PartnerRole", "partnerships.Headline", "risks.Risk", "assurance.IGItem"]
)
def test_a_childs_changes_show_in_its_partnerships_history(client, world, label):
    change = CHANGES[label]
    with audit_context(user=world.user("owner"), source="web"):
        obj = change.create(world)
        setattr(obj, change.field, change.new_value)
        obj.save()
        shown = str(obj)
    client.force_login(world.user("auditor"))
    history = client.get(reverse("partnerships:history", args=[world.partnership.pk])).content.decode()
    other = client.get(reverse("partnerships:history", args=[world.other_partnership.pk])).content.decode()
    name = type(obj)._meta.verbose_name
    assert f"{name}: {shown}" in history
    assert str(change.shown_after) in history
    assert shown not in other


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
    assert str(change.shown_after if "update" in change.actions else change.shown_before) in history
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
    assert f'<td class="nhsuk-table__cell accord-audit-value">{after}</td>' in history


def test_a_variation_coming_into_force_audits_both_versions(client, world):
    """The new version comes into force and the earlier one becomes "varied": both recorded."""
    client.force_login(world.user("owner"))
    earlier = world.agreement_in_force
    client.post(reverse("agreements:start_variation", args=[earlier.pk]))
    variation = Agreement.objects.get(varies=earlier)
    with audit_context(user=world.user("owner"), source="web"):
        lifecycle.send_for_comment(variation)
        lifecycle.approve(variation)
        for party in variation.parties.select_related("organisation", "agreement"):
            lifecycle.record_signature(party, "A Signatory", "Chief Executive", local_today())
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


def test_a_partnership_history_lists_its_childrens_changes_even_after_they_are_deleted(client, world):
    label = str(world.headline)
    with audit_context(user=world.user("owner"), source="web"):
        world.headline.delete()
    client.force_login(world.user("executive"))
    history = client.get(reverse("partnerships:history", args=[world.partnership.pk])).content.decode()
    assert f"Deleted headline: {label}" in " ".join(history.split())


# --- many-to-many changes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "add"),
    [
        ("strategic_objectives", lambda w: w.objective2),
        ("baf_themes", lambda w: BafRiskTheme.objects.create(name="Finance")),
        ("delegates", lambda w: w.user("other_lead")),
    ],
)
def test_many_to_many_changes_are_recorded(world, field, add):
    partnership = world.other_partnership
    item = add(world)
    with audit_context(user=world.user("coordinator"), source="test"):
        getattr(partnership, field).add(item)
        getattr(partnership, field).remove(item)
    added, removed = [e for e in entries_about(partnership) if e.changed_fields == [field]]
    assert (added.before, added.after) == ({field: []}, {field: [str(item)]})
    assert (removed.before, removed.after) == ({field: [str(item)]}, {field: []})
    assert added.user_name == removed.user_name == "Ben Cahill"


@pytest.mark.parametrize(
    ("field", "other_side"),
    [
        ("strategic_objectives", lambda w: w.objective2.partnership_set),
        ("delegates", lambda w: w.user("other_lead").delegated_partnerships),
    ],
)
def test_many_to_many_changes_made_from_the_other_side_are_recorded_on_the_partnership(world, field, other_side):
    """Giving a user delegations (or an objective partnerships) is still a change to the partnership."""
    partnership = world.other_partnership
    with audit_context(user=world.user("administrator"), source="test"):
        other_side(world).add(partnership)
    item = str(getattr(partnership, field).get())
    with audit_context(user=world.user("administrator"), source="test"):
        other_side(world).clear()
    added, cleared = [e for e in entries_about(partnership) if e.changed_fields == [field]]
    assert (added.before, added.after) == ({field: []}, {field: [item]})
    assert (cleared.before, cleared.after) == ({field: [item]}, {field: []})
    assert added.user_name == "Ada Admin"


def test_a_page_write_records_the_user_and_one_request_id_for_the_record_and_its_links(client, world):
    client.force_login(world.user("coordinator"))
    response = client.post(
        reverse("partnerships:add"),
        {
            "title": "BOB Mental Health Provider Collaborative",
            "arrangement_type": "provider_collaborative",
            "status": "active",
            "value_qualifier": "exact",
            "lead": world.user("owner").pk,
            "strategic_objectives": [world.objective.pk, world.objective2.pk],
            "baf_themes": [world.baf_theme.pk],
            "delegates": [world.user("delegate").pk],
        },
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(title="BOB Mental Health Provider Collaborative")
    entries = entries_about(partnership)
    assert [e.action for e in entries] == ["create", "update", "update", "update"]
    assert sorted(f for e in entries[1:] for f in e.changed_fields) == [
        "baf_themes",
        "delegates",
        "strategic_objectives",
    ]
    assert {e.request_id for e in entries} != {None}
    assert len({e.request_id for e in entries}) == 1
    assert {(e.user_id, e.user_name, e.source) for e in entries} == {
        (world.user("coordinator").pk, "Ben Cahill", "web")
    }

    client.post(
        reverse("partnerships:edit", args=[partnership.pk]),
        {
            "title": "BOB Mental Health Provider Collaborative",
            "arrangement_type": "provider_collaborative",
            "status": "active",
            "value_qualifier": "exact",
            "lead": world.user("owner").pk,
            "notes": "Hosted by the trust.",
        },
    )
    later = entries_about(partnership)[len(entries) :]
    assert later, "the edit was recorded"
    assert len({e.request_id for e in later}) == 1
    assert later[0].request_id != entries[0].request_id


# --- who and what survive ------------------------------------------------------------------------


def test_the_users_name_and_the_records_label_survive_their_deletion(client, world):
    temp = make_user("xsmith", role=Role.COORDINATOR, first_name="Xavier", last_name="Smith")
    with audit_context(user=temp, source="web"):
        org = Organisation.objects.create(name="Banbury Community Hub", kind="vcse")
        org.notes = "Closed in 2024"
        org.save()
        org_id = org.pk
        org.delete()
    with audit_context(user=world.user("administrator"), source="web"):
        temp.delete()
    assert not User.objects.filter(username="xsmith").exists()

    ct = ContentType.objects.get_for_model(Organisation)
    entries = AuditEntry.objects.filter(object_type=ct, object_id=org_id).order_by("id")
    assert [(e.action, e.user_name, e.object_label) for e in entries] == [
        ("create", "Xavier Smith", "Banbury Community Hub"),
        ("update", "Xavier Smith", "Banbury Community Hub"),
        ("delete", "Xavier Smith", "Banbury Community Hub"),
    ]
    user_deleted = AuditEntry.objects.get(object_type=ContentType.objects.get_for_model(User), action="delete")
    assert user_deleted.object_label == "Xavier Smith"

    client.force_login(world.user("auditor"))
    page = client.get(reverse("core:audit_log"), {"q": "Banbury"}).content.decode()
    assert page.count("Xavier Smith") >= 3
    assert "Banbury Community Hub" in page


def test_user_changes_are_audited_and_passwords_never_appear(world):
    user = world.user("executive")
    with audit_context(user=world.user("administrator"), source="web"):
        user.set_password("an-entirely-new-passphrase")
        user.save()
        new_hash = user.password
        user.role = Role.BOARD_MEMBER
        user.save()
    entries = entries_about(user)
    everything = json.dumps([(e.before, e.after) for e in entries])
    assert new_hash not in everything
    assert "an-entirely-new-passphrase" not in everything
    password_change = [e for e in entries if e.changed_fields == ["password"]]
    assert len(password_change) == 1
    role_change = entries[-1]
    assert role_change.changed_fields == ["role"]
    assert (role_change.before["role"], role_change.after["role"]) == ("Executive", "Board member")


# --- append-only ----------------------------------------------------------------------------------


def test_audit_entries_cannot_be_changed_or_removed_through_the_orm(world):
    entry = AuditEntry.objects.order_by("id").first()
    original = (entry.user_name, entry.object_label, entry.before, entry.after)
    entry.user_name = "Someone else"
    attempts = [
        entry.save,
        entry.delete,
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(user_name="Someone else"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: AuditEntry.objects.all().delete(),
        lambda: AuditEntry.objects.bulk_update([entry], ["user_name"]),
        lambda: AuditEntry._base_manager.filter(pk=entry.pk).delete(),
        lambda: AuditEntry._base_manager.all().update(user_name="Someone else"),
    ]
    count = AuditEntry.objects.count()
    for attempt in attempts:
        with pytest.raises(AppendOnlyError), transaction.atomic():
            attempt()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.user_name, entry.object_label, entry.before, entry.after) == original
    assert AuditEntry.objects.count() == count


# What the database itself refuses, below the ORM. PostgreSQL's trigger refuses both; SQLite's
# refuses UPDATE (its deletes are refused by the application, see core/migrations/0002).
REFUSED_BY_THE_DATABASE = {
    "postgresql": ["UPDATE core_auditentry SET user_name = 'Someone else'", "DELETE FROM core_auditentry"],
    "sqlite": ["UPDATE core_auditentry SET user_name = 'Someone else'"],
}


def test_the_database_refuses_raw_sql_changes_to_audit_entries(world):
    assert connection.vendor in REFUSED_BY_THE_DATABASE, f"say what {connection.vendor} refuses"
    before = list(AuditEntry.objects.order_by("id").values_list("id", "user_name"))
    assert before
    for sql in REFUSED_BY_THE_DATABASE[connection.vendor]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(AuditEntry.objects.order_by("id").values_list("id", "user_name")) == before


def test_no_page_offers_to_edit_or_delete_audit_entries(client, world):
    """The only page about audit entries is the log, and it answers nothing but GET."""
    audit_pages = [
        name
        for name, pattern in url_patterns()
        if view_class(pattern) is not None and getattr(view_class(pattern), "model", None) is AuditEntry
    ]
    assert audit_pages == ["core:audit_log"]
    for name in audit_pages:
        cls = view_class(url_patterns_by_name()[name])
        assert not {"post", "put", "patch", "delete"} & set(dir(cls))
    count = AuditEntry.objects.count()
    for role in ("administrator", "auditor", "coordinator"):
        client.force_login(world.user(role))
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(reverse("core:audit_log"), {"user_name": "x"})
            assert response.status_code in (403, 405)
    assert AuditEntry.objects.count() == count


def url_patterns_by_name():
    return dict(url_patterns())


def test_nothing_in_the_app_purges_the_audit_trail():
    """No model's delete cascades into audit entries: their links have no database constraint."""
    for field in AuditEntry._meta.concrete_fields:
        if field.is_relation:
            assert field.db_constraint is False, field.name
            assert field.remote_field.on_delete.__name__ == "DO_NOTHING", field.name


# --- the auditor's global log -----------------------------------------------------------------------


@pytest.fixture
def activity(world):
    """Changes by three people, and two older entries, for the log's filters to pick from."""
    with audit_context(user=world.user("coordinator"), source="web"):
        world.other_partnership.title = "Talking Space Plus (Oxfordshire)"
        world.other_partnership.save()
    with audit_context(user=world.user("owner"), source="web"):
        Headline.objects.create(partnership=world.partnership, text="Recruitment on track.")
    with audit_context(user=world.user("administrator"), source="web"):
        world.spare_org.delete()
    ct = ContentType.objects.get_for_model(Organisation)
    for day, label in ((datetime.date(2023, 1, 15), "Abingdon Hub"), (datetime.date(2024, 6, 30), "Witney Hub")):
        AuditEntry.objects.create(
            timestamp=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
            user_name="Ben Cahill",
            action="create",
            object_type=ct,
            object_id=10_000 + day.year,
            object_label=label,
            changed_fields=["name"],
            after={"name": label},
        )
    return world


def shown_count(response):
    text = " ".join(response.content.decode().split())
    if "No audit entries match" in text:
        return 0
    return int(re.search(r"Showing \d+ to \d+ of (\d+) audit entr", text).group(1))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user_name": "Cahill"}, lambda: AuditEntry.objects.filter(user_name="Ben Cahill")),
        ({"user_name": "clarke"}, lambda: AuditEntry.objects.filter(user_name="Anne Clarke")),
        (
            {"object_type": lambda: ContentType.objects.get_for_model(Headline).pk},
            lambda: AuditEntry.objects.filter(object_type__model="headline"),
        ),
        ({"action": "delete"}, lambda: AuditEntry.objects.filter(action="delete")),
        (
            {"date_from": "01/01/2024", "date_to": "31/12/2024"},
            lambda: AuditEntry.objects.filter(object_label="Witney Hub"),
        ),
        ({"date_to": "31/12/2023"}, lambda: AuditEntry.objects.filter(object_label="Abingdon Hub")),
        (
            {"date_from": lambda: timezone.localdate().strftime("%d/%m/%Y")},
            lambda: AuditEntry.objects.filter(timestamp__date=timezone.localdate()),
        ),
        ({"q": "P-0002"}, lambda: AuditEntry.objects.filter(object_label__startswith="P-0002 ")),
        (
            {"q": "P-0002", "user_name": "Cahill", "action": "update"},
            lambda: AuditEntry.objects.filter(
                object_label__startswith="P-0002 ", user_name="Ben Cahill", action="update"
            ),
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_audit_log_filters_and_exports_only_the_filtered_rows(client, activity, query, expected, fmt):
    query = {k: v() if callable(v) else v for k, v in query.items()}
    wanted = list(expected().order_by("-timestamp", "-id"))
    assert wanted, "the fixture has rows for every filter"
    assert len(wanted) < AuditEntry.objects.count(), "every filter leaves some rows out"
    client.force_login(activity.user("auditor"))

    page = client.get(reverse("core:audit_log"), query)
    assert page.status_code == 200
    assert shown_count(page) == len(wanted)

    download = client.get(reverse("core:audit_log"), {**query, "export": fmt})
    assert is_download(download)
    rows = read_records(download)
    assert [(r["Record"], r["Changed by"], r["Change"]) for r in rows] == [
        (e.object_label, e.user_name, e.get_action_display()) for e in wanted
    ]


def test_the_audit_log_export_holds_before_and_after(client, activity):
    client.force_login(activity.user("administrator"))
    download = client.get(reverse("core:audit_log"), {"q": "Talking Space Plus (Oxfordshire)", "export": "csv"})
    (row,) = read_records(download)
    assert json.loads(row["Before"])["title"] == "Talking Space Plus"
    assert json.loads(row["After"])["title"] == "Talking Space Plus (Oxfordshire)"
    assert row["Fields"] == "title"


def test_an_impossible_date_range_is_explained_not_ignored(client, activity):
    client.force_login(activity.user("auditor"))
    response = client.get(reverse("core:audit_log"), {"date_from": "31/12/2024", "date_to": "01/01/2024"})
    assert "The end of the period must be the same as or after its start." in response.content.decode()
    assert shown_count(response) == 0


def test_the_audit_log_spreadsheet_gives_each_change_its_local_date_and_time(client, activity):
    """Excel has no time zones: the XLSX shows the time as the trust's clocks showed it."""
    client.force_login(activity.user("auditor"))
    download = client.get(reverse("core:audit_log"), {"q": "Witney Hub", "export": "xlsx"})
    (row,) = read_records(download)
    entry = AuditEntry.objects.get(object_label="Witney Hub")
    assert row["When"] == timezone.localtime(entry.timestamp).replace(tzinfo=None)
    assert row["When"].hour == 12
