"""Review rounds ("spring clean"): the coordinator asks every lead of a set of partnerships to
confirm that the register still says what is true of each, to update it, or to propose closing it.

A round (:class:`ReviewRound`) has a task per partnership (:class:`ReviewTask`), assigned at
launch to the partnership's lead (the coordinator who launched it when it has none). Who chose
which partnerships is kept in words (``scope_description``), never as a rule re-run later: the
round's partnerships are its tasks.
"""

from django.conf import settings
from django.db import models

from core.dates import local_today
from core.links import reverse_pk
from core.validators import reject_nhs_number
from partnerships.models import Partnership


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    PENDING = "pending", "Not responded"
    CONFIRMED = "confirmed", "Confirmed: still accurate"
    UPDATED = "updated", "Updated and confirmed"
    CLOSURE_PROPOSED = "closure_proposed", "Closure proposed"


# What a lead may answer (``updated`` is worked out from the partnership's audit trail).
ANSWERS = (Outcome.CONFIRMED, Outcome.CLOSURE_PROPOSED)
# Outcomes that confirm the register's entry: they stamp its next review date.
CONFIRMING = (Outcome.CONFIRMED, Outcome.UPDATED)
OUTCOME_COLOUR = {
    Outcome.PENDING: "grey",
    Outcome.CONFIRMED: "green",
    Outcome.UPDATED: "blue",
    Outcome.CLOSURE_PROPOSED: "orange",
}


class ReviewRound(models.Model):
    """A round of the register's review ("Register spring clean 2019")."""

    title = models.CharField(
        max_length=200, validators=[reject_nhs_number], help_text="For example, Register spring clean 2019."
    )
    launched_at = models.DateTimeField(editable=False)
    launched_on = models.DateField(editable=False)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    deadline = models.DateField(help_text="The date the leads are asked to respond by.")
    scope_description = models.CharField(
        "partnerships reviewed", max_length=500, editable=False, validators=[reject_nhs_number]
    )
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-launched_at", "-pk"]
        verbose_name = "review round"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_pk("review_rounds:detail", self.pk)

    @property
    def is_closed(self):
        return self.status == RoundStatus.CLOSED


class TaskQuerySet(models.QuerySet):
    def owned_by(self, user):
        """A lead's tasks: those assigned to them and those of the partnerships they lead or are
        delegated on (a subquery, never a list of ids)."""
        return self.filter(models.Q(assignee=user) | models.Q(partnership__in=Partnership.objects.owned_by(user)))

    def pending(self):
        return self.filter(outcome=Outcome.PENDING)

    def responded(self):
        return self.exclude(outcome=Outcome.PENDING)


class ReviewTask(models.Model):
    """One partnership of a round, for its lead to confirm, update or propose closing."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="tasks")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="review_tasks")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_tasks",
        editable=False,
        verbose_name="assigned to",
    )
    assigned_to_launcher = models.BooleanField(
        default=False, editable=False, help_text="The partnership had no lead: the coordinator who launched it has it."
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    closure_reason = models.TextField(
        "why it should close", blank=True, validators=[reject_nhs_number], help_text="Needed to propose closing it."
    )
    note = models.TextField(blank=True, validators=[reject_nhs_number])
    responded_on = models.DateField(null=True, blank=True, editable=False)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    late = models.BooleanField(default=False, editable=False, help_text="Responded after the round was closed.")

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["round", "partnership__reference", "pk"]
        verbose_name = "review task"
        constraints = [models.UniqueConstraint(fields=["round", "partnership"], name="one_task_per_partnership")]
        indexes = [
            models.Index(fields=["round", "outcome"], name="reviewtask_round_outcome_idx"),
            models.Index(fields=["assignee", "outcome"], name="reviewtask_assignee_idx"),
        ]

    def __str__(self):
        return f"{self.partnership.reference} in {self.round.title}"

    def get_absolute_url(self):
        return reverse_pk("review_rounds:task", self.pk)

    @property
    def is_pending(self):
        return self.outcome == Outcome.PENDING

    @property
    def outcome_colour(self):
        return OUTCOME_COLOUR.get(self.outcome, "grey")

    def is_overdue(self, today=None):
        return self.is_pending and self.round.deadline < (today or local_today())
