"""Organisations through the API: the organisation pages' form, rules and messages, audited as
the API's. Who may call what is walked by ``tests/test_api_matrix.py``."""

from core.validators import NHS_NUMBER_MESSAGE
from organisations.models import Organisation, OrganisationKind
from tests.api_calls import api_entries, assert_list_cost_fixed, etag_of, last_entry, send, state, token_client
from tests.world import NHS_NUMBER

URL = "/api/organisations/"


def test_an_organisation_is_added_and_changed_with_its_version(world):
    client, token = token_client(world, "coordinator")
    since = last_entry()

    made = send(client, "post", URL, {"name": "  Oxford  Brookes University ", "kind": "academic", "ods_code": "rnu01"})

    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["name"], body["kind"], body["ods_code"]) == ("Oxford Brookes University", "academic", "RNU01")
    assert "name_key" not in body
    url = f"{URL}{body['id']}/"
    assert send(client, "patch", url, {"notes": "Research partner"}).status_code == 428
    saved = send(client, "patch", url, {"notes": "Research partner"}, made["ETag"])
    assert saved.status_code == 200, saved.content
    assert saved.json()["notes"] == "Research partner" and saved.json()["name"] == "Oxford Brookes University"
    assert Organisation.objects.get(pk=body["id"]).notes == "Research partner"
    entries = api_entries(since, token)
    assert [e.action for e in entries] == ["create", "update"]
    assert send(client, "patch", url, {"notes": "Stale"}, made["ETag"]).status_code == 412


def test_bad_input_gets_the_pages_messages_and_writes_nothing(world):
    client, _ = token_client(world, "coordinator")
    before = state()

    missing = send(client, "post", URL, {"kind": "vcse", "website": "oxfordhealth"})
    assert missing.status_code == 400
    errors = missing.json()["errors"]
    assert errors["name"] == ["Enter the organisation's name."]
    assert errors["website"] == ["Enter a full web address, for example https://www.oxfordhealth.nhs.uk."]

    url = f"{URL}{world.partner_org.pk}/"
    nhs = send(client, "patch", url, {"notes": f"Patient {NHS_NUMBER}"}, etag_of(client, url))
    assert nhs.status_code == 400 and nhs.json()["errors"]["notes"] == [NHS_NUMBER_MESSAGE]
    assert NHS_NUMBER not in nhs.content.decode()
    assert state() == before


def test_an_organisation_still_a_partner_is_not_deleted(world):
    client, _ = token_client(world, "administrator")
    url = f"{URL}{world.partner_org.pk}/"
    before = state()

    refused = send(client, "delete", url, etag=etag_of(client, url))

    assert refused.status_code == 409
    assert "other records still use it" in refused.json()["detail"]
    assert state() == before
    spare = f"{URL}{world.spare_org.pk}/"
    assert send(client, "delete", spare, etag=etag_of(client, spare)).status_code == 204
    assert not Organisation.objects.filter(pk=world.spare_org.pk).exists()


def test_the_list_filters_and_sorts_as_the_page_does(world):
    client, _ = token_client(world, "auditor")
    vcse = client.get(f"{URL}?kind=vcse").json()
    assert [row["name"] for row in vcse["results"]] == ["Oxfordshire Carers Forum"]
    searched = client.get(f"{URL}?q=southern").json()
    assert [row["name"] for row in searched["results"]] == ["Southern Health NHS Foundation Trust"]
    by_name = client.get(f"{URL}?sort=-name").json()["results"]
    assert [row["name"] for row in by_name] == sorted((row["name"] for row in by_name), reverse=True)
    refused = client.get(f"{URL}?kind=castle")
    assert refused.status_code == 400 and "kind" in refused.json()["errors"]


def test_a_page_of_organisations_costs_the_same_queries_whatever_its_length(world):
    def grow(n):
        Organisation.objects.bulk_create(
            Organisation(name=f"Extra {i}", name_key=f"extra {i}", kind=OrganisationKind.VCSE) for i in range(n)
        )

    assert_list_cost_fixed(token_client(world)[0], f"{URL}?page_size=100", grow, by=30)
