"""Peer reviews through the API: a round added on a partnership with the page's messages, an
area rated at the version read. Who may call what is walked by ``tests/test_api_matrix.py``."""

from peer_reviews.models import ReviewArea
from tests.api_calls import send, state, token_client


def test_a_round_is_refused_with_the_pages_messages_then_added(world):
    client, _ = token_client(world)
    round_ = {
        "partnership": world.partnership.pk,
        "title": "",
        "start_date": "2026-10-01",
        "end_date": "2026-09-01",
        "reviewing_organisations": [world.partner_org.pk],
        "reviewed_organisations": [world.home_trust.pk],
    }
    before = state()
    refused = send(client, "post", "/api/peer-reviews/", round_)
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert errors["title"][0].startswith("Enter the title of the round")
    assert errors["end_date"] == ["The end date must be the same as or after the start date."]
    assert state() == before

    made = send(client, "post", "/api/peer-reviews/", {**round_, "title": "Forensic network 2026", "end_date": ""})
    assert made.status_code == 201, made.content
    assert made.json()["partnership"] == world.partnership.pk


def test_an_area_is_rated_at_the_version_read(world):
    client, _ = token_client(world)
    url = f"/api/peer-review-areas/{world.area.pk}/"
    etag = client.get(url)["ETag"]
    assert send(client, "post", f"{url}ratings/", {"caring": "outstanding"}).status_code == 428

    rated = send(client, "post", f"{url}ratings/", {"caring": "outstanding"}, etag)

    assert rated.status_code == 200, rated.content
    assert rated.json()["caring"] == "outstanding"
    assert ReviewArea.objects.get(pk=world.area.pk).caring == "outstanding"
    assert send(client, "post", f"{url}ratings/", {"caring": "good"}, etag).status_code == 412


def test_another_leads_area_is_not_theirs_to_rate(world):
    client, _ = token_client(world, "other_lead")
    url = f"/api/peer-review-areas/{world.area.pk}/"
    before = state()
    refused = send(client, "post", f"{url}ratings/", {"safe": "inadequate"}, '"0"')
    assert refused.status_code in (403, 404)
    assert state() == before
