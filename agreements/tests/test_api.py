"""Agreements and their records through the API: the agreement pages' forms, lifecycle refusals
and messages, audited as the API's. Who may call what is walked by ``tests/test_api_matrix.py``."""

import datetime

from agreements import lifecycle
from agreements.models import Agreement, AgreementKind, AgreementStatus, Milestone
from core.dates import local_today
from core.validators import NHS_NUMBER_MESSAGE
from tests.api_calls import api_entries, assert_list_cost_fixed, etag_of, last_entry, send, state, token_client
from tests.world import NHS_NUMBER

URL = "/api/agreements/"


def test_a_lead_adds_an_agreement_to_their_partnership_and_edits_its_terms(world):
    client, token = token_client(world, "owner")
    since = last_entry()

    made = send(
        client,
        "post",
        URL,
        {
            "partnership": world.partnership.pk,
            "kind": "mou",
            "title": "Carers' hub memorandum",
            "legally_binding": "no",
            "commencement": "last_signature",
        },
    )

    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["partnership"], body["status"], body["version"]) == (world.partnership.pk, "draft", 1)
    url = f"{URL}{body['id']}/"
    saved = send(client, "patch", url, {"term_end_date": "2029-03-31"}, made["ETag"])
    assert saved.status_code == 200, saved.content
    assert saved.json()["term_end_date"] == "2029-03-31" and saved.json()["title"] == "Carers' hub memorandum"
    assert Agreement.objects.get(pk=body["id"]).term_end_date == datetime.date(2029, 3, 31)
    assert [e.action for e in api_entries(since, token)] == ["create", "update"]


def test_another_leads_partnership_is_not_theirs_to_add_to(world):
    client, _ = token_client(world, "other_lead")
    before = state()
    data = {"partnership": world.partnership.pk, "kind": "mou", "title": "Hijack", "legally_binding": "no"}
    assert send(client, "post", URL, data).status_code == 403
    assert state() == before


def test_the_terms_are_fixed_once_approved_as_on_the_page(world):
    client, _ = token_client(world, "coordinator")
    url = f"{URL}{world.approved_agreement.pk}/"
    before = state()

    refused = send(client, "patch", url, {"title": "Renamed"}, etag_of(client, url))

    assert refused.status_code == 409
    status = world.approved_agreement.get_status_display()
    assert refused.json()["detail"] == lifecycle.TERMS_FIXED.format(status=status)
    parties = send(
        client,
        "post",
        "/api/agreement-parties/",
        {"agreement": world.approved_agreement.pk, "organisation": world.spare_org.pk},
    )
    assert parties.status_code == 409 and parties.json()["detail"].startswith("Parties can only be added")
    comment = send(client, "post", "/api/agreement-comments/", {"agreement": world.draft_agreement.pk, "body": "Board"})
    assert comment.status_code == 409 and comment.json()["detail"] == lifecycle.NOT_SENT_FOR_COMMENT
    assert state() == before


def test_bad_input_gets_the_pages_messages_and_writes_nothing(world):
    client, _ = token_client(world, "coordinator")
    url = f"{URL}{world.draft_agreement.pk}/"
    before = state()

    changes = {"legally_binding": "except", "purpose": f"For {NHS_NUMBER}"}
    bad = send(client, "patch", url, changes, etag_of(client, url))

    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert errors["binding_exceptions"] == [
        "Enter the clauses that are binding, for example confidentiality and data protection."
    ]
    assert errors["purpose"] == [NHS_NUMBER_MESSAGE]
    twice = send(
        client,
        "post",
        "/api/agreement-parties/",
        {"agreement": world.draft_agreement.pk, "organisation": world.partner_org.pk},
    )
    assert twice.status_code == 400
    assert twice.json()["errors"]["organisation"] == [f"{world.partner_org} is already a party to this agreement."]
    assert state() == before


def test_a_milestone_is_added_updated_and_listed_under_its_agreement(world):
    client, token = token_client(world, "delegate")
    since = last_entry()
    data = {"agreement": world.draft_agreement.pk, "title": "Beds open", "due_date": "2027-01-31"}

    missing = send(client, "post", "/api/milestones/", data)
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"status": ["Choose the status of the milestone."]}
    made = send(client, "post", "/api/milestones/", {**data, "status": "not_started"})
    assert made.status_code == 201, made.content
    url = f"/api/milestones/{made.json()['id']}/"
    done = send(client, "patch", url, {"status": "complete"}, made["ETag"])
    assert done.status_code == 200, done.content
    assert Milestone.objects.get(pk=made.json()["id"]).status == "complete"
    assert [e.action for e in api_entries(since, token)] == ["create", "update"]

    listed = client.get(f"/api/milestones/?agreement={world.draft_agreement.pk}").json()["results"]
    assert {row["title"] for row in listed} == {"Shared work programme agreed", "Beds open"}
    assert all(row["agreement"] == world.draft_agreement.pk for row in listed)


def test_the_list_filters_as_the_page_does(world):
    client, _ = token_client(world, "auditor")
    overdue = client.get(f"{URL}?condition=milestone_overdue").json()["results"]
    assert [row["id"] for row in overdue] == [world.draft_agreement.pk]
    expiring = client.get(f"{URL}?condition=expiring_90_days").json()["results"]
    assert [row["id"] for row in expiring] == [world.lapsed_agreement.pk]
    contracts = client.get(f"{URL}?kind=contract&party=southern").json()["results"]
    assert [row["title"] for row in contracts] == ["Talking Space Plus subcontract"]
    assert client.get(f"{URL}?condition=whenever").status_code == 400


def test_a_page_of_agreements_costs_the_same_queries_whatever_its_length(world):
    def grow(n):
        for i in range(n):
            agreement = Agreement.objects.create(
                partnership=world.other_partnership,
                kind=AgreementKind.CONTRACT,
                title=f"Call-off {i}",
                status=AgreementStatus.DRAFT,
                term_end_date=local_today() + datetime.timedelta(days=400),
            )
            agreement.parties.create(organisation=world.other_org)
            agreement.milestones.create(title="Start", due_date=local_today())

    assert_list_cost_fixed(token_client(world)[0], f"{URL}?page_size=200", grow)


def test_the_coordinator_signs_and_brings_an_agreement_into_force_through_the_api(world):
    client, token = token_client(world, "coordinator")
    agreement_url = f"{URL}{world.approved_agreement.pk}/"
    party_url = f"/api/agreement-parties/{world.unsigned_party.pk}/"
    since = last_entry()

    early = send(client, "post", f"{agreement_url}bring-into-force/", {}, etag_of(client, agreement_url))
    assert early.status_code == 409  # the lifecycle's refusal, as the page gives it
    assert "sign" in early.json()["detail"].lower()
    assert Agreement.objects.get(pk=world.approved_agreement.pk).status == AgreementStatus.APPROVED

    signed_on = (local_today() - datetime.timedelta(days=2)).isoformat()
    data = {"signatory_name": "Dr Nick Broughton", "signatory_position": "Chief Executive", "signed_on": signed_on}
    assert send(client, "post", f"{party_url}sign/", data).status_code == 428  # no If-Match
    signed = send(client, "post", f"{party_url}sign/", data, etag_of(client, party_url))
    assert signed.status_code == 200, signed.content
    assert (signed.json()["signatory_name"], signed.json()["signed_on"]) == ("Dr Nick Broughton", signed_on)

    again = send(client, "post", f"{party_url}sign/", data, etag_of(client, party_url))
    assert again.status_code == 409 and "already signed" in again.json()["detail"]

    in_force = send(client, "post", f"{agreement_url}bring-into-force/", {}, etag_of(client, agreement_url))
    assert in_force.status_code == 200, in_force.content
    assert in_force.json()["status"] == "in_force"
    assert Agreement.objects.get(pk=world.approved_agreement.pk).status == AgreementStatus.IN_FORCE
    assert {e.object_label for e in api_entries(since, token)} >= {str(world.approved_agreement)}


def test_a_step_taken_on_a_stale_copy_or_out_of_turn_writes_nothing(world):
    client, _ = token_client(world, "coordinator")
    url = f"{URL}{world.draft_agreement.pk}/"
    stale = etag_of(client, url)
    assert send(client, "post", f"{url}send-for-comment/", {}, stale).status_code == 200
    before = state()
    assert send(client, "post", f"{url}return-to-draft/", {}, stale).status_code == 412  # not the version read
    refused = send(client, "post", f"{url}approve/", {"unknown": "x"}, etag_of(client, url))
    assert refused.status_code == 400 and "unknown" in refused.json()["errors"]
    out_of_turn = send(client, "post", f"{url}expire/", {}, etag_of(client, url))
    assert out_of_turn.status_code == 409
    assert state() == before


def test_starting_a_variation_answers_the_new_draft(world):
    client, token = token_client(world, "coordinator")
    url = f"{URL}{world.agreement_in_force.pk}/"
    since = last_entry()
    started = send(client, "post", f"{url}start-variation/", {}, etag_of(client, url))
    assert started.status_code == 200, started.content
    body = started.json()
    assert (body["status"], body["version"], body["varies"]) == ("draft", 2, world.agreement_in_force.pk)
    assert started["ETag"] == etag_of(client, f"{URL}{body['id']}/")
    assert Agreement.objects.get(pk=world.agreement_in_force.pk).status == AgreementStatus.IN_FORCE
    assert api_entries(since, token)


def test_terminating_needs_a_date_and_another_leads_agreement_is_not_theirs(world):
    client, _ = token_client(world, "coordinator")
    lead, _ = token_client(world, "other_lead")
    url = f"{URL}{world.agreement_in_force.pk}/"
    before = state()
    missing = send(client, "post", f"{url}terminate/", {}, etag_of(client, url))
    assert missing.status_code == 400 and "ended_on" in missing.json()["errors"]
    assert state() == before

    theirs = send(lead, "post", f"{url}terminate/", {"ended_on": local_today().isoformat()}, "x")
    assert theirs.status_code in (403, 404)
    assert state() == before
