"""What the review round pages read, each in a fixed number of queries however many tasks a round
has: its progress, its counts per service area and per lead (SQL aggregates), who has not
responded, what changed since launch, a partnership's latest review, and a lead's tasks due or
overdue for "needs attention"."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Case, Count, F, Max, Q, When

from core.dates import day
from core.permissions import ALL, grant, scope
from partnerships.models import Partnership
from review_rounds.models import Outcome, ReviewTask
from review_rounds.services import changes_since

DUE_SOON = datetime.timedelta(days=14)  # a pending task shows in "needs attention" this long before its deadline


def outcome_counts():
    return {
        "total": Count("pk"),
        "responded": Count("pk", filter=~Q(outcome=Outcome.PENDING)),
        "confirmed": Count("pk", filter=Q(outcome=Outcome.CONFIRMED)),
        "updated": Count("pk", filter=Q(outcome=Outcome.UPDATED)),
        "closure_proposed": Count("pk", filter=Q(outcome=Outcome.CLOSURE_PROPOSED)),
        "late": Count("pk", filter=Q(late=True)),
    }


def with_share(row):
    row["pending"] = row["total"] - row["responded"]
    # Rounded down: 499 of 500 is 99%, never a 100% that is not complete.
    row["percent"] = 100 * row["responded"] // row["total"] if row["total"] else 0
    return row


def progress(review_round):
    """{total, responded, confirmed, updated, closure_proposed, late, pending, percent}. One query."""
    return with_share(ReviewTask.objects.filter(round=review_round).aggregate(**outcome_counts()))


def by_service_area(review_round):
    """The counts per service area (the register's directorate grouping), by name. One query."""
    rows = (
        ReviewTask.objects.filter(round=review_round)
        .values("partnership__service_area__name")
        .annotate(**outcome_counts())
        .order_by("partnership__service_area__name")
    )
    return [with_share({**r, "name": r["partnership__service_area__name"] or "No service area"}) for r in rows]


def by_lead(review_round):
    """The counts per person the tasks are assigned to, by name. One query."""
    rows = (
        ReviewTask.objects.filter(round=review_round)
        .values("assignee_id", "assignee__first_name", "assignee__last_name", "assignee__username")
        .annotate(**outcome_counts())
        .order_by("assignee__first_name", "assignee__last_name", "assignee_id")
    )
    return [
        with_share(
            {
                **r,
                "name": f"{r['assignee__first_name']} {r['assignee__last_name']}".strip() or r["assignee__username"],
            }
        )
        for r in rows
    ]


def not_responded(review_round):
    """The round's tasks still pending, with their partnership and assignee (for a page of them)."""
    return (
        ReviewTask.objects.filter(round=review_round, outcome=Outcome.PENDING)
        .select_related("partnership", "assignee")
        .order_by("partnership__reference", "pk")
    )


CHANGES_SHOWN = 50


def what_changed(review_round):
    """(how many of the round's partnerships were changed since launch, the latest
    ``CHANGES_SHOWN`` of them as {partnership, changes, last}), a partner's change counting for its
    partnership; the review dates the round stamps are not changes. Three queries."""
    partnership_type = ContentType.objects.get_for_model(Partnership)
    ids = ReviewTask.objects.filter(round=review_round).values("partnership_id")
    rows = (
        changes_since(ids, review_round.launched_at, review_round.closed_at)
        .annotate(
            changed=Case(
                When(object_type=partnership_type, then=F("object_id")),
                default=F("parent_id"),
                output_field=BigIntegerField(),
            )
        )
        .values("changed")
        .annotate(changes=Count("pk"), last=Max("timestamp"))
        .order_by("-last", "changed")
    )
    total = rows.count()
    shown = list(rows[:CHANGES_SHOWN]) if total else []
    partnerships = Partnership.objects.in_bulk([r["changed"] for r in shown])
    changed = [
        {"partnership": partnerships[r["changed"]], "changes": r["changes"], "last": r["last"]}
        for r in shown
        if r["changed"] in partnerships
    ]
    return total, changed


def latest_task(user, partnership):
    """The partnership's review task the user may see that is waiting for a response (else its
    latest), and its latest confirmation (the partnership's "last reviewed"). Three queries."""
    visible = scope(user, "view", ReviewTask.objects.filter(partnership=partnership)).select_related(
        "round", "responded_by", "assignee"
    )
    newest_first = visible.order_by("-round__launched_at", "-pk")
    latest = newest_first.filter(outcome=Outcome.PENDING).first() or newest_first.first()
    reviewed = visible.filter(outcome__in=[Outcome.CONFIRMED, Outcome.UPDATED]).order_by("-responded_on", "-pk").first()
    return latest, reviewed


@dataclass(frozen=True)
class TaskDue:
    """A lead's review task not yet responded to, due soon or overdue (an item of "needs attention")."""

    task: ReviewTask
    tag: str
    colour: str

    @property
    def title(self):
        return f"Review {self.task.partnership}"

    @property
    def url(self):
        return self.task.get_absolute_url()

    @property
    def reference(self):
        return self.task.partnership.reference

    @property
    def due(self):
        return self.task.round.deadline

    @property
    def message(self):
        verb = "was due" if self.tag == "Review overdue" else "is due"
        return f"{self.task.round.title}: your response {verb} on {day(self.task.round.deadline)}."


def task_rows(user, today):
    """Pending review tasks whose deadline is within two weeks or past: the user's own, and for the
    register's keepers (who may respond to any) every one."""
    tasks = ReviewTask.objects.filter(outcome=Outcome.PENDING, round__deadline__lte=today + DUE_SOON)
    if grant(user, "change", ReviewTask) != ALL:
        tasks = tasks.filter(assignee=user)
    return tasks.select_related("round", "partnership").annotate(attention_due=F("round__deadline"))


def task_item(task, today):
    if task.round.deadline < today:
        return TaskDue(task, "Review overdue", "red")
    return TaskDue(task, "Review due", "yellow")
