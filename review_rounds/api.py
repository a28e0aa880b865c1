"""Review rounds in the API (``core.api``): launching a round of the register's review, closing it
(``POST /api/review-rounds/<id>/close/``), and each lead's task in it, answered through the review
round pages' own views."""

from core import registry

from . import views
from .models import ReviewRound, ReviewTask


def register():
    registry.api(
        "review-rounds",
        ReviewRound,
        list_view=views.RoundListView,
        add_view=views.LaunchView,
        fields=(
            "title",
            "scope_description",
            "deadline",
            "status",
            "launched_at",
            "launched_on",
            "launched_by",
            "closed_at",
            "closed_on",
            "closed_by",
        ),
        actions={"close": views.CloseRoundView},
    )
    registry.api(
        "review-tasks",
        ReviewTask,
        list_view=views.TaskListView,
        parent="round",
        fields=(
            "round",
            "partnership",
            "assignee",
            "assigned_to_launcher",
            "outcome",
            "closure_reason",
            "note",
            "responded_on",
            "responded_by",
            "late",
        ),
        actions={"respond": views.RespondView},
    )
