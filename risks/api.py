"""Risk profiles in the API (``core.api``): risks (closed through the close page's form) and their
further actions, served through the risk pages' own views, so their rules and messages are the API's.

Escalated risks are the risks list's ``?escalated=true``. "No significant risk" in a domain takes
the domain from the page's address, which an API call cannot give (``core.api`` passes the parent
only), so it is recorded and withdrawn on the profile page; the heatmap and the risk matrix are
pages of their own.
"""

from core import registry

from . import forms, views
from .models import Risk, RiskAction

RISK_FIELDS = (
    "partnership",
    *forms.RiskForm.Meta.fields,
    "status",
    "closed_on",
    "closing_note",
    "created_at",
    "updated_at",
)


def register():
    registry.api(
        "risks",
        Risk,
        list_view=views.RiskListView,
        edit_view=views.RiskEditView,
        fields=RISK_FIELDS,
        actions={"close": views.RiskCloseView},
        parent="partnership",
    )
    registry.api(
        "risk-actions",
        RiskAction,
        edit_view=views.RiskActionEditView,
        delete_view=views.RiskActionDeleteView,
        parent="risk",  # shown: the further action form's fields
    )
