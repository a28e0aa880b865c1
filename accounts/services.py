"""Changes to accounts that are not a form's save: lifting a lock-out."""

from axes.utils import reset
from django.db import transaction
from django.utils import timezone

from accounts.selectors import locked_until
from core import audit


@transaction.atomic
def unlock(user):
    """Forget the failed logins against ``user``'s username, so they can log in at once.

    The lock lives in django-axes' records, not in an Accord table, so lifting one is written to
    the audit trail here, as a change to the user (when there was a lock to lift).
    """
    until = locked_until(user)
    reset(username=user.username)
    if until is not None:
        local = timezone.localtime(until)
        locked = f"Locked until {local:%H:%M} on {local.day} {local:%b %Y}"
        audit.record_change(user, {"login_lock": locked}, {"login_lock": "Unlocked"})
