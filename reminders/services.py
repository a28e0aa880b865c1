"""Sending: the day's reminders and the week's digests, each claimed before it is sent.

At most once. A run writes its claims (``SentReminder``, unique per item, person and occasion)
with ``bulk_create(ignore_conflicts=True)`` and its own run id, reads back the claims that carry
its id (those no earlier run made), sends those through one connection of Django's e-mail
backend, a batch at a time, and stamps each batch ``sent_at``. A second run of the day, two
workers at once, or a worker killed at any point and started again, finds the claims there and
sends nothing again. The price: a worker killed between claiming and sending loses those
reminders (their claims keep no ``sent_at``, are counted as "unconfirmed" by the next run and
are never resent), which the issue prefers to a duplicate. Claims are made a batch at a time,
just before the batch is sent, so a worker killed (or an e-mail server refusing a batch) loses
at most that batch: the batches after it were never claimed, and the next run sends them.
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

SEND_BATCH = 500  # claimed, sent and confirmed together


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
    """Claim and send ``claims`` a batch at a time, under a new run id: each batch is claimed,
    then the e-mails of the claims this run made (not those an earlier run made) are sent through
    one connection, then confirmed. A worker killed mid-run loses at most the batch it was
    sending; the batches after it were never claimed, and the next run sends them."""
    run = uuid.uuid4()
    outcome = Outcome()
    if not claims:
        return outcome
    connection = get_connection()
    connection.open()
    try:
        for start in range(0, len(claims), SEND_BATCH):
            batch = claims[start : start + SEND_BATCH]
            for claim in batch:
                claim.run = run
            with transaction.atomic():
                SentReminder.objects.bulk_create(batch, ignore_conflicts=True)
            ours = list(
                SentReminder.objects.filter(run=run, sent_at__isnull=True)
                .order_by("pk")
                .values_list("pk", "user_id", "kind", "item_pk", "occasion")
            )
            outcome.already_sent += len(batch) - len(ours)
            if not ours:
                continue
            connection.send_messages([message_for((user, kind, pk, occ)) for _, user, kind, pk, occ in ours])
            SentReminder.objects.filter(pk__in=[row[0] for row in ours]).update(sent_at=timezone.now())
            outcome.sent += len(ours)
            outcome.by_kind.update(kind for _, _, kind, _, _ in ours)
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
