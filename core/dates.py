"""The trust's calendar: today's date in Europe/London, and dates written as the trust writes them."""

from django.utils import timezone


def local_today(now=None):
    """The date in Europe/London at ``now`` (default: this moment), not UTC's.

    A milestone due on the day the clocks change is overdue from local midnight.
    """
    return timezone.localdate(now or timezone.now())


def day(date):
    """30 March 2022: the date as the trust writes it."""
    return f"{date.day} {date:%B %Y}"
