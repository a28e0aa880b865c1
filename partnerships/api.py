"""The register in the API (``core.api``): partnerships, their partners and headlines, served
through the register's own pages, so their rules and messages are the API's."""

from core import registry

from . import forms, views
from .models import Headline, PartnerRole, Partnership

# The edit form's fields and what the register records of its own: a field added to the form is in
# the API without a word here.
PARTNERSHIP_FIELDS = (*forms.PartnershipForm.Meta.fields, "status_changed_at", "created_at", "updated_at")


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
