"""Self-assessments in the API (``core.api``), read only: each organisation's assessment, its
status and score, as the assessments list shows them to each role. Answers are given on a page
of many questions at once (``AnswerView``), not through a record's form, so they are not here."""

from core import registry

from . import views
from .models import Assessment


def register():
    registry.api(
        "self-assessments",
        Assessment,
        list_view=views.AssessmentListView,
        fields=("issue", "organisation", "status", "submitted_on", "return_comment", "accepted_on", "score"),
    )
