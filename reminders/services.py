"""Sending: the day's reminders and the week's digests, each claimed before it is sent.

At most once. A run writes its claims (``SentReminder``, unique per item, person and occasion)
with ``bulk_create(ignore_conflicts=True)`` and its own run id, reads back the claims that carry
its id (those no earlier run made), sends those through one connection of Django's e-mail
backend, a batch at a time, and stamps each batch ``sent_at``. A second run of the day, two
workers at once, or a worker killed at any point and started again, finds the claims there and
sends nothing again. The price: a worker killed between claiming and sending loses those
reminders (their claims keep no ``sent_at``, are counted as "unconfirmed" by the next run and
are never resent), which the issue prefers to a duplicate. If the e-mail server refuses a batch,
the claims not yet tried are released, so running the day again sends them.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from . import mail, selectors
from .models import DIGEST, ReminderPreference, SentReminder
from .occasions import iso_week

CLAIM_BATCH = 1000
SEND_BATCH = 500


@dataclass
class Outcome:
    sent: int = 0
    already_sent: int = 0
    without_address: int = 0
    by_kind: Counter = field(default_factory=Counter)

    def __add__(self, other):
        return Outcome(
            self.sent + other.sent,
            self.already_sent + other.already_sent,
            self.without_address + other.without_address,
            self.by_kind + other.by_kind,
        )


def recipients():
    """Everyone who may be e-mailed (active), with what each turned off: [(user, kinds off, digest)]."""
    users = list(get_user_model().objects.filter(is_active=True).order_by("pk"))
    prefs = {p.user_id: p for p in ReminderPreference.objects.all()}
    found = []
    for user in users:
        pref = prefs.get(user.pk)
        found.append((user, set(pref.kinds_off) if pref else set(), pref.digest if pref else True))
    return found


def send_reminders(today):
    """Remind everyone of their items for which ``today`` is an occasion (7 days before, the day,
    weekly while overdue), except the kinds each turned off; each reminder once only."""
    outcome, pending = Outcome(), []
    for user, kinds_off, _ in recipients():
        found = selectors.reminders_for(user, today, kinds_off)
        if not found:
            continue
        if not user.email:
            outcome.without_address += len(found)
            continue
        pending += [(user, due) for due in found]
    claims = [
        SentReminder(kind=due.kind, item_pk=due.pk, user=user, occasion=due.occasion, due=due.due)
        for user, due in pending
    ]
    messages = {(user.pk, due.kind, due.pk, due.occasion): (user, due) for user, due in pending}
    return outcome + _deliver(claims, lambda key: mail.reminder(messages[key][1], messages[key][0], today))


def send_digests(today):
    """The weekly digest: to everyone who has items and has not turned it off, once per ISO week."""
    outcome, pending, week = Outcome(), {}, iso_week(today)
    for user, kinds_off, wanted in recipients():
        if not wanted:
            continue
        items = selectors.digest_for(user, today, kinds_off)
        if not items:
            continue
        if not user.email:
            outcome.without_address += 1
            continue
        pending[user.pk] = (user, items)
    claims = [SentReminder(kind=DIGEST, item_pk=0, user=user, occasion=week) for user, _ in pending.values()]
    return outcome + _deliver(claims, lambda key: mail.digest(pending[key[0]][1], pending[key[0]][0], today))


def unconfirmed():
    """Claims whose run stopped before confirming them: maybe sent, never sent again."""
    return SentReminder.objects.filter(sent_at__isnull=True).count()


def _key(claim):
    return (claim.user_id, claim.kind, claim.item_pk, claim.occasion)


def _deliver(claims, message_for):
    """Claim ``claims`` under a new run id, then send the e-mail of each claim this run made."""
    run = uuid.uuid4()
    for claim in claims:
        claim.run = run
    for start in range(0, len(claims), CLAIM_BATCH):
        with transaction.atomic():
            SentReminder.objects.bulk_create(claims[start : start + CLAIM_BATCH], ignore_conflicts=True)
    ours = list(
        SentReminder.objects.filter(run=run, sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "user_id", "kind", "item_pk", "occasion")
    )
    outcome = Outcome(already_sent=len(claims) - len(ours))
    if not ours:
        return outcome
    connection = get_connection()
    connection.open()
    try:
        for start in range(0, len(ours), SEND_BATCH):
            batch = ours[start : start + SEND_BATCH]
            try:
                connection.send_messages([message_for((user, kind, pk, occ)) for _, user, kind, pk, occ in batch])
            except Exception:
                # The rest were never tried: release them, so that running the day again sends them.
                later = [row[0] for row in ours[start + SEND_BATCH :]]
                SentReminder.objects.filter(pk__in=later, sent_at__isnull=True).delete()
                raise
            SentReminder.objects.filter(pk__in=[row[0] for row in batch]).update(sent_at=timezone.now())
            outcome.sent += len(batch)
            outcome.by_kind.update(kind for _, _, kind, _, _ in batch)
    finally:
        connection.close()
    return outcome


def save_preferences(user, kinds_off, digest):
    """``user``'s choice of reminders (audited by the model's signals when anything changed)."""
    kinds_off = sorted(kinds_off)
    pref = ReminderPreference.objects.filter(user_id=user.pk).first()
    if pref is None:  # by id: the request's user is a lazy object, which the audit entry cannot name
        return ReminderPreference.objects.create(user_id=user.pk, kinds_off=kinds_off, digest=digest)
    if pref.kinds_off != kinds_off or pref.digest != digest:
        pref.kinds_off, pref.digest = kinds_off, digest
        pref.save()
    return pref
