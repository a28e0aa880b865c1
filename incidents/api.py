"""Incidents in the API (``core.api``): recorded, changed and moved on through the incident pages'
own views, so the status rules and the learning required before it is agreed are the API's."""

from core import registry

from . import views
from .forms import IncidentForm
from .models import Incident


def register():
    registry.api(
        "incidents",
        Incident,
        list_view=views.IncidentListView,
        edit_view=views.IncidentEditView,
        parent="partnership",
        fields=("partnership", *IncidentForm.Meta.fields, "status", "learning_agreed_on", "recorded_on"),
        actions={"move": views.IncidentMoveView},
    )
