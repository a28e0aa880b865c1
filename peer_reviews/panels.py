"""What peer reviews show on the partnership page (registered in ``peer_reviews/apps.py``)."""

from core.permissions import grant
from core.views import permitted_child
from peer_reviews import selectors
from peer_reviews.models import KeyQuestion, ReviewRound


def partnership_rounds(request, partnership):
    """The partnership page's "Peer quality reviews": its rounds, and the latest one's grid with the
    change from the round before it. Nothing for a role that reads no rounds."""
    if grant(request.user, "view", ReviewRound) is None:
        return None
    rounds, previous, rows = selectors.partnership_rounds(request.user, partnership)
    can_add = permitted_child(request.user, "add", ReviewRound, partnership)
    if not (rounds or can_add):
        return None
    return {
        "rounds": rounds,
        "latest": rounds[0] if rounds else None,
        "previous": previous,
        "rows": rows,
        "key_questions": list(KeyQuestion),
        "can_add": can_add,
    }
