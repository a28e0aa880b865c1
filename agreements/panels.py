"""What the agreements app shows on other apps' pages (registered in ``agreements/apps.py``)."""

from agreements.models import Agreement
from agreements.selectors import with_commencement
from core.permissions import scope
from core.roles import sees_as_partner
from core.views import permitted_child


def partnership_agreements(request, partnership):
    """The partnership page's "Agreements" section: its agreements, and whether one may be added."""
    agreements = scope(request.user, "view", Agreement.objects.filter(partnership=partnership))
    return {
        "agreements": list(with_commencement(agreements.order_by("title", "version"))),
        "can_add_agreement": permitted_child(request.user, "add", Agreement, partnership),
    }


def agreements_for_partners(request, partnership):
    """A partner contributor's partnership page: each agreement's title, kind and status only
    (the agreements' own pages are the trust's). The page has checked they may see the partnership."""
    if not sees_as_partner(request.user):
        return None
    return {"agreements": list(Agreement.objects.filter(partnership=partnership).order_by("title", "version"))}
