"""Review rounds through the API: launched by the register's keepers with the launch page's
messages, each lead answering their task at the version read. Who may call what is walked by
``tests/test_api_matrix.py``."""

import datetime

from core.dates import local_today
from review_rounds.models import ReviewRound, ReviewTask
from tests.api_calls import send, state, token_client


def test_a_round_is_launched_by_a_keeper_with_the_pages_messages(world):
    client, _ = token_client(world)
    before = state()
    refused = send(client, "post", "/api/review-rounds/", {"title": "", "deadline": "2020-01-01", "kind": "tier"})
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert errors["title"][0].startswith("Enter the title of the round")
    assert errors["deadline"][0].startswith("The deadline must be today")
    assert state() == before

    deadline = (local_today() + datetime.timedelta(days=30)).isoformat()
    launch = {"title": "Tier 1 review 2027", "deadline": deadline, "kind": "tier", "tier": "1"}
    made = send(client, "post", "/api/review-rounds/", launch)
    assert made.status_code == 201, made.content
    assert ReviewTask.objects.filter(round_id=made.json()["id"], partnership=world.partnership).exists()
    owner, _ = token_client(world, "owner")
    assert send(owner, "post", "/api/review-rounds/", {**launch, "title": "Mine"}).status_code == 403
    assert not ReviewRound.objects.filter(title="Mine").exists()


def test_a_lead_answers_their_task_at_the_version_read(world):
    client, _ = token_client(world, "owner")
    url = f"/api/review-tasks/{world.spring_task.pk}/"
    etag = client.get(url)["ETag"]
    refused = send(client, "post", f"{url}respond/", {"outcome": "closure_proposed", "closure_reason": ""}, etag)
    assert refused.status_code == 400
    assert refused.json()["errors"]["closure_reason"] == ["Say why the partnership should close."]

    answered = send(client, "post", f"{url}respond/", {"outcome": "confirmed", "note": "As the register says."}, etag)

    assert answered.status_code == 200, answered.content
    assert answered.json()["outcome"] == "confirmed" and answered.json()["responded_by"] == world.user("owner").pk
    tasks = client.get(f"/api/review-tasks/?round={world.spring_round.pk}").json()["results"]
    assert world.spring_task.pk in [t["id"] for t in tasks]


def test_the_coordinator_closes_a_round_once_at_the_version_read(world):
    client, _ = token_client(world)
    lead, _ = token_client(world, "owner")
    url = f"/api/review-rounds/{world.spring_round.pk}/"
    before = state()
    assert send(lead, "post", f"{url}close/", {}, client.get(url)["ETag"]).status_code == 403
    assert send(client, "post", f"{url}close/", {}).status_code == 428
    assert state() == before

    closed = send(client, "post", f"{url}close/", {}, client.get(url)["ETag"])

    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert (body["status"], body["closed_by"], body["closed_on"]) == (
        "closed",
        world.user("coordinator").pk,
        local_today().isoformat(),
    )
    after = state()
    again = send(client, "post", f"{url}close/", {}, closed["ETag"])
    assert again.status_code == 409 and "cannot be closed again" in again.json()["detail"]
    assert state() == after
