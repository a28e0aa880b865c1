"""Peer reviews in the API (``core.api``): rounds, their operational areas with their ratings on
the five key questions, and the actions that follow, through the peer review pages' own views."""

from core import registry

from . import views
from .models import ReviewAction, ReviewArea, ReviewRound

KEY_QUESTIONS = ("safe", "effective", "caring", "responsive", "well_led")


def register():
    registry.api(
        "peer-reviews",
        ReviewRound,
        list_view=views.RoundListView,
        edit_view=views.RoundEditView,
        parent="partnership",
        fields=("partnership", "title", "start_date", "end_date", "reviewing_organisations", "reviewed_organisations"),
    )
    registry.api(
        "peer-review-areas",
        ReviewArea,
        edit_view=views.AreaEditView,
        parent="round",
        fields=("round", "name", "position", *(f for q in KEY_QUESTIONS for f in (q, f"{q}_findings"))),
        actions={"ratings": views.AreaRatingsView},
    )
    registry.api(
        "peer-review-actions",
        ReviewAction,
        edit_view=views.ActionEditView,
        parent="area",
        fields=("area", "key_question", "description", "owner", "due_date", "status"),
    )
