"""Governance in the API (``core.api``): bodies, meetings, decisions and their votes, the register
of interests and the declarations made on agenda items, served through the governance pages'
own views, so the decision rules (``governance.rules``) and their refusals are the API's."""

from core import registry

from . import views
from .forms import InterestForm
from .models import Body, Decision, Interest, ItemDeclaration, Meeting

DECISION_FIELDS = (
    "body",
    "item",
    "title",
    "proposal",
    "category",
    "affected",
    "written_procedure_closes_at",
    "status",
    "terms",
    "rule",
    "opened_at",
    "quorate_at_open",
    "closed_at",
    "quorate_at_close",
    "casting_vote",
    "outcome",
    "votes_for",
    "votes_against",
    "abstentions",
    "base",
    "explanation",
)

# The published register: an entry withheld from publication shows only that it is withheld
# (never why: ``withheld_reason`` is kept internally and is not in the API).
INTEREST_PUBLISHED = (
    *(name for name in InterestForm.Meta.fields if name not in ("withheld", "withheld_reason")),
    "membership",
    "declared_at_meeting",
    "supersedes",
)


def register():
    registry.api(
        "governance-bodies",
        Body,
        list_view=views.BodyListView,
        edit_view=views.BodyEditView,
        fields=("name", "kind", "parent", "purpose", "ends_on", "partnerships"),
    )
    registry.api(
        "meetings",
        Meeting,
        add_view=views.MeetingScheduleView,
        parent="body",
        fields=("body", "starts_at", "place", "status"),
        actions={"close": views.CloseMeetingView},
    )
    registry.api(
        "decisions",
        Decision,
        list_view=views.DecisionListView,
        add_view=views.DecisionAddView,
        parent="item",
        fields=DECISION_FIELDS,
        actions={"open": views.OpenVoteView, "vote": views.BallotView, "close": views.CloseVoteView},
    )
    registry.api(
        "interests",
        Interest,
        list_view=views.InterestListView,
        add_view=views.InterestAddView,
        fields=(*INTEREST_PUBLISHED, "withheld"),
        withhold=("withheld", INTEREST_PUBLISHED),
    )
    registry.api(
        "item-declarations",
        ItemDeclaration,
        add_view=views.ItemDeclarationView,
        parent="item",
        fields=("item", "membership", "details", "management", "interest", "declared_at"),
    )
