"""What self-assessments show on the organisation page (registered in ``self_assessments/apps.py``)."""

from core.permissions import grant, permitted
from self_assessments import selectors
from self_assessments.models import Assessment, Issue


def organisation_assessments(request, organisation):
    user = request.user
    if grant(user, "view", Assessment) is None:
        return None
    assessments = selectors.organisation_assessments(user, organisation)
    can_issue = permitted(user, "add", Issue)
    if not (assessments or can_issue):
        return None
    return {"assessments": assessments, "can_issue": can_issue}
