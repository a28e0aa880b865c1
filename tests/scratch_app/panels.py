from django.db.models import F

from core.permissions import scope
from core.views import permitted_child
from tests.scratch_app.models import Visit


def partnership_visits(request, partnership):
    visits = scope(request.user, "view", Visit.objects.filter(partnership=partnership))
    return {"visits": list(visits), "can_add_visit": permitted_child(request.user, "add", Visit, partnership)}


def follow_ups(user, today):
    """Visits whose follow-up date has passed, for whoever may add visits to the partnership."""
    due = scope(user, "add", Visit.objects.filter(follow_up_by__lt=today).select_related("partnership"))
    return due.annotate(attention_due=F("follow_up_by"))


class FollowUp:
    tag, colour = "Follow-up due", "red"

    def __init__(self, visit, today):
        self.title = str(visit)
        self.url = visit.get_absolute_url()
        self.reference = visit.partnership.reference
        self.message = f"Follow up the visit by {visit.follow_up_by:%d %B %Y}."
        self.due = visit.follow_up_by
