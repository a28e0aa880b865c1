"""What governance shows on other apps' pages (registered in ``governance/apps.py``)."""

from core.permissions import scope
from governance.models import Body


def partnership_governed_by(request, partnership):
    """The partnership page's "Governed by" section: the bodies the user may see that govern it."""
    bodies = scope(request.user, "view", Body.objects.filter(partnerships=partnership))
    bodies = list(bodies.select_related("parent").order_by("name"))
    return {"bodies": bodies} if bodies else None
