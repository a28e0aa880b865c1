"""The daily run as a background task (django-tasks), and how it is scheduled.

django-tasks has no periodic scheduler, so the day's run queues the next one: when it has
finished (or failed), it enqueues itself for 07:00 (Europe/London) the next day with
``run_after``. Each day has one ``ReminderRun`` row, written when that day's run is first
scheduled (unique per day), so however often the command, ``scripts/run`` or a finished run asks,
a day is queued once. If its queued task has gone (the queue emptied, the task failed),
scheduling the day again queues a new one. A worker that was stopped catches up when it comes
back: the overdue task runs at once for its own day and queues the next day, which is also due,
and so on until today (at most ``CATCH_UP_DAYS`` back; older days are skipped).
"""

import datetime
import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from core.dates import local_today

from . import services
from .models import ReminderRun

logger = logging.getLogger(__name__)

SEND_AT = datetime.time(7, 0)  # Europe/London
DIGEST_WEEKDAY = 0  # Monday
CATCH_UP_DAYS = 7
WAITING = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def send_time(day):
    """07:00 in Europe/London on ``day``, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, SEND_AT), timezone.get_default_timezone())


@task()
def send_daily(day=None):
    """Send ``day``'s reminders (and on Mondays the digests), then queue the next day's run."""
    today = local_today()
    day = datetime.date.fromisoformat(day) if day else today
    try:
        return run_day(day, today)
    finally:
        if send_daily.get_backend().supports_defer:
            schedule(max(day + datetime.timedelta(days=1), today - datetime.timedelta(days=CATCH_UP_DAYS)))


def run_day(day, today=None):
    """The run for ``day`` (its reminders and digests), once: a run already finished sends nothing."""
    today = today or local_today()
    if day > today:
        return {"day": day.isoformat(), "skipped": "not yet"}
    run = _run_row(day)
    if run.finished_at is not None:
        return {"day": day.isoformat(), "skipped": "already run"}
    outcome = services.Outcome()
    if today - day <= datetime.timedelta(days=CATCH_UP_DAYS):
        outcome = services.send_reminders(day)
        digests = services.send_digests(day) if day.weekday() == DIGEST_WEEKDAY else services.Outcome()
    else:
        digests = services.Outcome()
    run.reminders_sent = outcome.sent
    run.digests_sent = digests.sent
    run.already_sent = outcome.already_sent + digests.already_sent
    run.without_address = outcome.without_address + digests.without_address
    run.unconfirmed = services.unconfirmed()
    run.finished_at = timezone.now()
    run.save()  # the run's one audit entry, with its counts
    logger.info("Reminders of %s: %s sent, %s digests", day, run.reminders_sent, run.digests_sent)
    return {
        "day": day.isoformat(),
        "reminders": run.reminders_sent,
        "digests": run.digests_sent,
        "already_sent": run.already_sent,
        "without_address": run.without_address,
        "unconfirmed": run.unconfirmed,
    }


def _run_row(day):
    """The day's ``ReminderRun``, written without an audit entry if it is not there yet."""
    try:
        with transaction.atomic():
            ReminderRun.objects.bulk_create([ReminderRun(day=day)])
    except IntegrityError:
        pass
    return ReminderRun.objects.get(day=day)


def _waiting(run):
    """Is the day's queued task still to run (or running)?"""
    if not run.task_id or run.task_id.startswith("scheduling-"):
        return bool(run.task_id)
    try:
        return send_daily.get_result(run.task_id).status in WAITING
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return False


def schedule(day, now=False, again=False):
    """Queue ``day``'s run for 07:00 that day (``now``: at once) unless it is queued or done.
    ``again``: queue it even so (a worker was killed while running it, leaving its task
    "running" for ever; whatever that run sent stays claimed and is not sent twice).
    Returns the task's result, or ``None`` when nothing was queued."""
    now = now and day <= local_today()  # a day to come runs on its morning, never before
    run = _run_row(day)
    if run.finished_at is not None and not again:
        return None
    if _waiting(run) and not again:
        return None
    if again and run.finished_at is not None:
        ReminderRun.objects.filter(pk=run.pk).update(finished_at=None)
    at = None if now else send_time(day)
    backend = send_daily.get_backend()
    deferred = send_daily.using(run_after=at) if at and backend.supports_defer and at > timezone.now() else send_daily
    # Claim the scheduling (compare and set on the task id seen): of two callers at once, one queues.
    token = f"scheduling-{uuid.uuid4().hex[:40]}"
    claimed = ReminderRun.objects.filter(pk=run.pk, task_id=run.task_id).update(
        task_id=token, scheduled_for=at or timezone.now()
    )
    if not claimed:
        return None
    result = deferred.enqueue(day=day.isoformat())
    ReminderRun.objects.filter(pk=run.pk).update(task_id=result.id)
    return result
