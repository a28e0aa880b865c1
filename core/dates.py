"""Dates as the trust uses them: "today" is the date in Europe/London, written "30 March 2022".

Every rule that compares a date with today (overdue, expiring, a DSPT year, a date that may not be
in the future) asks :func:`local_today`, so a deadline passes at local midnight, not at UTC's.
"""

import datetime

from django.utils import timezone


def local_today(now=None):
    """The date in the project's time zone (Europe/London) at ``now``, by default this moment."""
    return timezone.localdate(now or timezone.now())


def day(date):
    """30 March 2022: a date as the trust writes it ("" when there is none)."""
    return f"{date.day} {date:%B %Y}" if date else ""


TYPED_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y")


def typed_day(text):
    """The date typed as ``text``, day first ("30/03/2022", "30.03.2022", "30 March 2022", or
    "2022-03-30"), or ``ValueError``: for the pages that read dates outside a Django form."""
    text = " ".join(str(text).split())
    for fmt in TYPED_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def typed_form(date):
    """``date`` as a date box shows it for typing over: 30/03/2022."""
    return f"{date:%d/%m/%Y}" if date else ""
