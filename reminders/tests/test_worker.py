"""The database queue and the worker itself: ``manage.py db_worker --batch`` runs the day's task,
which sends the reminders and queues the next day's run (07:00, Europe/London), once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.dates import local_today
from reminders import tasks
from reminders.models import ReminderRun, SentReminder

from .conftest import reminders_in

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def command(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_days_reminders_once_and_queues_tomorrow(database_queue, lead, make_partnership):
    today = local_today()
    make_partnership(lead, today + datetime.timedelta(days=7))
    make_partnership(lead, today)
    assert "Queued the reminders of" in command("enqueue_reminders")
    assert "already queued or sent" in command("enqueue_reminders")  # never two of one day
    command("db_worker", "--batch")
    assert len(reminders_in(mail.outbox, "reviews_overdue")) == 2
    assert SentReminder.objects.filter(kind="reviews_overdue", sent_at__isnull=False).count() == 2
    run = ReminderRun.objects.get(day=today)
    assert run.finished_at is not None and run.reminders_sent >= 2
    tomorrow = today + datetime.timedelta(days=1)
    [queued] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert queued.args_kwargs["kwargs"] == {"day": tomorrow.isoformat()}
    assert queued.run_after == tasks.send_time(tomorrow)

    # The worker started again, and the command run again (cron): nothing is sent twice, and
    # tomorrow is not queued a second time.
    mail.outbox.clear()
    assert "already queued or sent" in command("enqueue_reminders")
    assert tasks.schedule(tomorrow) is None
    command("db_worker", "--batch")
    assert reminders_in(mail.outbox) == []
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_day_whose_task_has_gone_is_queued_again(database_queue):
    today = local_today()
    first = tasks.schedule(today, now=True)
    DBTaskResult.objects.filter(id=first.id).delete()  # the queue emptied by hand
    second = tasks.schedule(today, now=True)
    assert second is not None and second.id != first.id
    assert ReminderRun.objects.get(day=today).task_id == second.id
