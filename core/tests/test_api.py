"""The REST API as a program sees it: tokens, no lost updates, bad input, pages of rows, the schema.

Who may call what is walked for every endpoint and role by ``tests/test_api_matrix.py``.
"""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from accounts.tokens import create_token, revoke
from core.models import AuditEntry
from core.validators import NHS_NUMBER_MESSAGE
from partnerships.models import Partnership, Status
from tests.counting import measure
from tests.editing import opened_version
from tests.world import database_state, partnership_form_data

NHS_NUMBER = "943 476 5919"


def api(world, role="coordinator"):
    """A client holding a new token of ``role``'s user: (client, token)."""
    token, key = create_token(world.user(role), f"{role} script")
    return Client(headers={"Authorization": f"Bearer {key}"}), token


def patch(client, url, data, etag=None):
    headers = {"If-Match": etag} if etag else {}
    return client.patch(url, json.dumps(data), content_type="application/json", headers=headers)


def detail(world):
    return f"/api/partnerships/{world.partnership.pk}/"


def state():
    data = database_state()
    data.pop(ApiToken._meta.label)
    return data


# --- no lost updates ---------------------------------------------------------------------------


def test_a_record_carries_its_version_and_a_write_must_name_it(world):
    client, _ = api(world)
    read = client.get(detail(world))
    assert read.status_code == 200 and read["ETag"].startswith('"')
    before = state()

    missing = patch(client, detail(world), {"title": "Renamed"})
    assert missing.status_code == 428
    assert "If-Match" in missing.json()["detail"]
    assert state() == before

    saved = patch(client, detail(world), {"title": "Renamed"}, read["ETag"])
    assert saved.status_code == 200, saved.content
    assert saved.json()["title"] == "Renamed"
    assert saved["ETag"] != read["ETag"]
    assert Partnership.objects.get(pk=world.partnership.pk).title == "Renamed"


def test_two_api_clients_the_second_write_is_refused_not_lost(world):
    first, _ = api(world, "coordinator")
    second, _ = api(world, "administrator")
    etag_1, etag_2 = first.get(detail(world))["ETag"], second.get(detail(world))["ETag"]
    assert patch(first, detail(world), {"purpose": "First purpose"}, etag_1).status_code == 200
    before = state()

    late = patch(second, detail(world), {"title": "Second title"}, etag_2)

    assert late.status_code == 412
    assert "read it again" in late.json()["detail"].lower()
    assert state() == before
    stored = Partnership.objects.get(pk=world.partnership.pk)
    assert stored.purpose == "First purpose" and stored.title == world.partnership.title


def test_a_page_and_an_api_client_on_one_record(world, client):
    client.force_login(world.user("coordinator"))
    edit = reverse("partnerships:edit", args=[world.partnership.pk])
    opened = opened_version(client, edit)  # the page is opened first
    program, _ = api(world)
    etag = program.get(detail(world))["ETag"]
    assert patch(program, detail(world), {"purpose": "Changed by Power Automate"}, etag).status_code == 200

    page = client.post(edit, {**partnership_form_data(world.partnership, title="Page title"), **opened})

    assert page.status_code == 409  # the page says who changed what meanwhile
    assert Partnership.objects.get(pk=world.partnership.pk).title == world.partnership.title
    # …and the other way round: the page saves, then the program's write is refused.
    etag = program.get(detail(world))["ETag"]
    current = Partnership.objects.get(pk=world.partnership.pk)
    saved = client.post(edit, {**partnership_form_data(current, title="Page again"), **opened_version(client, edit)})
    assert saved.status_code == 302
    assert patch(program, detail(world), {"purpose": "Overwrite?"}, etag).status_code == 412
    assert Partnership.objects.get(pk=world.partnership.pk).purpose == "Changed by Power Automate"


def test_a_delete_needs_the_version_too(world):
    client, _ = api(world, "administrator")
    url = f"/api/partnerships/{world.spare_partnership.pk}/"
    assert client.delete(url).status_code == 428
    assert client.delete(url, headers={"If-Match": '"0000"'}).status_code == 412
    assert Partnership.objects.filter(pk=world.spare_partnership.pk).exists()
    assert client.delete(url, headers={"If-Match": client.get(url)["ETag"]}).status_code == 204
    assert not Partnership.objects.filter(pk=world.spare_partnership.pk).exists()


# --- bad input: the pages' messages, nothing written ---------------------------------------------


def test_an_nhs_number_is_refused_with_the_pages_message_and_never_echoed(world):
    client, _ = api(world)
    etag = client.get(detail(world))["ETag"]
    before = state()

    response = patch(client, detail(world), {"purpose": f"Patient {NHS_NUMBER} seen"}, etag)

    assert response.status_code == 400
    assert response.json()["errors"]["purpose"] == [NHS_NUMBER_MESSAGE]
    body = response.content.decode()
    assert "9434765919" not in body.replace(" ", "") and NHS_NUMBER not in body
    assert state() == before


def test_bad_values_name_each_field_and_write_nothing(world):
    client, _ = api(world)
    etag = client.get(detail(world))["ETag"]
    before = state()

    response = patch(
        client, detail(world), {"title": "", "end_date": "31/02/2024", "colour": "blue", "annual_value": "lots"}, etag
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors == {"colour": ["This field cannot be written here."]}  # an unknown name is never dropped
    response = patch(client, detail(world), {"title": "", "end_date": "31/02/2024", "annual_value": "lots"}, etag)
    errors = response.json()["errors"]
    assert errors["title"] == ["Enter the name of the partnership."]
    assert errors["end_date"] == ["Enter a real date, day first, for example 30/03/2022."]
    assert "annual_value" in errors
    assert state() == before


def test_json_that_is_not_an_object_is_refused(world):
    client, _ = api(world)
    etag = client.get(detail(world))["ETag"]
    for body in ("[1, 2]", "not json", '"title"'):
        response = client.patch(detail(world), body, content_type="application/json", headers={"If-Match": etag})
        assert response.status_code == 400, body
        assert "Traceback" not in response.content.decode()


def test_a_rule_of_the_pages_holds_in_the_api(world):
    """Closing through the API takes the close page's form: the end date is required."""
    client, _ = api(world)
    url = f"{detail(world)}close/"
    etag = client.get(detail(world))["ETag"]
    refused = client.post(url, "{}", content_type="application/json", headers={"If-Match": etag})
    assert refused.status_code == 400
    assert refused.json()["errors"]["end_date"][0].startswith("Enter the date the partnership ended")
    closed = client.post(
        url, json.dumps({"end_date": "2026-03-31"}), content_type="application/json", headers={"If-Match": etag}
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == Status.CLOSED and closed.json()["end_date"] == "2026-03-31"


def test_a_new_partner_role_names_its_partnership(world):
    client, _ = api(world)
    missing = client.post(
        "/api/partner-roles/", json.dumps({"organisation": world.spare_org.pk}), content_type="application/json"
    )
    assert missing.status_code == 400 and missing.json()["errors"] == {"partnership": ["This field is required."]}
    made = client.post(
        "/api/partner-roles/",
        json.dumps({"partnership": world.partnership.pk, "organisation": world.spare_org.pk, "role": "member"}),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["partnership"] == world.partnership.pk
    listed = client.get(f"/api/partner-roles/?partnership={world.partnership.pk}").json()
    assert made.json()["id"] in [row["id"] for row in listed["results"]]
    assert all(row["partnership"] == world.partnership.pk for row in listed["results"])


# --- tokens --------------------------------------------------------------------------------------


def test_writes_say_they_came_through_the_api_and_which_token(world):
    client, token = api(world)
    etag = client.get(detail(world))["ETag"]
    patch(client, detail(world), {"title": "Audited title"}, etag)
    entry = AuditEntry.objects.filter(object_id=world.partnership.pk).order_by("-pk").first()
    assert (entry.source, entry.token_id, entry.user_id) == ("api", token.pk, world.user("coordinator").pk)
    assert entry.through() == f"api, token {token}"


def test_a_revoked_or_expired_token_no_longer_signs_in(world):
    client, token = api(world)
    assert client.get("/api/partnerships/").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    revoke(token)
    refused = client.get("/api/partnerships/")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]

    expiring, key = create_token(world.user("coordinator"), "Short", expires_on=timezone.localdate())
    assert Client(headers={"Authorization": f"Bearer {key}"}).get("/api/partnerships/").status_code == 200
    ApiToken.objects.filter(pk=expiring.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert Client(headers={"Authorization": f"Bearer {key}"}).get("/api/partnerships/").status_code == 401
    assert Client(headers={"Authorization": "Bearer acc_made-up"}).get("/api/partnerships/").status_code == 401


def test_only_a_digest_of_the_key_is_kept(world):
    token, key = create_token(world.user("auditor"), "Audit export")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in json.dumps(stored, default=str)
    assert stored["prefix"] == key[:10]


def test_the_token_page_shows_a_new_key_once_and_revokes(world, client):
    client.force_login(world.user("owner"))
    page = reverse("accounts_own:api_tokens")
    made = client.post(page, {"name": "Power BI", "expires_on": ""}, follow=True)
    key = next(part for part in made.content.decode().split() if part.startswith('data-testid="token-key">acc_'))
    key = key.removeprefix('data-testid="token-key">').split("<")[0]
    assert Client(headers={"Authorization": f"Bearer {key}"}).get(detail(world)).status_code == 200
    again = client.get(page).content.decode()
    assert key not in again and "Power BI" in again  # shown once only
    token = ApiToken.objects.get(name="Power BI")
    client.post(reverse("accounts_own:api_token_revoke", args=[token.pk]))
    assert "Revoked" in client.get(page).content.decode()
    assert Client(headers={"Authorization": f"Bearer {key}"}).get(detail(world)).status_code == 401


# --- lists ---------------------------------------------------------------------------------------


def test_the_register_filters_sort_and_pages_as_on_the_page(world):
    client, _ = api(world)
    everything = client.get("/api/partnerships/?partnerships=all&sort=title&page_size=1").json()
    assert everything["count"] == Partnership.objects.count()
    assert len(everything["results"]) == 1 and everything["next"] and everything["previous"] is None
    first = Partnership.objects.order_by("title", "pk").first()
    assert everything["results"][0]["reference"] == first.reference
    second = client.get(everything["next"]).json()
    assert second["page"] == 2 and second["results"][0]["id"] != everything["results"][0]["id"]

    filtered = client.get("/api/partnerships/?partnerships=all&partner=Southern Health").json()
    assert [row["reference"] for row in filtered["results"]] == ["P-0002"]


def test_a_refused_filter_or_page_says_why(world):
    client, _ = api(world)
    for query in ("page_size=100000", "page=zero", "value_min=lots"):
        response = client.get(f"/api/partnerships/?partnerships=all&{query}")
        assert response.status_code == 400, query
        assert response.json()["errors"], query


@pytest.mark.parametrize("grow_by", [0, 30])
def test_a_page_of_the_register_costs_the_same_queries_whatever_its_length(world, grow_by):
    for i in range(grow_by):
        p = Partnership.objects.create(
            reference=f"P-9{i:03}", title=f"Extra {i}", arrangement_type=world.partnership.arrangement_type
        )
        p.strategic_objectives.add(world.objective)
        p.delegates.add(world.user("owner"))
    client, _ = api(world)
    queries, response = measure(client, "/api/partnerships/", {"partnerships": "all", "page_size": 100})
    assert len(response.json()["results"]) == min(100, Partnership.objects.count())
    assert queries <= 8


# --- the schema and its pages ----------------------------------------------------------------------


def test_the_schema_needs_a_signed_in_caller(world):
    assert Client().get("/api/schema/").status_code == 401
    client, _ = api(world, "auditor")
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    body = schema.json()
    assert "/api/partnerships/{id}/" in body["paths"]
    assert body["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_reference_pages_are_served_from_here(world, client):
    client.force_login(world.user("owner"))
    for name in ("api:docs", "api:redoc"):
        page = client.get(reverse(name))
        assert page.status_code == 200
        assert "https://" not in page.content.decode()  # no other host


def test_an_id_beyond_any_database_is_refused_not_a_server_error(world, client):
    """Found by the generated calls: a link given as an id no 64-bit column holds."""
    program, _ = api(world)
    etag = program.get(detail(world))["ETag"]
    response = patch(program, detail(world), {"strategic_objectives": [55340737300988182528], "lead": -(2**70)}, etag)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"strategic_objectives", "lead"}
    client.force_login(world.user("coordinator"))
    edit = reverse("partnerships:edit", args=[world.partnership.pk])
    page = client.post(edit, partnership_form_data(world.partnership, service_area="99999999999999999999"))
    assert page.status_code == 400


def test_a_record_as_read_can_be_sent_back_whole_with_one_change(world):
    """PUT of what GET gave, one field edited: the read-only fields sent back unchanged are fine,
    a read-only field changed is refused by name."""
    client, _ = api(world)
    read = client.get(detail(world))
    record = {**read.json(), "title": "Renamed by PUT"}
    put = client.put(
        detail(world), json.dumps(record), content_type="application/json", headers={"If-Match": read["ETag"]}
    )
    assert put.status_code == 200, put.content
    assert put.json()["title"] == "Renamed by PUT"
    again = {**put.json(), "created_at": "2001-01-01T00:00:00Z"}
    refused = client.put(
        detail(world), json.dumps(again), content_type="application/json", headers={"If-Match": put["ETag"]}
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"created_at": ["This field cannot be written here."]}


def test_a_token_needs_a_name_and_an_expiry_not_in_the_past(world, client):
    client.force_login(world.user("owner"))
    page = reverse("accounts_own:api_tokens")
    before = ApiToken.objects.count()
    refused = client.post(page, {"name": "", "expires_on": "01/01/2020"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Enter a name for the token" in body and "The expiry date must be today or later." in body
    refused = client.post(page, {"name": f"Token for {NHS_NUMBER}", "expires_on": ""})
    assert refused.status_code == 400 and NHS_NUMBER not in refused.content.decode()
    assert ApiToken.objects.count() == before
