"""IG items through the API: the IG item page's form, rules (a document as evidence once in
place) and messages, audited as the API's. Who may call what is walked by
``tests/test_api_matrix.py``."""

import datetime

from assurance.models import IGDocument, IGItem, IGItemType
from core.dates import local_today
from core.validators import NHS_NUMBER_MESSAGE
from partnerships.models import Partnership
from tests.api_calls import api_entries, assert_list_cost_fixed, etag_of, last_entry, send, state, token_client
from tests.world import NHS_NUMBER, pdf_upload

URL = "/api/ig-items/"


def test_a_lead_records_an_ig_item_in_progress_then_updates_it(world):
    client, token = token_client(world, "owner")
    since = last_entry()

    made = send(client, "post", URL, {"partnership": world.partnership.pk, "item": "dpia", "status": "in_progress"})

    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["partnership"], body["item"], body["status"]) == (world.partnership.pk, "dpia", "in_progress")
    url = f"{URL}{body['id']}/"
    noted = send(client, "patch", url, {"notes": "With the DPO"}, made["ETag"])
    assert noted.status_code == 200, noted.content
    assert noted.json()["notes"] == "With the DPO" and noted.json()["item"] == "dpia"
    assert IGItem.objects.get(pk=body["id"]).notes == "With the DPO"
    entries = api_entries(since, token)  # the item's, and its derived IG state's
    assert [e.action for e in entries if e.object_type.model == "igitem"] == ["create", "update"]
    assert send(client, "patch", url, {"notes": "Late"}, made["ETag"]).status_code == 412


def test_an_item_in_place_needs_its_document_as_on_the_page(world):
    client, token = token_client(world, "coordinator")
    today = local_today()
    data = {
        "partnership": world.partnership.pk,
        "item": "caldicott",
        "status": "in_place",
        "approved_on": (today - datetime.timedelta(days=3)).isoformat(),
        "review_on": (today + datetime.timedelta(days=360)).isoformat(),
    }
    before = state()

    refused = send(client, "post", URL, data)

    assert refused.status_code == 400
    assert refused.json()["errors"] == {"file": ["Upload the document: an item in place needs one as evidence."]}
    assert state() == before
    since = last_entry()
    uploaded = client.post(URL, {**data, "file": pdf_upload("Caldicott approval.pdf", marker="% api\n")})
    assert uploaded.status_code == 201, uploaded.content
    item = IGItem.objects.get(pk=uploaded.json()["id"])
    assert item.status == "in_place"
    assert IGDocument.objects.get(item=item).version == 1
    api_entries(since, token)


def test_bad_input_gets_the_pages_messages_and_writes_nothing(world):
    client, _ = token_client(world, "coordinator")
    before = state()

    twice = send(client, "post", URL, {"partnership": world.partnership.pk, "item": "isa", "status": "in_progress"})
    assert twice.status_code == 400
    assert twice.json()["errors"]["item"] == [
        f"{IGItemType.ISA.label} is already recorded for this partnership: update that record instead."
    ]
    url = f"{URL}{world.ig_item.pk}/"
    nhs = send(client, "patch", url, {"notes": f"Patient {NHS_NUMBER}", "item": "dpia"}, etag_of(client, url))
    assert nhs.status_code == 400
    assert nhs.json()["errors"] == {"item": ["This field cannot be written here."]}  # fixed once recorded
    nhs = send(client, "patch", url, {"notes": f"Patient {NHS_NUMBER}"}, etag_of(client, url))
    assert nhs.json()["errors"]["notes"] == [NHS_NUMBER_MESSAGE]
    assert state() == before


def test_another_leads_partnership_is_not_theirs(world):
    client, _ = token_client(world, "other_lead")
    before = state()
    made = send(client, "post", URL, {"partnership": world.partnership.pk, "item": "ropa", "status": "in_progress"})
    assert made.status_code == 403
    url = f"{URL}{world.ig_item.pk}/"
    assert send(client, "patch", url, {"notes": "Mine"}, etag_of(client, url)).status_code == 403
    assert state() == before


def test_a_partnerships_items_are_listed_and_cost_the_same_queries_whatever_their_number(world):
    client, _ = token_client(world, "auditor")
    listed = client.get(f"{URL}?partnership={world.partnership.pk}").json()["results"]
    assert [row["id"] for row in listed] == [world.ig_item.pk]

    def grow(n):
        for i in range(n):
            partnership = Partnership.objects.create(
                reference=f"P-8{i:03}", title=f"Extra {i}", arrangement_type=world.partnership.arrangement_type
            )
            IGItem.objects.create(partnership=partnership, item=IGItemType.DPIA)

    assert_list_cost_fixed(client, f"{URL}?page_size=200", grow)
