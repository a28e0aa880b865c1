"""The incident pages: thin subclasses of the generic views in ``core.views``."""

from django.utils.text import Truncator

from core import markup
from core import views as generic
from core.roles import sees_as_partner
from incidents import selectors, services
from incidents.filters import IncidentFilter, LearningFilter
from incidents.forms import IncidentForm, MoveForm, PartnerIncidentForm
from incidents.models import Incident
from partnerships.models import Partnership


def _shared_with(incident):
    return "; ".join(o.name for o in incident.shared_with.all())


def _date(value):
    return value.strftime("%-d %b %Y") if value else ""


def _summary_link(incident):
    return markup.link(incident.get_absolute_url(), Truncator(incident.summary).chars(90))


def _kind_and_summary(incident):
    """The digest's incident cell: what, when, who reported it and the harm, then the summary."""
    return markup.joined(
        [
            markup.link(incident.get_absolute_url(), incident.get_kind_display()),
            f"of {_date(incident.occurred_on)}, reported by {incident.reported_by.name} "
            f"({incident.get_severity_display().lower()}): {Truncator(incident.summary).chars(120)}",
        ]
    )


def _text(name, label, sort=None, value=None, **options):
    """A column whose cell is its value, written in Python (no template per cell on a long list)."""
    column = generic.Column(name, label, sort=sort, value=value, **options)
    column.html = lambda obj: _date(column.value(obj)) if name.endswith("_on") else column.value(obj)
    return column


PARTNERSHIP = _text(
    "partnership", "Partnership", sort=["partnership__reference"], value=lambda i: i.partnership.reference
)
KIND = _text("kind", "Type", sort="kind")
OCCURRED = _text("occurred_on", "Date", sort="occurred_on")
REPORTED_BY = _text("reported_by", "Reported by", sort="reported_by__name", value=lambda i: i.reported_by.name)
SEVERITY = _text("severity", "Harm", sort="severity")


# The digest's download holds what the group reads on paper: the incident in full, not only its
# summary. Written row by row, not through the columns: it runs to thousands of rows.
DIGEST_HEADERS = [
    "Learning agreed",
    "Partnership",
    "Partnership title",
    "Type",
    "Date",
    "Reported by",
    "Harm",
    "Incident",
    "Immediate action",
    "Learning",
    "Shared with",
    "Status",
    "Trust reference",
]


def digest_row(i):
    return [
        i.learning_agreed_on,
        i.partnership.reference,
        i.partnership.title,
        i.get_kind_display(),
        i.occurred_on,
        i.reported_by.name,
        i.get_severity_display(),
        i.summary,
        i.immediate_action,
        i.learning,
        _shared_with(i),
        i.get_status_display(),
        i.trust_reference,
    ]


class IncidentListView(generic.ObjectListView):
    """Every incident the user may see, across the register: filtered, sorted, exported."""

    model = Incident
    filterset_class = IncidentFilter
    default_sort = "-occurred_on"
    export_formats = ("csv", "xlsx")
    columns = (
        generic.Column("summary", "Incident", html=_summary_link),
        PARTNERSHIP,
        KIND,
        OCCURRED,
        REPORTED_BY,
        SEVERITY,
        _text("status", "Status", sort="status"),
        _text("trust_reference", "Trust reference"),
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
        _text("learning_agreed_on", "Learning agreed", sort="learning_agreed_on"),
        PARTNERSHIP,
        generic.Column("summary", "Incident", html=_kind_and_summary),
        _text("learning", "Learning"),
        _text("shared_with", "Shared with", value=_shared_with),
    )

    def get_queryset(self):
        return selectors.learning_digest()

    def export_name(self):
        return "learning-digest"

    def export_headers_and_rows(self, queryset):
        return DIGEST_HEADERS, (digest_row(i) for i in queryset.iterator(chunk_size=2000))


class IncidentDetailView(generic.ObjectDetailView):
    model = Incident

    def get_queryset(self):
        return Incident.objects.select_related("partnership", "reported_by")

    def get_context_data(self):
        # A partner contributor (who reaches only the incidents shared with their organisation)
        # sees neither the trust's own incident reference nor its history.
        return {
            **super().get_context_data(),
            "shared_with": list(self.object.shared_with.order_by("name")),
            "partner": sees_as_partner(self.request.user),
        }


class IncidentEditView(generic.ObjectEditView):
    """Record an incident on a partnership, or change one. A partner contributor reports one into a
    partnership their organisation is a party to (``PartnerIncidentForm``) and changes none."""

    model = Incident
    form_class = IncidentForm
    parent_model = Partnership
    parent_field = "partnership"

    @property
    def partner(self):
        return sees_as_partner(self.request.user)

    def get_queryset(self):
        return Incident.objects.select_related("partnership")

    def get_form(self, data=None, files=None):
        if self.partner and self.is_create:
            instance = Incident(partnership=self.parent)
            return PartnerIncidentForm(data=data, files=files, instance=instance, user=self.request.user)
        return super().get_form(data, files)

    def save(self, form):
        if isinstance(form, PartnerIncidentForm):
            return services.report_incident(form.save(commit=False), self.request.user)
        return services.save_incident(form.save(commit=False), form.cleaned_data["shared_with"])

    def success_message(self, obj):
        if self.partner:
            return f"Thank you: the {obj.get_kind_display().lower()} is reported into {obj.partnership}."
        return super().success_message(obj)

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
