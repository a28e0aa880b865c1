"""What review rounds show on the partnership page (registered in ``review_rounds/apps.py``): its
latest review task and outcome, and when it was last reviewed."""

from core.permissions import grant, permitted
from review_rounds import selectors
from review_rounds.models import ReviewTask


def partnership_review(request, partnership):
    """The partnership page's "Register review": nothing for a role that reads no tasks, or when
    the partnership was never in a round."""
    if grant(request.user, "view", ReviewTask) is None:
        return None
    latest, reviewed = selectors.latest_task(request.user, partnership)
    if latest is None:
        return None
    return {
        "latest": latest,
        "reviewed": reviewed,
        "can_respond": latest.is_pending and permitted(request.user, "change", latest),
    }
