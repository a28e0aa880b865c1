"""Queue the day's reminders for the worker (``manage.py db_worker``): for cron or a systemd timer,
and ``scripts/run``. The run, once done, queues the next day's itself (07:00, Europe/London)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from core.dates import local_today
from reminders.tasks import schedule, send_time


class Command(BaseCommand):
    help = "Queue a day's e-mail reminders and digests (today's, at once, by default)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="the day to send for, YYYY-MM-DD (default: today in Europe/London)")
        parser.add_argument(
            "--again",
            action="store_true",
            help="queue the day even if it is queued or sent (after a worker was killed mid-run): "
            "what was sent is not sent again",
        )
        parser.add_argument(
            "--at-seven", action="store_true", help="run at 07:00 that day (Europe/London) rather than at once"
        )

    def handle(self, *args, **options):
        try:
            day = datetime.date.fromisoformat(options["day"]) if options["day"] else local_today()
        except ValueError as error:
            raise CommandError(f"--day: {error}") from error
        result = schedule(day, now=not options["at_seven"], again=options["again"])
        if result is None:
            self.stdout.write(f"The reminders of {day} are already queued or sent.")
        else:
            when = send_time(day) if options["at_seven"] else "now"
            self.stdout.write(f"Queued the reminders of {day} ({when}): task {result.id}.")
