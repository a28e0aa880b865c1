"""The user page's "E-mail reminders" panel: shown on a person's own page only."""

from . import selectors
from .models import ReminderPreference


def user_reminders(request, user):
    if request.user.pk != user.pk:
        return None
    pref = ReminderPreference.objects.owned_by(user).first()
    off = set(pref.kinds_off) if pref else set()
    kinds = selectors.kinds_for(user)
    return {
        "kinds_on": sum(1 for s in kinds if s.name not in off),
        "kinds": len(kinds),
        "digest": pref.digest if pref else True,
    }
