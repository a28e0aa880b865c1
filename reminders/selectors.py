"""Which items are reminded, and which a digest lists, read only from the "needs attention"
registry (``core.attention``): each kind's ``rows(user, today)`` annotated ``attention_due``, its
owner and its partnership. Nothing here knows another app.

A reminder goes to whoever the item is for: the owner of a kind that names one (a partnership's
lead, an action's owner), and, for a kind without an owner (the leads to confirm, say), everyone
whose ``rows`` list it (the register's keepers). Each person's items are read with their own
rights, one query per kind, whatever the number of items.

Most kinds list an item only once it is due, or once it is past due, so the items falling due in
7 days are read from ``rows(user, today + 8 days)``: that lists every item due on or before
``today + 7`` (and what is due or overdue today) whether the kind counts "due" from the day or
from the day after. An item whose "due" date is the day asked for (an IG gap: due now, whatever
the day) has no date to fall due on; it is in the digest but never reminded.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Func, Value
from django.db.models.fields import CharField, DateField, IntegerField
from django.db.models.functions import Mod

from core.attention import sources_for

from .occasions import AHEAD, OVERDUE_WEEKS, WEEK, occasion

LOOK_AHEAD = datetime.timedelta(days=AHEAD + 1)


@dataclass(frozen=True)
class Due:
    """An item for one person: its kind (name and label), id, title, page, partnership or body,
    due date, and the occasion today is for it (``None`` in a digest)."""

    kind: str
    label: str
    pk: int
    tag: str
    title: str
    url: str
    reference: str
    due: datetime.date
    occasion: str | None = None


class DayNumber(Func):
    """A date as a whole number of days (the same origin for every date of one database): a
    difference of two is the days between them."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((%(expressions)s)::date - DATE '2000-01-01')", **extra)


def on_an_occasion(rows, today):
    """``rows`` due on a day for which ``today`` is an occasion: 7 days ahead, today, or a whole
    number of weeks ago (up to ``OVERDUE_WEEKS``). Those days are all a multiple of 7 days from
    today, so the condition is one range and one remainder, in SQL."""
    weeks = Mod(DayNumber(Value(today, output_field=DateField())) - DayNumber(F("attention_due")), Value(7))
    return rows.annotate(reminder_weeks=weeks).filter(
        reminder_weeks=0,
        attention_due__gte=today - WEEK * OVERDUE_WEEKS,
        attention_due__lte=today + datetime.timedelta(days=AHEAD),
    )


def _on(path, name):
    return name if path == "pk" else f"{path}__{name}"


def _rows(source, user, today):
    """The kind's rows for ``user`` at ``today``: theirs only where the kind names an owner, with
    the partnership's reference beside them; ``None`` when nothing of the kind is theirs."""
    rows = source.rows(user, today)
    if rows.query.is_empty():
        return None
    if source.owner:
        rows = rows.filter(**{source.owner: user.pk})
    reference = F(_on(source.partnership, "reference")) if source.partnership else Value("", output_field=CharField())
    return rows.annotate(reminder_reference=reference)


def _due(source, row, today, occasion_key=None):
    item = source.item(row, today)
    return Due(
        kind=source.name,
        label=str(source.label),
        pk=row.pk,
        tag=str(item.tag),
        title=str(item.title),
        url=str(item.url),
        reference=row.reminder_reference or str(getattr(item, "reference", "") or ""),
        due=getattr(item, "due", None) or row.attention_due,
        occasion=occasion_key,
    )


def kinds_for(user, turned_off=()):
    """The kinds of item ``user`` may be reminded of, less those they turned off."""
    return [source for source in sources_for(user) if source.name not in turned_off]


def reminders_for(user, today, turned_off=()):
    """[Due] of ``user``'s items for which ``today`` is an occasion (7 days before, the day,
    weekly while overdue), read in one query per kind."""
    found = []
    for source in kinds_for(user, turned_off):
        rows = _rows(source, user, today + LOOK_AHEAD)
        if rows is None:
            continue
        for row in on_an_occasion(rows, today).order_by("attention_due", "pk"):
            key = occasion(row.attention_due, today)
            if key:
                found.append(_due(source, row, today, key))
    return found


def digest_for(user, today, turned_off=()):
    """[Due] of everything that needs ``user``'s attention now and what falls due within 7 days,
    soonest first: two queries per kind."""
    found = {}
    for source in kinds_for(user, turned_off):
        now = _rows(source, user, today)
        if now is not None:
            for row in now:
                found[(source.name, row.pk)] = _due(source, row, today)
        ahead = _rows(source, user, today + LOOK_AHEAD)
        if ahead is not None:
            upcoming = ahead.filter(attention_due__gt=today, attention_due__lte=today + datetime.timedelta(days=AHEAD))
            for row in upcoming:
                found.setdefault((source.name, row.pk), _due(source, row, today))
    return sorted(found.values(), key=lambda d: (d.due, d.label, d.title))
