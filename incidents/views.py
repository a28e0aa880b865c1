"""The incident pages: thin subclasses of the generic views in ``core.views``."""

from core import views as generic
from incidents import selectors, services
from incidents.filters import IncidentFilter, LearningFilter
from incidents.forms import IncidentForm, MoveForm
from incidents.models import Incident
from partnerships.models import Partnership


def _shared_with(incident):
    return "; ".join(o.name for o in incident.shared_with.all())


PARTNERSHIP = generic.Column(
    "partnership", "Partnership", sort=["partnership__reference"], value=lambda i: i.partnership.reference
)
KIND = generic.Column("kind", "Type", sort="kind")
OCCURRED = generic.Column("occurred_on", "Date", sort="occurred_on")
REPORTED_BY = generic.Column("reported_by", "Reported by", sort="reported_by__name", value=lambda i: i.reported_by.name)
SEVERITY = generic.Column("severity", "Harm", sort="severity")


class IncidentListView(generic.ObjectListView):
    """Every incident the user may see, across the register: filtered, sorted, exported."""

    model = Incident
    filterset_class = IncidentFilter
    default_sort = "-occurred_on"
    export_formats = ("csv", "xlsx")
    columns = (
        generic.Column("summary", "Incident", template="incidents/includes/summary_cell.html"),
        PARTNERSHIP,
        KIND,
        OCCURRED,
        REPORTED_BY,
        SEVERITY,
        generic.Column("status", "Status", sort="status"),
        generic.Column("trust_reference", "Trust reference", shown=False),
    )

    def get_queryset(self):
        return selectors.incident_list()


class LearningDigestView(generic.ObjectListView):
    """The learning agreed in a period across the register, for the Partnership Management Group."""

    model = Incident
    filterset_class = LearningFilter
    template_name = "incidents/learning_digest.html"
    default_sort = "-learning_agreed_on"
    columns = (
        generic.Column("learning_agreed_on", "Learning agreed", sort="learning_agreed_on"),
        PARTNERSHIP,
        KIND,
        OCCURRED,
        REPORTED_BY,
        SEVERITY,
        generic.Column("summary", "Incident", template="incidents/includes/summary_cell.html"),
        generic.Column("learning", "Learning", template="incidents/includes/learning_cell.html"),
        generic.Column("shared_with", "Shared with", value=_shared_with),
    )

    def get_queryset(self):
        return selectors.learning_digest()

    def export_name(self):
        return "learning-digest"


class IncidentDetailView(generic.ObjectDetailView):
    model = Incident

    def get_queryset(self):
        return Incident.objects.select_related("partnership", "reported_by")

    def get_context_data(self):
        return {**super().get_context_data(), "shared_with": list(self.object.shared_with.order_by("name"))}


class IncidentEditView(generic.ObjectEditView):
    """Record an incident on a partnership, or change one."""

    model = Incident
    form_class = IncidentForm
    parent_model = Partnership
    parent_field = "partnership"

    def get_queryset(self):
        return Incident.objects.select_related("partnership")

    def save(self, form):
        return services.save_incident(form.save(commit=False), form.cleaned_data["shared_with"])

    def success_url(self, obj):
        return obj.get_absolute_url()


class IncidentMoveView(generic.ObjectEditView):
    """Move an incident to its next status (with the learning, before it is agreed)."""

    model = Incident
    form_class = MoveForm
    template_name = "incidents/incident_move.html"

    def get_queryset(self):
        return Incident.objects.select_related("partnership")

    def refusal(self):
        return services.transition_refusal(self.object, self.object.next_status)

    def save(self, form):
        data = form.cleaned_data
        return services.move_incident(self.object, data["new_status"], learning=data["learning"])

    def success_message(self, obj):
        return f"Incident now {obj.get_status_display().lower()}."


class IncidentHistoryView(generic.ObjectHistoryView):
    model = Incident
