"""What governance shows on other apps' pages (registered in ``governance/apps.py``)."""

from core.permissions import permitted, scope
from governance import selectors
from governance.models import Body, Decision, DecisionStatus, Programme


def partnership_governed_by(request, partnership):
    """The partnership page's "Governed by" section: the bodies the user may see that govern it."""
    bodies = scope(request.user, "view", Body.objects.filter(partnerships=partnership))
    bodies = list(bodies.select_related("parent").order_by("name"))
    return {"bodies": bodies} if bodies else None


def body_programmes(request, body):
    """The body page's "Programmes and disputes" section: its programmes with the stage each is at,
    and its open disputes."""
    programmes, disputes = selectors.body_programmes(body)
    can_add = permitted(request.user, "add", Programme)
    if not (programmes or disputes or can_add):
        return None
    return {"programmes": programmes, "disputes": disputes, "can_add": can_add}


def decision_links(request, decision):
    """The decision page's links: the programme stage it was raised on, what superseded it or what
    it supersedes, and its disputes (with the button to record one)."""
    links = selectors.decision_links(decision)
    can_dispute = decision.status == DecisionStatus.CLOSED and permitted(request.user, "dispute", Decision)
    if not (can_dispute or any(links.values())):
        return None
    return {**links, "can_dispute": can_dispute}
