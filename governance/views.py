from core import views as generic
from core.dates import local_today
from governance import selectors, services
from governance.filters import BodyFilter
from governance.forms import BodyForm, MeetingForm, MembershipForm, TermsOfReferenceForm
from governance.models import Body, Meeting, Membership, TermsOfReference


def _partnerships(body):
    return ", ".join(p.reference for p in body.partnerships.all())


class BodyListView(generic.ObjectListView):
    model = Body
    filterset_class = BodyFilter
    add_url_name = "governance:add"
    default_sort = "name"
    columns = (
        generic.Column("name", "Body", sort="name"),
        generic.Column("kind", "Kind", sort="kind"),
        generic.Column("parent", "Reports to", sort="parent__name", value=lambda b: b.parent.name if b.parent else ""),
        generic.Column("partnerships", "Partnerships governed", value=_partnerships),
        generic.Column("ends_on", "Stands down", sort="ends_on"),
    )

    def get_queryset(self):
        return Body.objects.select_related("parent").prefetch_related("partnerships")


class BodyDetailView(generic.ObjectDetailView):
    model = Body

    def get_queryset(self):
        return Body.objects.select_related("parent")

    def get_context_data(self):
        return {
            **super().get_context_data(),
            **selectors.body_page(self.object, local_today()),
            "can_add_meeting": generic.permitted_child(self.request.user, "add", Meeting, self.object),
        }


class BodyEditView(generic.ObjectEditView):
    model = Body
    form_class = BodyForm


class BodyHistoryView(generic.ObjectHistoryView):
    model = Body


class BodyChildEditView(generic.ObjectEditView):
    """Add (or change) a record of a body: the body's page is where the user comes back to."""

    parent_model = Body
    parent_field = "body"
    anchor = ""

    def get_queryset(self):
        return self.model._default_manager.select_related("body")

    def success_url(self, obj):
        return f"{self.parent.get_absolute_url()}#{self.anchor}"

    def cancel_url(self):
        return self.success_url(None)


class TermsOfReferenceAddView(BodyChildEditView):
    model = TermsOfReference
    form_class = TermsOfReferenceForm
    anchor = "terms"


class MembershipEditView(BodyChildEditView):
    model = Membership
    form_class = MembershipForm
    anchor = "members"


class MeetingScheduleView(BodyChildEditView):
    """Schedule a meeting: its agenda starts with the standing items."""

    model = Meeting
    form_class = MeetingForm

    def save(self, form):
        return services.schedule_meeting(form.save(commit=False))

    def success_url(self, obj):
        return obj.get_absolute_url()

    def cancel_url(self):
        return f"{self.parent.get_absolute_url()}#meetings"

    def success_message(self, obj):
        return f"Meeting scheduled: {obj}"


class MeetingDetailView(generic.ObjectDetailView):
    model = Meeting

    def get_queryset(self):
        return Meeting.objects.select_related("body")

    def get_context_data(self):
        return {**super().get_context_data(), **selectors.meeting_page(self.object)}
