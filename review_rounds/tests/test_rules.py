"""The review rounds' rules: launching (who gets which task, refusals, bulk and audited), responding
(confirmed, updated, closure proposed, late), closing, the next review date, the selections and the
items of "needs attention"."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit import audit_context
from core.dates import local_today
from core.models import AuditEntry, ServiceArea
from partnerships.models import Partnership, Status
from review_rounds import selection, selectors, services
from review_rounds.models import Outcome, ReviewRound, ReviewTask, RoundStatus
from tests.attention import items_of
from tests.world import NHS_NUMBER, make_user

pytestmark = pytest.mark.django_db

SOON = local_today() + datetime.timedelta(days=30)


def launch(w, partnerships, title="Spring clean", deadline=SOON):
    with audit_context(user=w.user("coordinator"), source="test"):
        return services.launch_round(title, deadline, partnerships, "Test", w.user("coordinator"))


def some_partnerships(n, lead=None, prefix="X"):
    Partnership.objects.bulk_create(
        Partnership(reference=f"{prefix}-{i:04d}", title=f"Partnership {i}", arrangement_type="informal", lead=lead)
        for i in range(n)
    )
    return Partnership.objects.filter(reference__startswith=f"{prefix}-")


def test_a_launch_gives_each_partnership_one_task_for_its_lead_or_the_coordinator(world):
    review_round = launch(world, Partnership.objects.filter(pk__in=[world.partnership.pk, world.spare_partnership.pk]))
    tasks = {t.partnership_id: t for t in review_round.tasks.all()}
    assert tasks[world.partnership.pk].assignee == world.user("owner")
    assert not tasks[world.partnership.pk].assigned_to_launcher
    # P-0009 has no lead: its task goes to the coordinator who launched the round, and says so.
    assert tasks[world.spare_partnership.pk].assignee == world.user("coordinator")
    assert tasks[world.spare_partnership.pk].assigned_to_launcher
    assert {t.outcome for t in tasks.values()} == {Outcome.PENDING}
    assert review_round.launched_by == world.user("coordinator") and review_round.status == RoundStatus.OPEN
    created = AuditEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(ReviewTask), object_id__in=[t.pk for t in tasks.values()]
    )
    assert created.filter(action="create").count() == 2
    assert {e.parent_label for e in created} == {"Spring clean"}


def test_a_launch_costs_the_same_number_of_queries_for_many_partnerships(world):
    lead = make_user("busy", first_name="Busy", last_name="Lead")
    few, many = some_partnerships(3, lead, "F"), some_partnerships(60, lead, "M")
    with CaptureQueriesContext(connection) as small:
        launch(world, few, "Few")
    with CaptureQueriesContext(connection) as large:
        launch(world, many, "Many")
    assert ReviewTask.objects.filter(round__title="Many").count() == 60
    assert len(small) == len(large)


def test_a_closed_partnership_is_never_in_a_round(world):
    closed = Partnership.objects.create(
        reference="P-0100",
        title="Ended",
        arrangement_type="informal",
        status=Status.CLOSED,
        end_date=datetime.date(2020, 1, 1),
    )
    queryset, description = selection.chosen(selection.ALL)
    assert not queryset.filter(pk=closed.pk).exists()
    assert queryset.filter(pk=world.partnership.pk).exists()
    assert description == "All open partnerships"


def test_refusals_write_nothing(world):
    rounds, tasks = ReviewRound.objects.count(), ReviewTask.objects.count()
    with pytest.raises(ValidationError, match="The deadline must be today"):
        launch(world, Partnership.objects.all(), deadline=local_today() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="No partnerships match"):
        launch(world, Partnership.objects.none())
    with pytest.raises(ValidationError, match="Enter the title"):
        launch(world, Partnership.objects.all(), title="  ")
    assert (ReviewRound.objects.count(), ReviewTask.objects.count()) == (rounds, tasks)


def test_selections_by_tier_service_area_and_register_filter(world):
    tier1, description = selection.chosen(selection.TIER, tier=1)
    assert world.partnership in tier1 and world.other_partnership in tier1  # £65m and £5.8m
    assert description == "Tier 1: open partnerships"
    area, description = selection.chosen(selection.SERVICE_AREA, service_area=world.service_area)
    assert list(area) == [world.partnership]
    assert description == "Service area: Forensic services: open partnerships"
    pasted = "https://accord.example/partnerships/?partnerships=mine&q=Talking&status=active&page=3"
    filtered, description = selection.chosen(selection.FILTER, register_filter=pasted)
    assert list(filtered) == [world.other_partnership]
    assert description == "Open partnerships, register filter: Search: Talking; Status: Active"
    with pytest.raises(ValidationError, match="The register's filters refuse this"):
        selection.chosen(selection.FILTER, register_filter="value_min=lots")
    with pytest.raises(ValidationError, match="Paste the address"):
        selection.chosen(selection.FILTER, register_filter="?sort=title")


def test_next_review_is_a_year_on_unless_a_later_one_is_set():
    assert services.next_review_after(datetime.date(2019, 6, 3)) == datetime.date(2020, 6, 3)
    assert services.next_review_after(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)
    later = datetime.date(2030, 4, 1)
    assert services.next_review_after(datetime.date(2019, 6, 3), later) == later
    assert services.next_review_after(datetime.date(2019, 6, 3), datetime.date(2019, 9, 1)) == datetime.date(2020, 6, 3)


def test_confirming_stamps_the_next_review_and_is_not_a_change_of_the_entry(world):
    review_round = launch(world, Partnership.objects.filter(pk=world.other_partnership.pk))
    task = review_round.tasks.get()
    with audit_context(user=world.user("other_lead"), source="test"):
        services.respond(task, Outcome.CONFIRMED, world.user("other_lead"), note="All correct.")
    task.refresh_from_db()
    assert (task.outcome, task.responded_on, task.responded_by, task.late) == (
        Outcome.CONFIRMED,
        local_today(),
        world.user("other_lead"),
        False,
    )
    assert Partnership.objects.get(pk=world.other_partnership.pk).next_review_date == services.next_review_after(
        local_today()
    )
    stamp = AuditEntry.objects.for_object(world.other_partnership).filter(changed_fields=["next_review_date"]).get()
    assert stamp.user == world.user("other_lead")
    assert selectors.what_changed(review_round) == (0, [])


def test_a_partnership_changed_since_launch_is_confirmed_as_updated(world):
    review_round = launch(world, Partnership.objects.filter(pk=world.partnership.pk))
    task = review_round.tasks.get()
    with audit_context(user=world.user("delegate"), source="test"):
        partnership = Partnership.objects.get(pk=world.partnership.pk)
        partnership.purpose = "Secure care close to home, and community forensic teams."
        partnership.save()
        services.respond(task, Outcome.CONFIRMED, world.user("delegate"))
    assert ReviewTask.objects.get(pk=task.pk).outcome == Outcome.UPDATED
    total, changed = selectors.what_changed(review_round)
    assert total == 1 and changed[0]["partnership"] == world.partnership and changed[0]["changes"] == 1


def test_proposing_closure_needs_a_reason_and_no_nhs_number(world):
    task = world.spring_task
    before = ReviewTask.objects.get(pk=task.pk)
    with pytest.raises(ValidationError) as refused:
        services.respond(task, Outcome.CLOSURE_PROPOSED, world.user("owner"), closure_reason=" ")
    assert refused.value.message_dict == {"closure_reason": ["Say why the partnership should close."]}
    with pytest.raises(ValidationError, match="NHS number"):
        services.respond(
            ReviewTask.objects.get(pk=task.pk), Outcome.CLOSURE_PROPOSED, world.user("owner"), f"Patient {NHS_NUMBER}"
        )
    with pytest.raises(ValidationError):
        services.respond(ReviewTask.objects.get(pk=task.pk), Outcome.UPDATED, world.user("owner"))
    after = ReviewTask.objects.get(pk=task.pk)
    assert (after.outcome, after.closure_reason, after.responded_on) == (before.outcome, "", None)
    next_review = Partnership.objects.get(pk=world.partnership.pk).next_review_date
    services.respond(after, Outcome.CLOSURE_PROPOSED, world.user("owner"), "Merged into the provider collaborative.")
    after.refresh_from_db()
    assert after.outcome == Outcome.CLOSURE_PROPOSED and after.closure_reason.startswith("Merged")
    assert Partnership.objects.get(pk=world.partnership.pk).next_review_date == next_review  # not confirmed


def test_a_round_closes_once_and_later_responses_are_kept_and_marked_late(world):
    review_round = services.close_round(world.spring_round, world.user("coordinator"))
    assert (review_round.status, review_round.closed_on, review_round.closed_by) == (
        RoundStatus.CLOSED,
        local_today(),
        world.user("coordinator"),
    )
    with pytest.raises(ValidationError, match="cannot be closed again"):
        services.close_round(review_round, world.user("administrator"))
    task = services.respond(
        ReviewTask.objects.get(pk=world.other_spring_task.pk), Outcome.CONFIRMED, world.user("other_lead")
    )
    assert ReviewTask.objects.get(pk=task.pk).late
    assert selectors.progress(review_round)["late"] == 1


def test_progress_and_counts_per_service_area_and_lead_are_sql_aggregates(world):
    services.respond(ReviewTask.objects.get(pk=world.spring_task.pk), Outcome.CONFIRMED, world.user("owner"))
    progress = selectors.progress(world.spring_round)
    assert (progress["total"], progress["responded"], progress["pending"], progress["percent"]) == (2, 1, 1, 50)
    areas = {r["name"]: (r["total"], r["responded"]) for r in selectors.by_service_area(world.spring_round)}
    assert areas == {"Forensic services": (1, 1), "No service area": (1, 0)}
    leads = {r["name"]: (r["total"], r["pending"]) for r in selectors.by_lead(world.spring_round)}
    assert leads == {"Anne Clarke": (1, 0), "Olu Other": (1, 1)}
    assert [t.pk for t in selectors.not_responded(world.spring_round)] == [world.other_spring_task.pk]


def test_needs_attention_lists_a_leads_own_pending_tasks_due_soon_or_overdue(world):
    deadline = world.spring_round.deadline
    assert items_of("review_tasks_due", world.user("owner"), deadline - datetime.timedelta(days=20)) == []
    due = items_of("review_tasks_due", world.user("owner"), deadline - datetime.timedelta(days=3))
    assert [(i.tag, i.reference, i.due) for i in due] == [("Review due", "P-0001", deadline)]
    overdue = items_of("review_tasks_due", world.user("owner"), deadline + datetime.timedelta(days=1))
    assert [(i.tag, i.colour) for i in overdue] == [("Review overdue", "red")]
    assert "your response was due on" in overdue[0].message
    assert (
        items_of("review_tasks_due", world.user("other_lead"), deadline + datetime.timedelta(days=1))[0].reference
        == "P-0002"
    )
    assert items_of("review_tasks_due", world.user("executive"), deadline + datetime.timedelta(days=1)) == []
    services.respond(ReviewTask.objects.get(pk=world.spring_task.pk), Outcome.CONFIRMED, world.user("owner"))
    assert items_of("review_tasks_due", world.user("owner"), deadline + datetime.timedelta(days=1)) == []


def test_a_service_area_with_no_open_partnership_is_an_empty_selection(world):
    area = ServiceArea.objects.get(pk=world.spare_area.pk)
    queryset, _ = selection.chosen(selection.SERVICE_AREA, service_area=area)
    with pytest.raises(ValidationError, match="No partnerships match"):
        launch(world, queryset)


def test_the_share_responded_is_rounded_down():
    assert selectors.with_share({"total": 500, "responded": 312})["percent"] == 62
    assert selectors.with_share({"total": 500, "responded": 499})["percent"] == 99
    assert selectors.with_share({"total": 0, "responded": 0})["percent"] == 0
