"""The register in the API (``core.api``): partnerships, their partners and headlines, served
through the register's own pages, so their rules and messages are the API's."""

from core import registry

from . import views
from .models import Headline, PartnerRole, Partnership

PARTNERSHIP_FIELDS = (
    "reference",
    "title",
    "purpose",
    "arrangement_type",
    "trust_role",
    "status",
    "status_changed_at",
    "lead",
    "recorded_lead",
    "delegates",
    "executive_sponsor",
    "service_area",
    "annual_value",
    "value_qualifier",
    "value_note",
    "start_date",
    "end_date",
    "next_review_date",
    "strategic_objectives",
    "material_contribution",
    "baf_themes",
    "data_sharing",
    "standard_signed_on",
    "notes",
    "created_at",
    "updated_at",
)


def register():
    registry.api(
        "partnerships",
        Partnership,
        list_view=views.PartnershipListView,
        edit_view=views.PartnershipEditView,
        delete_view=views.PartnershipDeleteView,
        fields=PARTNERSHIP_FIELDS,
        actions={"close": views.PartnershipCloseView},
    )
    registry.api(
        "partner-roles",
        PartnerRole,
        edit_view=views.PartnerRoleEditView,
        delete_view=views.PartnerRoleDeleteView,
        parent="partnership",
    )
    registry.api(
        "headlines",
        Headline,
        edit_view=views.HeadlineEditView,
        delete_view=views.HeadlineDeleteView,
        parent="partnership",
        fields=("date", "text", "for_board_report", "author"),
    )
