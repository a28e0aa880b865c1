"""The review round pages as each role uses them: launching (with a register filter carried over),
the round page's progress, counts, not-responded list and changes, the tasks' export, a lead's
response through the task page, closing, and the partnership page's panel."""

import datetime

import pytest
from django.urls import reverse

from core.audit import audit_context
from core.dates import local_today
from partnerships.models import Partnership
from review_rounds import services
from review_rounds.models import Outcome, ReviewRound, ReviewTask
from tests.editing import opened_version, submitted
from tests.spreadsheets import read_records

pytestmark = pytest.mark.django_db

SOON = (local_today() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")


def test_the_coordinator_launches_a_round_for_a_filter_of_the_register(client, world):
    client.force_login(world.user("coordinator"))
    url = reverse("review_rounds:launch")
    page = client.get(url, {"filter": "status=active&q=Talking"}).content.decode()
    assert 'value="status=active&amp;q=Talking"' in page
    assert "9434765919" not in client.get(url, {"filter": "q=943 476 5919"}).content.decode()
    response = client.post(
        url,
        {
            "title": "Talking therapies review",
            "deadline": SOON,
            "kind": "filter",
            "register_filter": "status=active&q=Talking",
        },
    )
    review_round = ReviewRound.objects.get(title="Talking therapies review")
    assert response.status_code == 302 and response["Location"] == review_round.get_absolute_url()
    assert [t.partnership for t in review_round.tasks.all()] == [world.other_partnership]
    assert review_round.scope_description == "Open partnerships, register filter: Search: Talking; Status: Active"
    body = client.get(review_round.get_absolute_url()).content.decode()
    assert "Review round launched: Talking therapies review, 1 partnership to review." in body
    assert "0 of 1 responded (0%)" in body


def test_the_round_page_shows_progress_counts_who_has_not_responded_and_what_changed(client, world):
    with audit_context(user=world.user("owner"), source="test"):
        partnership = Partnership.objects.get(pk=world.partnership.pk)
        partnership.title = "Thames Valley Secure Care Network"
        partnership.save()
        services.respond(ReviewTask.objects.get(pk=world.spring_task.pk), Outcome.CONFIRMED, world.user("owner"))
    client.force_login(world.user("board_member"))
    body = client.get(world.spring_round.get_absolute_url()).content.decode()
    assert "1 of 2 responded (50%)" in body
    assert '<progress class="accord-progress" max="2" value="1"' in body
    assert "Updated and confirmed: 1" in body
    assert "Forensic services" in body and "No service area" in body
    assert "Olu Other" in body and "Anne Clarke" in body
    assert "1 partnership still to respond." in body
    assert "P-0002 Talking Space Plus" in body
    assert "1 partnership of the round changed on the register since it was launched" in body
    assert "Close the round" not in body  # a board member reads


def test_the_tasks_export_holds_the_rounds_tasks(client, world):
    services.respond(
        ReviewTask.objects.get(pk=world.spring_task.pk), Outcome.CLOSURE_PROPOSED, world.user("owner"), "Ended."
    )
    client.force_login(world.user("auditor"))
    response = client.get(reverse("review_rounds:tasks"), {"round": world.spring_round.pk, "export": "csv"})
    records = {r["Partnership"]: r for r in read_records(response)}
    assert set(records) == {str(world.partnership), str(world.other_partnership)}
    assert records[str(world.partnership)]["Outcome"] == "Closure proposed"
    assert records[str(world.partnership)]["Why it should close"] == "Ended."
    assert records[str(world.other_partnership)]["Outcome"] == "Not responded"


def test_a_lead_responds_from_the_task_page_and_another_lead_cannot(client, world):
    client.force_login(world.user("owner"))
    task_url = world.spring_task.get_absolute_url()
    page = client.get(task_url).content.decode()
    assert reverse("review_rounds:respond", args=[world.spring_task.pk]) in page
    assert reverse("partnerships:edit", args=[world.partnership.pk]) in page
    url = reverse("review_rounds:respond", args=[world.spring_task.pk])
    response = client.post(url, {**opened_version(client, url), "outcome": "confirmed", "note": "All as written."})
    assert response.status_code == 302 and response["Location"] == task_url
    task = ReviewTask.objects.get(pk=world.spring_task.pk)
    assert (task.outcome, task.responded_by, task.note) == (Outcome.CONFIRMED, world.user("owner"), "All as written.")
    client.force_login(world.user("other_lead"))
    page = client.get(task_url).content.decode()
    assert "Respond" not in page.split("<h2")[0].split("</dl>")[-1]
    assert client.get(url).status_code == 403


def test_a_task_with_no_lead_says_it_went_to_the_coordinator(client, world):
    with audit_context(user=world.user("coordinator"), source="test"):
        review_round = services.launch_round(
            "Carers review",
            local_today(),
            Partnership.objects.filter(pk=world.spare_partnership.pk),
            "Test",
            world.user("coordinator"),
        )
    client.force_login(world.user("coordinator"))
    body = client.get(review_round.tasks.get().get_absolute_url()).content.decode()
    assert "had no lead when the round was launched, so its task went to the coordinator who launched" in body


def test_closing_a_round_and_a_late_response(client, world):
    client.force_login(world.user("coordinator"))
    url = reverse("review_rounds:close", args=[world.spring_round.pk])
    assert "0 of 2 partnerships responded (0%)" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    page = client.get(url).content.decode()
    assert "cannot be closed again" in page
    response = client.post(url, follow=True)
    assert "cannot be closed again" in response.content.decode()
    client.force_login(world.user("owner"))
    respond = reverse("review_rounds:respond", args=[world.spring_task.pk])
    assert "The round has closed" in client.get(respond).content.decode()
    response = client.post(respond, {**opened_version(client, respond), "outcome": "confirmed"}, follow=True)
    assert "(late: the round had closed)" in response.content.decode()
    assert ReviewTask.objects.get(pk=world.spring_task.pk).late


def test_the_partnership_page_shows_the_latest_review_and_hides_it_from_partners(client, world):
    client.force_login(world.user("owner"))
    body = client.get(world.partnership.get_absolute_url()).content.decode()
    assert "Register review" in body
    assert "Respond to the review" in body
    assert f"{world.closed_task.responded_on.day} " in body and "Register spring clean 2025" in body
    client.force_login(world.user("contributor"))
    body = client.get(world.partnership.get_absolute_url()).content.decode()
    assert "Register review" not in body and "spring clean" not in body


def test_a_lead_can_list_their_own_tasks(client, world):
    client.force_login(world.user("other_lead"))
    body = client.get(reverse("review_rounds:tasks"), {"tasks": "mine"}).content.decode()
    assert "P-0002 Talking Space Plus" in body and "P-0001 Thames" not in body


def test_a_lead_updates_the_partnership_on_its_edit_page_then_confirms_and_it_is_recorded_as_updated(client, world):
    client.force_login(world.user("delegate"))
    edit = reverse("partnerships:edit", args=[world.partnership.pk])
    values = submitted(client.get(edit).content.decode())
    response = client.post(edit, {**values, "purpose": "Secure care close to home, and community teams."})
    assert response.status_code == 302 and response["Location"] == world.partnership.get_absolute_url()
    # The partnership's page leads back to the review.
    page = client.get(world.partnership.get_absolute_url()).content.decode()
    respond = reverse("review_rounds:respond", args=[world.spring_task.pk])
    assert f'href="{respond}"' in page
    response = client.post(respond, {**opened_version(client, respond), "outcome": "confirmed"}, follow=True)
    assert "Response recorded for P-0001 Thames Valley Forensic Network: Updated and confirmed" in (
        response.content.decode()
    )
    round_page = client.get(world.spring_round.get_absolute_url()).content.decode()
    assert "1 partnership of the round changed on the register since it was launched" in round_page
