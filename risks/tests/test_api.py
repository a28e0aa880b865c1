"""Risks and their further actions through the API: the risk pages' forms, rules (scores on the
matrix, closing) and messages, audited as the API's. Who may call what is walked by
``tests/test_api_matrix.py``."""

import datetime

from core.dates import day, local_today
from risks.models import Risk, RiskAction, RiskDomain
from risks.tests import builders
from risks.views import CLOSED_REFUSAL
from tests.api_calls import api_entries, assert_list_cost_fixed, etag_of, last_entry, send, state, token_client

URL = "/api/risks/"


def risk_data(world, **changes):
    return {
        "partnership": world.partnership.pk,
        "domain": "information_governance",
        "title": "Shared records not reconciled",
        "description": "Because two systems hold the records, there is a risk they differ, which misleads staff.",
        "owner": "Anne Clarke",
        "inherent_likelihood": 3,
        "inherent_consequence": 3,
        "current_likelihood": 2,
        "current_consequence": 3,
        "target_likelihood": 1,
        "target_consequence": 3,
        "treatment": "treat",
        "review_date": (local_today() + datetime.timedelta(days=60)).isoformat(),
        **changes,
    }


def test_a_lead_records_a_risk_and_reviews_it(world):
    client, token = token_client(world, "owner")
    since = last_entry()

    made = send(client, "post", URL, risk_data(world))

    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["partnership"], body["domain"], body["status"]) == (
        world.partnership.pk,
        "information_governance",
        "open",
    )
    url = f"{URL}{body['id']}/"
    reviewed = send(client, "patch", url, {"current_likelihood": 1}, made["ETag"])
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["current_likelihood"] == 1 and reviewed.json()["title"] == "Shared records not reconciled"
    assert Risk.objects.get(pk=body["id"]).current_likelihood == 1
    risk_entries = [e for e in api_entries(since, token) if e.object_type.model == "risk"]
    assert [e.action for e in risk_entries] == ["create", "update"]
    assert send(client, "patch", url, {"owner": "Late"}, made["ETag"]).status_code == 412


def test_the_rules_of_a_risk_give_the_pages_messages_and_write_nothing(world):
    client, _ = token_client(world, "coordinator")
    before = state()

    scores = {"current_likelihood": 4, "current_consequence": 4, "target_likelihood": 5, "target_consequence": 4}
    bad = send(client, "post", URL, risk_data(world, **scores))

    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert errors["target_likelihood"][0].startswith("The target score (5 × 4 = 20) cannot be higher than")
    assert errors["current_above_inherent_reason"][0].startswith("Say why the current score (16) is higher")
    assert errors["baf_theme"][0].startswith("A current score of 16 is at or above the escalation threshold")
    off = send(client, "post", URL, risk_data(world, inherent_likelihood=6))
    assert off.json()["errors"]["inherent_likelihood"] == ["Choose the inherent likelihood from the list, from 1 to 5."]
    assert state() == before


def test_a_closed_risk_and_its_actions_are_kept_as_they_were(world):
    client, token = token_client(world, "coordinator")
    url = f"{URL}{world.risk.pk}/"
    since = last_entry()

    assert send(client, "post", f"{url}close/", {"closing_note": "Done"}).status_code == 428
    etag = etag_of(client, url)
    missing = send(client, "post", f"{url}close/", {"closed_on": ""}, etag)
    assert missing.status_code == 400
    assert missing.json()["errors"] == {
        "closed_on": ["Enter the date the risk was closed."],
        "closing_note": ["Say why the risk is being closed."],
    }
    today = local_today().isoformat()
    closed = send(client, "post", f"{url}close/", {"closed_on": today, "closing_note": "Protocol agreed."}, etag)
    assert closed.status_code == 200, closed.content
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("closed", today)
    api_entries(since, token)

    before = state()
    edit = send(client, "patch", url, {"title": "Reopened?"}, closed["ETag"])
    assert edit.status_code == 409
    action = send(
        client,
        "post",
        "/api/risk-actions/",
        {"risk": world.risk.pk, "description": "More", "owner": "Anne", "due_date": today, "status": "not_started"},
    )
    assert action.status_code == 409
    refusal = CLOSED_REFUSAL.format(closed_on=day(local_today()))
    assert edit.json()["detail"] == action.json()["detail"] == refusal
    assert state() == before


def test_a_further_action_is_added_changed_and_removed(world):
    client, token = token_client(world, "delegate")
    since = last_entry()
    data = {"risk": world.risk.pk, "description": "Weekly huddle", "owner": "Anne Clarke", "due_date": "2027-02-01"}

    made = send(client, "post", "/api/risk-actions/", {**data, "status": "in_progress"})
    assert made.status_code == 201, made.content
    url = f"/api/risk-actions/{made.json()['id']}/"
    done = send(client, "patch", url, {"status": "complete"}, made["ETag"])
    assert done.status_code == 200 and done.json()["status"] == "complete"
    listed = client.get(f"/api/risk-actions/?risk={world.risk.pk}").json()["results"]
    assert {row["description"] for row in listed} == {"Agree the escalation protocol", "Weekly huddle"}
    assert send(client, "delete", url, etag=done["ETag"]).status_code == 204
    assert not RiskAction.objects.filter(pk=made.json()["id"]).exists()
    assert [e.action for e in api_entries(since, token)] == ["create", "update", "delete"]


def test_the_list_filters_as_the_page_does(world):
    client, _ = token_client(world, "auditor")
    escalated = client.get(f"{URL}?escalated=true").json()["results"]
    assert [row["id"] for row in escalated] == [world.other_risk.pk]
    finances = client.get(f"{URL}?domain={RiskDomain.FINANCES}").json()["results"]
    assert [row["title"] for row in finances] == ["Contract overspend"]
    by_score = client.get(f"{URL}?sort=-current_score").json()["results"]
    assert [row["id"] for row in by_score][:1] == [world.other_risk.pk]
    assert client.get(f"{URL}?band=Catastrophic").status_code == 400


def test_a_page_of_risks_costs_the_same_queries_whatever_its_length(world):
    def grow(n):
        for i in range(n):
            risk = builders.risk(world.other_partnership, RiskDomain.SYSTEMS, title=f"Outage {i}")
            risk.actions.create(description="Backup", owner="Olu Other", due_date=local_today())

    assert_list_cost_fixed(token_client(world)[0], f"{URL}?page_size=200", grow)
