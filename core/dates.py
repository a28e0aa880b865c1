"""Dates as the trust uses them: "today" is the date in Europe/London, written "30 March 2022".

Every rule that compares a date with today (overdue, expiring, a DSPT year, a date that may not be
in the future) asks :func:`local_today`, so a deadline passes at local midnight, not at UTC's.
"""

from django.utils import timezone


def local_today(now=None):
    """The date in the project's time zone (Europe/London) at ``now``, by default this moment."""
    return timezone.localdate(now or timezone.now())


def day(date):
    """30 March 2022: a date as the trust writes it ("" when there is none)."""
    return f"{date.day} {date:%B %Y}" if date else ""
