"""Governance through the API: the decision rules refuse a vote as the ballot page does, the
register of interests withholds what the page withholds, a body is changed only at the version
read. Who may call what is walked by ``tests/test_api_matrix.py``."""

import json

from core.models import AuditEntry
from governance import services
from governance.models import Ballot, Body, Decision, ItemDeclaration
from tests.api_calls import send, state, token_client


def test_a_vote_is_cast_through_the_ballots_rules_and_audited(world):
    client, token = token_client(world)
    url = f"/api/decisions/{world.open_decision.pk}/"
    read = client.get(url)
    assert read.status_code == 200 and read.json()["status"] == "open"
    vote = {"membership": world.chair.pk, "vote": "for"}
    assert send(client, "post", f"{url}vote/", vote).status_code == 428

    cast = send(client, "post", f"{url}vote/", vote, read["ETag"])

    assert cast.status_code == 200, cast.content
    ballot = Ballot.objects.get(decision=world.open_decision, membership=world.chair)
    assert ballot.vote == "for" and ballot.recorded_by == world.user("coordinator")
    entry = AuditEntry.objects.filter(object_id=ballot.pk).order_by("-pk").first()
    assert (entry.source, entry.token_id) == ("api", token.pk)


def test_a_vote_the_decision_rule_bars_is_refused_with_the_pages_reason(world):
    services.declare_on_item(
        ItemDeclaration(item=world.item2, membership=world.member, details="Shares.", management="discuss_not_vote")
    )
    client, _ = token_client(world)
    url = f"/api/decisions/{world.open_decision.pk}/"
    etag = client.get(url)["ETag"]
    before = state()

    refused = send(client, "post", f"{url}vote/", {"membership": world.member.pk, "vote": "for"}, etag)

    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "membership": ["Priya Shah cannot vote: they have a declared interest that bars them from this decision."]
    }
    assert state() == before


def test_a_closed_decision_takes_no_vote_and_a_board_member_casts_none(world):
    client, _ = token_client(world)
    url = f"/api/decisions/{world.decision.pk}/"
    refused = send(
        client, "post", f"{url}vote/", {"membership": world.chair.pk, "vote": "against"}, client.get(url)["ETag"]
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["membership"] == ["Voting on this decision has closed, so no vote can be cast."]

    board, _ = token_client(world, "board_member")
    url = f"/api/decisions/{world.open_decision.pk}/"
    etag = board.get(url)["ETag"]
    assert send(board, "post", f"{url}vote/", {"membership": world.chair.pk, "vote": "for"}, etag).status_code == 403
    assert not Ballot.objects.filter(decision=world.open_decision, membership=world.chair).exists()


def test_opening_and_closing_a_vote_compute_the_result(world):
    client, _ = token_client(world)
    url = f"/api/decisions/{world.draft_decision.pk}/"
    opened = send(client, "post", f"{url}open/", {}, client.get(url)["ETag"])
    assert opened.status_code == 200, opened.content
    assert opened.json()["status"] == "open" and opened.json()["rule"]
    for membership in (world.chair, world.member):
        send(client, "post", f"{url}vote/", {"membership": membership.pk, "vote": "for"}, opened["ETag"])
    closed = send(client, "post", f"{url}close/", {}, client.get(url)["ETag"])
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed" and closed.json()["votes_for"] == 2
    assert Decision.objects.get(pk=world.draft_decision.pk).status == "closed"


def test_a_body_is_added_and_changed_at_the_version_read(world):
    client, _ = token_client(world)
    made = send(client, "post", "/api/governance-bodies/", {"name": "Dementia Design Group", "kind": "design_group"})
    assert made.status_code == 201, made.content
    url = f"/api/governance-bodies/{made.json()['id']}/"
    etag = made["ETag"]
    patched = client.patch(
        url, json.dumps({"purpose": "Design the memory pathway."}), "application/json", headers={"If-Match": etag}
    )
    assert patched.status_code == 200, patched.content
    assert Body.objects.get(pk=made.json()["id"]).purpose == "Design the memory pathway."
    stale = client.patch(url, json.dumps({"purpose": "Overwrite"}), "application/json", headers={"If-Match": etag})
    assert stale.status_code == 412


def test_a_body_without_a_name_gets_the_pages_message(world):
    client, _ = token_client(world)
    before = state()
    refused = send(client, "post", "/api/governance-bodies/", {"name": "", "kind": "design_group"})
    assert refused.status_code == 400
    assert refused.json()["errors"]["name"] == ["Enter the body's name."]
    assert state() == before


def test_the_register_of_interests_withholds_what_the_page_withholds(world):
    client, _ = token_client(world, "auditor")
    listed = client.get("/api/interests/?page_size=500")
    assert listed.status_code == 200
    rows = {row["id"]: row for row in listed.json()["results"]}
    withheld = rows[world.withheld_interest.pk]
    assert withheld["withheld"] is True and withheld["name"] is None and withheld["details"] is None
    assert rows[world.interest.pk]["name"] == "Priya Shah"
    body = listed.content.decode()
    assert "Sam Withheld" not in body and "secure care provider" not in body and "Personal safety" not in body
    one = client.get(f"/api/interests/{world.withheld_interest.pk}/").json()
    assert one["name"] is None and "withheld_reason" not in one
