"""What was sent to whom (``SentReminder``: the claim that makes a reminder go out once only),
what each person turned off (``ReminderPreference``) and each day's run (``ReminderRun``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.dates import day

DIGEST = "digest"  # the "kind" of a weekly digest's record (an attention kind is never called so)


class SentReminder(models.Model):
    """One reminder (or digest) claimed for one person: unique per item, person and occasion.

    A run first writes its claims (``bulk_create``, conflicts ignored) with its own ``run`` id,
    then sends only the claims that carry that id, then stamps ``sent_at``. A second run, or a
    worker restarted after a crash, finds the claim already there and sends nothing: at most once.
    A claim left with no ``sent_at`` belongs to a run that stopped between claiming and
    confirming (its e-mail may or may not have gone); it is counted, never sent again.
    """

    kind = models.CharField(max_length=60, editable=False)  # the "needs attention" kind's name, or DIGEST
    item_pk = models.BigIntegerField()  # the item's id within its kind (0 for a digest)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    occasion = models.CharField(
        max_length=40, editable=False
    )  # "7-days:2026-12-14", "due:…", "overdue-2:…", "2026-W50"
    due = models.DateField(null=True, blank=True)
    run = models.UUIDField(db_index=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "item_pk", "user", "occasion"], name="reminders_sent_once")
        ]
        indexes = [models.Index(fields=["sent_at", "claimed_at"], name="reminders_unconfirmed")]

    def __str__(self):
        return f"{self.kind} {self.item_pk} to user {self.user_id}: {self.occasion}"


class PreferenceQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)


class ReminderPreference(models.Model):
    """What one person turned off: the kinds of reminder (by name) and the weekly digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kinds_off = models.JSONField(default=list, blank=True)
    digest = models.BooleanField(default=True)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = "e-mail reminder settings"
        verbose_name_plural = "e-mail reminder settings"

    def __str__(self):
        return f"E-mail reminders of {self.user}"


class ReminderRun(models.Model):
    """One day's run of the reminders (and, on the digest day, the digests).

    The row is written when the day's run is first scheduled (``bulk_create``: unique per day, so
    the daily task is never queued twice for one day) and saved once, with its counts, when the
    run has finished: one audit entry per day, not one per e-mail."""

    day = models.DateField(unique=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveIntegerField(default=0)
    digests_sent = models.PositiveIntegerField(default=0)
    already_sent = models.PositiveIntegerField(default=0)
    without_address = models.PositiveIntegerField(default=0)
    unconfirmed = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"E-mail reminders of {day(self.day)}"
