"""Whether an account is locked after repeated failed logins.

The lock-out itself is django-axes' (configured in settings: per username, not per address).
This reads the same records so that an administrator can see a lock (and lift it:
``accounts.services.unlock``).
"""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def locked_until(user):
    """When the lock on ``user``'s account ends, or ``None`` when it is not locked."""
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.filter(username=user.username)
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) < settings.AXES_FAILURE_LIMIT:
        return None
    return totals["last"] + cool_off if cool_off is not None else totals["last"]
