"""Partner organisations in the API (``core.api``), served through their own pages, so the
organisations' rules and messages are the API's."""

from core import registry

from . import views
from .models import Organisation


def register():
    registry.api(
        "organisations",
        Organisation,
        list_view=views.OrganisationListView,
        edit_view=views.OrganisationEditView,
        delete_view=views.OrganisationDeleteView,
        # Shown: the organisation form's fields (not the name's internal matching key).
    )
