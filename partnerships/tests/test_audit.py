"""A partnership's audit trail: its children's changes, its many-to-many links, one request id per page write."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.audit import audit_context
from core.models import AuditEntry, BafRiskTheme
from partnerships.models import Partnership
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
