"""A partnership's audit trail: its children's changes, its many-to-many links, one request id per page write."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core import audit
from core.audit import audit_context
from core.models import AuditEntry, BafRiskTheme
from partnerships.models import Partnership
from tests.spreadsheets import read_records
from tests.text import readable_text
from tests.world import build_world, opened_at_now


@pytest.fixture
def world(db):
    return build_world(everything=True)


def entries_about(obj, after_id=0):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEntry.objects.filter(object_type=ct, object_id=obj.pk, id__gt=after_id).order_by("id"))


def last_entry_id():
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


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
            **opened_at_now(partnership),
        },
    )
    later = entries_about(partnership)[len(entries) :]
    assert later, "the edit was recorded"
    assert len({e.request_id for e in later}) == 1
    assert later[0].request_id != entries[0].request_id


# --- how changes read on the pages ----------------------------------------------------------------


def test_readable_values_follow_the_trusts_formats():
    field = Partnership._meta.get_field
    assert audit.readable(field("next_review_date"), "2026-12-06") == "6 Dec 2026"
    summer = "2026-07-01T11:05:00+00:00"  # British Summer Time: the trust's clocks said 12:05
    assert audit.readable(field("status_changed_at"), summer) == "1 Jul 2026 12:05"
    assert audit.readable(field("annual_value"), "34000000") == "£34,000,000"
    assert audit.readable(field("annual_value"), "1234.5") == "£1,234.50"
    assert audit.readable(field("material_contribution"), True) == "Yes"
    assert audit.readable(field("data_sharing"), "special_category") == "Special category (including health) data"
    assert audit.readable(field("strategic_objectives"), ["1) Quality", "2) People"]) == "1) Quality; 2) People"
    assert audit.readable(field("end_date"), None) is None
    assert audit.readable(field("end_date"), "") is None
    assert audit.readable(field("end_date"), audit.HIDDEN) == audit.HIDDEN, "placeholders read as they are"
    assert audit.readable(None, "2026-12-06") == "2026-12-06", "a field the model no longer has is shown as stored"


@pytest.fixture
def reviewed(world):
    """P-0001 with its review date, value, contribution, sharing, lead and objectives changed."""
    with audit_context(user=world.user("coordinator"), source="web"):
        p = Partnership.objects.get(pk=world.partnership.pk)
        p.next_review_date = datetime.date(2026, 12, 6)
        p.annual_value = Decimal("34000000")
        p.material_contribution = True
        p.data_sharing = "special_category"
        p.lead = world.user("other_lead")
        p.save()
        p.strategic_objectives.add(world.objective2)
    return world


def test_a_partnerships_history_reads_in_labels_and_the_trusts_formats(client, reviewed):
    client.force_login(reviewed.user("auditor"))
    page = client.get(reverse("partnerships:history", args=[reviewed.partnership.pk])).content.decode()
    rows = [readable_text(row) for row in re.findall(r'<tr class="nhsuk-table__row" role="row">(.*?)</tr>', page, re.S)]
    assert "Next review date 1 Apr 2030 6 Dec 2026" in rows
    assert "Annual value (£) £65,000,000 £34,000,000" in rows
    assert "Materially contributes to a strategic objective No Yes" in rows
    assert "Level of data sharing Personal data Special category (including health) data" in rows
    assert "Internal lead Anne Clarke Olu Other" in rows
    assert any(row.startswith("Strategic objectives ") and "; " in row for row in rows)
    text = readable_text(page)
    assert "2026-12-06" not in text and "next_review_date" not in text and "34000000" not in text


def test_the_partnership_page_names_the_fields_its_latest_changes_touched(client, reviewed):
    client.force_login(reviewed.user("auditor"))
    page = client.get(reviewed.partnership.get_absolute_url()).content.decode()
    history = readable_text(page.split('id="history"', 1)[1])
    fields = "Internal lead, Annual value (£), Next review date, Materially contributes to a strategic objective"
    assert f"{fields}, Level of data sharing" in history
    assert "annual_value" not in history and "next_review_date" not in history


def test_the_audit_log_page_reads_in_labels_and_its_download_keeps_what_was_recorded(client, reviewed):
    client.force_login(reviewed.user("auditor"))
    query = {"q": reviewed.partnership.reference, "action": "update", "user_name": "Cahill"}
    page = client.get(reverse("core:audit_log"), query).content.decode()
    text = readable_text(page.split('id="results"', 1)[1])
    assert "Internal lead, Annual value (£), Next review date, Materially contributes" in text
    assert "Next review date : 1 Apr 2030 → 6 Dec 2026" in text
    assert "Materially contributes to a strategic objective : No → Yes" in text
    assert "annual_value" not in text and "2026-12-06" not in text

    rows = read_records(client.get(reverse("core:audit_log"), {**query, "export": "csv"}))
    (row,) = [r for r in rows if r["Fields (names as recorded)"] != "strategic_objectives"]
    assert "annual_value" in row["Fields (names as recorded)"].split(", ")
    assert json.loads(row["After (as recorded, JSON)"])["next_review_date"] == "2026-12-06"
    assert json.loads(row["After (as recorded, JSON)"])["annual_value"] == "34000000"


def test_an_auditor_can_show_the_recorded_values_on_the_audit_log_page(client, reviewed):
    client.force_login(reviewed.user("auditor"))
    columns = ["timestamp", "changed_fields", "after"]
    page = client.get(reverse("core:audit_log"), {"q": reviewed.partnership.reference, "columns": columns})
    text = readable_text(page.content.decode().split('id="results"', 1)[1])
    assert "Fields (names as recorded)" in text
    assert "lead, annual_value, next_review_date, material_contribution, data_sharing" in text
    assert '"next_review_date": "2026-12-06"' in text
