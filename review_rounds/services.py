"""The writes of review rounds, for the pages, the demo and anything else: launch a round, respond
to a task, close a round. Each checks its rule, refuses with a message that says why
(``ValidationError``), writes everything or nothing, and is audited by ``core.audit`` (signals for
ordinary saves, ``record_bulk`` for the tasks a launch creates in bulk).

The rules:

- a round is launched by the register's keepers for a non-empty set of partnerships, with a
  deadline not in the past; each partnership gets one task, assigned to its lead (an active user),
  or to the coordinator who launched the round when it has none;
- a lead confirms a task ("still accurate") or proposes closing the partnership (a reason is
  needed); a confirmation is "updated" when the partnership's entry (or its partners) was changed
  by anyone since the round was launched;
- a confirmation stamps the partnership's next review date, a year on unless a later one is set
  (:func:`next_review_after`, the one place the rule lives); the task's response date is the
  partnership's "last reviewed" date;
- a round is closed once; a response after that is accepted, kept and marked late;
- a response may be changed (the latest one counts), the task keeping who answered and when.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import audit
from core.dates import day, local_today
from core.models import AuditEntry
from partnerships.models import PartnerRole, Partnership, Status
from review_rounds.models import ANSWERS, CONFIRMING, Outcome, ReviewRound, ReviewTask, RoundStatus

BATCH = 1000
# The next review date a confirmation stamps is not a change of the entry (what "updated" and
# "what changed" look for) but the review itself: an update of that field alone, written in the
# same request as a review task's audit entry.
STAMPED = ["next_review_date"]
EMPTY_SELECTION = "No partnerships match that choice: choose another set of partnerships for the round."


def next_review_after(responded_on, current=None):
    """The next review date a confirmation sets: one year on from the response (28 February for a
    response on 29 February), or the date already set when that is later (a confirmation never
    brings a review forward). The one place the rule lives."""
    try:
        due = responded_on.replace(year=responded_on.year + 1)
    except ValueError:
        due = responded_on.replace(year=responded_on.year + 1, day=28)
    return max(due, current) if current else due


def open_partnerships():
    """The partnerships a round may review: every one not closed."""
    return Partnership.objects.exclude(status=Status.CLOSED)


def _check_launch(title, deadline, today):
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter the title of the round, for example Register spring clean 2019."
    if deadline is None:
        errors["deadline"] = "Enter the date the leads are asked to respond by."
    elif deadline < today:
        errors["deadline"] = f"The deadline must be today ({day(today)}) or later."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def launch_round(title, deadline, partnerships, scope_description, user, today=None, now=None):
    """Launch a round over ``partnerships`` (a queryset): one task each, created in bulk, batch by
    batch, with their audit entries (a fixed number of queries per thousand partnerships).

    ``today`` and ``now`` date the launch (the demo's 2019 round); the deadline is checked against
    ``today``. An empty selection is refused and nothing is written.
    """
    now = now or timezone.now()
    today = today or local_today(now)
    _check_launch(title, deadline, today)
    chosen = (
        partnerships.order_by("pk")
        .select_related("lead")
        .only(
            "pk",
            "reference",
            "title",
            "lead__id",
            "lead__is_active",
            "lead__first_name",
            "lead__last_name",
            "lead__username",
        )
    )
    if not chosen.exists():
        raise ValidationError(EMPTY_SELECTION)
    review_round = ReviewRound(
        title=title.strip(),
        deadline=deadline,
        launched_at=now,
        launched_on=today,
        launched_by=user,
        scope_description=scope_description[:500],
    )
    review_round.full_clean()
    review_round.save()
    batch = []
    for partnership in chosen.iterator(chunk_size=2000):
        lead = partnership.lead if partnership.lead_id and partnership.lead.is_active else None
        batch.append(
            ReviewTask(
                round=review_round,
                partnership=partnership,
                assignee=lead or user,
                assigned_to_launcher=lead is None,
            )
        )
        if len(batch) == BATCH:
            _create_tasks(batch)
            batch = []
    _create_tasks(batch)
    return review_round


def _create_tasks(tasks):
    if tasks:
        ReviewTask.objects.bulk_create(tasks, batch_size=BATCH)
        audit.record_bulk(tasks)


def changes_since(partnership_ids, since, until=None):
    """The audit entries that changed the partnerships' entries (or their partners) since
    ``since`` (and before ``until``), but for the review dates stamped by rounds: a queryset."""
    types = ContentType.objects.get_for_models(Partnership, PartnerRole, ReviewTask)
    partnership_type, partner_type = types[Partnership], types[PartnerRole]
    reviews = AuditEntry.objects.filter(object_type=types[ReviewTask]).values("request_id")
    return AuditEntry.objects.filter(
        Q(object_type=partnership_type, object_id__in=partnership_ids)
        | Q(object_type=partner_type, parent_type=partnership_type, parent_id__in=partnership_ids),
        timestamp__gte=since,
        **({"timestamp__lt": until} if until else {}),
    ).exclude(changed_fields=STAMPED, request_id__in=reviews)


def changed_since_launch(task, today):
    """Was the task's partnership changed by anyone between its round's launch and the end of
    ``today`` (the day of the response)?"""
    until = launch_date(today + datetime.timedelta(days=1)).replace(hour=0)
    return changes_since([task.partnership_id], task.round.launched_at, until).exists()


def respond_refusal(task, outcome, closure_reason):
    errors = {}
    if outcome not in ANSWERS:
        errors["outcome"] = "Choose whether the partnership is still accurate or should close."
    elif outcome == Outcome.CLOSURE_PROPOSED and not (closure_reason or "").strip():
        errors["closure_reason"] = "Say why the partnership should close."
    return errors


@transaction.atomic
def respond(task, outcome, user, closure_reason="", note="", today=None):
    """Record a lead's response to a task: confirmed (or updated, when the partnership changed
    since launch, which stamps its next review date) or closure proposed (with a reason). A
    response after the round closed is kept and marked late."""
    errors = respond_refusal(task, outcome, closure_reason)
    if errors:
        raise ValidationError(errors)
    today = today or local_today()
    ReviewRound.objects.select_for_update().filter(pk=task.round_id).first()
    task.round.refresh_from_db(fields=["status"])
    if outcome == Outcome.CONFIRMED and changed_since_launch(task, today):
        outcome = Outcome.UPDATED
    task.outcome = outcome
    task.closure_reason = (closure_reason or "").strip() if outcome == Outcome.CLOSURE_PROPOSED else ""
    task.note = (note or "").strip()
    task.responded_on = today
    task.responded_by = user
    task.late = task.round.status == RoundStatus.CLOSED
    task.full_clean()
    task.save()
    if outcome in CONFIRMING:
        stamp_next_review(task.partnership, today)
    return task


def stamp_next_review(partnership, responded_on):
    """Set the partnership's next review date from a confirmation (:func:`next_review_after`); its
    audit entry names that field alone, in the request of the task's response (``STAMPED``)."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    due = next_review_after(responded_on, partnership.next_review_date)
    if partnership.next_review_date == due:
        return
    partnership.next_review_date = due
    partnership.save(update_fields=["next_review_date", "updated_at"])


def close_refusal(review_round):
    if review_round.status == RoundStatus.CLOSED:
        return f"This round was closed on {day(review_round.closed_on)}: it cannot be closed again."
    return None


@transaction.atomic
def close_round(review_round, user, today=None, now=None):
    """Close a round (once). Tasks not responded to stay pending; later responses are marked late."""
    locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    refusal = close_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    now = now or timezone.now()
    locked.status = RoundStatus.CLOSED
    locked.closed_at = now
    locked.closed_on = today or local_today(now)
    locked.closed_by = user
    locked.save()
    return locked


def launch_date(value):
    """A date or datetime as the start of a day (for the demo's dated launch)."""
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time(9, 0)))
