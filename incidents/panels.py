"""What incidents show on other apps' pages (registered in ``incidents/apps.py``)."""

from core.permissions import grant
from core.roles import sees_as_partner
from core.views import permitted_child
from incidents import selectors
from incidents.models import Incident


def partnership_incidents(request, partnership):
    """The partnership page's "Incidents" section: its latest incidents, for those who may see them
    (a partner contributor: those shared with their organisation, and a link to report one)."""
    user = request.user
    if grant(user, "view", Incident) is None:
        return None
    incidents, more, still_open = selectors.partnership_incidents(user, partnership)
    can_add = permitted_child(user, "add", Incident, partnership)
    if not (incidents or can_add):
        return None
    return {
        "incidents": incidents,
        "more": more,
        "still_open": still_open,
        "can_add": can_add,
        "partner": sees_as_partner(user),  # only those shared with their organisation; no list page
    }
