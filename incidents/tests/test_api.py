"""Incidents through the API: recorded on a partnership, changed at the version read, moved on one
step at a time with the learning the page requires. Who may call what is walked by
``tests/test_api_matrix.py``."""

from core.dates import local_today
from incidents.models import Incident, IncidentStatus
from tests.api_calls import send, state, token_client


def new_incident(world, **changes):
    return {
        "partnership": world.partnership.pk,
        "kind": "safeguarding",
        "occurred_on": local_today().isoformat(),
        "reported_by": world.partner_org.pk,
        "severity": "no_harm",
        "summary": "A referral was sent to the wrong team.",
        "immediate_action": "Re-sent the same day.",
        "shared_with": [world.partner_org.pk],
        **changes,
    }


def test_an_incident_is_recorded_and_changed_at_the_version_read(world):
    client, _ = token_client(world, "owner")
    made = send(client, "post", "/api/incidents/", new_incident(world))
    assert made.status_code == 201, made.content
    assert made.json()["partnership"] == world.partnership.pk and made.json()["status"] == IncidentStatus.OPEN
    url = f"/api/incidents/{made.json()['id']}/"

    assert send(client, "patch", url, {"severity": "low"}).status_code == 428
    changed = send(client, "patch", url, {"severity": "low"}, made["ETag"])
    assert changed.status_code == 200, changed.content
    assert Incident.objects.get(pk=made.json()["id"]).severity == "low"
    assert send(client, "patch", url, {"severity": "moderate"}, made["ETag"]).status_code == 412


def test_an_incident_without_a_summary_gets_the_pages_message(world):
    client, _ = token_client(world)
    before = state()
    refused = send(client, "post", "/api/incidents/", new_incident(world, summary=""))
    assert refused.status_code == 400
    assert refused.json()["errors"]["summary"] == ["Summarise what happened, without any patient's details."]
    assert state() == before


def test_the_status_moves_one_step_at_a_time_and_needs_the_learning_before_it_is_agreed(world):
    client, _ = token_client(world)
    url = f"/api/incidents/{world.incident.pk}/"
    reviewed = send(client, "post", f"{url}move/", {"new_status": "under_review"}, client.get(url)["ETag"])
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["status"] == IncidentStatus.UNDER_REVIEW
    before = state()

    refused = send(client, "post", f"{url}move/", {"new_status": "learning_agreed", "learning": ""}, reviewed["ETag"])

    assert refused.status_code == 400
    assert refused.json()["errors"]["learning"] == ["Record the learning before it is agreed."]
    assert state() == before
    agreed = send(
        client,
        "post",
        f"{url}move/",
        {"new_status": "learning_agreed", "learning": "Check the team code before sending."},
        reviewed["ETag"],
    )
    assert agreed.status_code == 200, agreed.content
    assert agreed.json()["learning_agreed_on"] == local_today().isoformat()


def test_another_lead_may_not_change_the_incident(world):
    client, _ = token_client(world, "other_lead")
    url = f"/api/incidents/{world.incident.pk}/"
    before = state()
    refused = send(client, "patch", url, {"severity": "severe"}, client.get(url)["ETag"])
    assert refused.status_code == 403
    assert state() == before
