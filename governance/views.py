from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core import papers
from core import views as generic
from core.dates import day, local_today
from governance import documents, selectors, services
from governance.filters import BodyFilter, DecisionFilter, InterestFilter
from governance.forms import (
    ActionForm,
    AgendaItemForm,
    ApproveMinutesForm,
    ApproveReopenForm,
    AttendanceForm,
    BallotForm,
    BodyForm,
    CloseVoteForm,
    ConfirmForm,
    DecisionForm,
    DeclarationReviewForm,
    DisputeForm,
    EscalateDisputeForm,
    GatewayDecisionForm,
    InterestForm,
    ItemDeclarationForm,
    MeetingForm,
    MembershipForm,
    MinutesForm,
    ProgrammeForm,
    RefuseReopenForm,
    ReopenRequestForm,
    ResolveDisputeForm,
    TermsOfReferenceForm,
    WrittenDecisionForm,
)
from governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    DeclarationReview,
    Dispute,
    Interest,
    ItemDeclaration,
    Meeting,
    Membership,
    Minutes,
    Programme,
    ReopenRequest,
    TermsOfReference,
)


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


def _closed_on(decision):
    return day(timezone.localdate(decision.closed_at)) if decision.closed_at else ""


class DecisionListView(generic.ObjectListView):
    """Every decision of the bodies the user may read, across bodies: filtered, sorted, exported."""

    model = Decision
    filterset_class = DecisionFilter
    default_sort = "-closed_at"
    columns = (
        generic.Column("title", "Decision", sort="title"),
        generic.Column("body", "Body", sort=["body__name", "title"], value=lambda d: d.body.name),
        generic.Column("category", "Category", sort=["category", "title"], value=lambda d: f"Category {d.category}"),
        generic.Column("status", "Status", sort=["status", "title"]),
        generic.Column("outcome", "Result", sort=["outcome", "title"]),
        generic.Column("closed_at", "Closed on", sort=["closed_at", "title"], value=_closed_on),
    )

    def get_queryset(self):
        return Decision.objects.select_related("body")


class BodyDetailView(generic.ObjectDetailView):
    model = Body

    def get_queryset(self):
        return Body.objects.select_related("parent")

    def get_context_data(self):
        return {
            **super().get_context_data(),
            **selectors.body_page(self.object, local_today()),
            "can_add_meeting": generic.permitted_child(self.request.user, "add", Meeting, self.object),
            "can_run": generic.permitted_child(self.request.user, "change", Action, self.object),
            "can_add_decision": generic.permitted_child(self.request.user, "add", Decision, self.object),
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


class WrittenDecisionAddView(BodyChildEditView):
    """Put a decision to the body by written procedure, between meetings, with its closing time."""

    model = Decision
    form_class = WrittenDecisionForm

    def save(self, form):
        return services.raise_decision(form.save(commit=False), form.cleaned_data["affected"])

    def success_url(self, obj):
        return obj.get_absolute_url()

    def cancel_url(self):
        return f"{self.parent.get_absolute_url()}#decisions"


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
        return {
            **super().get_context_data(),
            **selectors.meeting_page(self.object),
            "can_run": generic.permitted(self.request.user, "close", self.object),
        }


class MeetingChildAddView(generic.ObjectEditView):
    """Add a record to a meeting (an item, a member's attendance): back to the meeting's page."""

    parent_model = Meeting
    parent_field = "meeting"
    anchor = ""

    def success_url(self, obj):
        return f"{self.parent.get_absolute_url()}#{self.anchor}"

    def cancel_url(self):
        return self.success_url(None)


class AttendanceView(MeetingChildAddView):
    """Record (or correct) a member's attendance: one record a member, replaced when recorded again."""

    model = Attendance
    form_class = AttendanceForm
    anchor = "attendance"

    def save(self, form):
        return services.record_attendance(form.save(commit=False))

    def success_message(self, obj):
        return f"Attendance recorded: {obj}"


class AgendaItemAddView(MeetingChildAddView):
    model = AgendaItem
    form_class = AgendaItemForm
    anchor = "agenda"

    def save(self, form):
        return services.add_item(form.save(commit=False))


class ActionEditView(MeetingChildAddView):
    """Add an action raised at a meeting, or change one (its status: done or dropped)."""

    model = Action
    form_class = ActionForm
    anchor = "actions"

    def get_queryset(self):
        return Action.objects.select_related("meeting__body")

    def save(self, form):
        return services.save_action(form.save(commit=False))


class DeclarationReviewView(MeetingChildAddView):
    """Review at this meeting a declaration made at an earlier one of the body."""

    model = DeclarationReview
    form_class = DeclarationReviewForm
    anchor = "declarations-review"

    def get_form(self, data=None, files=None):
        carried = selectors.carried_over(self.parent, None)
        form = DeclarationReviewForm(
            data=data,
            instance=DeclarationReview(meeting=self.parent),
            user=self.request.user,
            pending=carried["interests"] + carried["item_declarations"],
        )
        form.initial.setdefault("declaration", self.request.GET.get("declaration", ""))
        return form

    def save(self, form):
        data = form.cleaned_data
        return services.review_declaration(
            self.parent,
            data["declaration"],
            data["outcome"],
            action_taken=data.get("action_taken", ""),
            category=data.get("category", ""),
            user=self.request.user,
        )

    def success_message(self, obj):
        return f"Declaration reviewed: {obj.get_outcome_display().lower()}."


class ItemChildAddView(generic.ObjectEditView):
    """Add a record to an agenda item (a declaration, a decision): back to the meeting's page."""

    parent_model = AgendaItem
    parent_field = "item"

    def item_url(self):
        return f"{self.parent.meeting.get_absolute_url()}#item-{self.parent.number}"

    def success_url(self, obj):
        return self.item_url()

    def cancel_url(self):
        return self.item_url()


class ItemDeclarationView(ItemChildAddView):
    model = ItemDeclaration
    form_class = ItemDeclarationForm

    def save(self, form):
        return services.declare_on_item(form.save(commit=False))


class DecisionAddView(ItemChildAddView):
    model = Decision
    form_class = DecisionForm

    def save(self, form):
        return services.raise_decision(form.save(commit=False), form.cleaned_data["affected"])

    def success_url(self, obj):
        return obj.get_absolute_url()


class PaperView(generic.ObjectMixin, View):
    """A record's paper as Word or PDF, for whoever may read the page it comes from."""

    fmt = None  # "docx" or "pdf": from the URL
    template_name = None  # the PDF's

    def get(self, request, pk):
        self.check()
        return papers.download(self.paper(), self.fmt, self.template_name)

    def paper(self):
        raise NotImplementedError


class DecisionPaperView(PaperView):
    model = Decision
    template_name = documents.DECISION_TEMPLATE

    def get_queryset(self):
        return Decision.objects.select_related("body", "item__meeting", "terms")

    def paper(self):
        return documents.decision_paper(self.object)


class MinutesPaperView(PaperView):
    model = Meeting
    template_name = documents.MINUTES_TEMPLATE

    def get_queryset(self):
        return Meeting.objects.select_related("body")

    def paper(self):
        return documents.minutes_paper(self.object)


class DecisionDetailView(generic.ObjectDetailView):
    model = Decision

    def get_queryset(self):
        return Decision.objects.select_related("body", "item__meeting", "terms")

    def get_context_data(self):
        return {
            **super().get_context_data(),
            **selectors.decision_page(self.object),
            "can_run_vote": generic.permitted(self.request.user, "vote", self.object),
        }


class StepView(generic.ObjectMixin, View):
    """One step of a meeting or a decision: a page with a button (and a few fields for some).

    The user needs the step's right (``action``) on the record; the step itself is a service
    function, which refuses with a message when the record's state does not allow it (for
    every role, administrators included): the page answers 400 with the message, nothing written.
    """

    form_class = ConfirmForm
    template_name = "governance/step.html"
    title = ""
    button = ""
    intro = ""
    error_field = None  # the form field a refusal is shown against (None: the whole form)

    def get_form(self, data=None):
        return self.form_class(data, user=self.request.user, **{self.model._meta.model_name: self.object})

    def get(self, request, pk):
        self.check()
        return self.render(self.get_form())

    def post(self, request, pk):
        self.check()
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    self.perform(form)
            except ValidationError as error:
                form.add_error(self.error_field, error.messages)
            else:
                messages.success(request, self.done_message())
                return redirect(self.done_url())
        return self.render(form, status=400)

    def perform(self, form):
        raise NotImplementedError

    def done_url(self):
        return self.object.get_absolute_url()

    def done_message(self):
        return f"{self.title}: done."

    def render(self, form, status=200):
        context = {"view": self, "form": form, "object": self.object, "cancel_url": self.object.get_absolute_url()}
        return render(self.request, self.template_name, context, status=status)


class DecisionStepView(StepView):
    model = Decision
    action = "vote"

    def get_queryset(self):
        return Decision.objects.select_related("body", "item__meeting")


class OpenVoteView(DecisionStepView):
    title = "Open the vote"
    button = "Open the vote"
    intro = (
        "The rule of the terms of reference in force is copied onto the decision and never changes after; "
        "who may vote, and why others may not, is recorded now."
    )

    def perform(self, form):
        services.open_vote(self.object)


class BallotView(DecisionStepView):
    form_class = BallotForm
    title = "Record a vote"
    button = "Record the vote"
    intro = "A changed vote is recorded as a new vote: the member's last vote counts."
    error_field = "membership"

    def perform(self, form):
        services.cast_ballot(
            self.object, form.cleaned_data["membership"], form.cleaned_data["vote"], recorded_by=self.request.user
        )


class CloseVoteView(DecisionStepView):
    form_class = CloseVoteForm
    title = "Close the vote"
    button = "Close the vote and compute the result"
    intro = (
        "Who may vote and the quorum are computed again now; the result is computed from the votes by the rule "
        "copied at opening. A closed decision never changes."
    )
    error_field = "casting"

    def perform(self, form):
        services.close_vote(self.object, casting=form.cleaned_data["casting"] or None)


class CloseMeetingView(StepView):
    model = Meeting
    action = "close"
    title = "Close the meeting"
    button = "Close the meeting"

    @property
    def intro(self):
        return (
            f"A meeting cannot close while a vote on one of its items is open. {selectors.carry_over_note(self.object)}"
        )

    def get_queryset(self):
        return Meeting.objects.select_related("body")

    def perform(self, form):
        services.close_meeting(self.object)

    def done_message(self):
        following = selectors.next_meeting(self.object)
        if following is None:
            return (
                "Meeting closed. No next meeting is scheduled yet: the minutes to approve, open actions and "
                "declarations to review will show on whichever meeting is scheduled next."
            )
        return (
            "Meeting closed. The minutes to approve, open actions and declarations to review are carried to "
            f"the meeting of {following}."
        )


REGISTER_SORTS = {"name": "name", "declared_on": "declared_on"}


class InterestListView(generic.ObjectListView):
    """The published register of interests: name, job title, date of declaration, the interest,
    the dates it applies and the action taken to manage it (REFERENCE.md §5)."""

    model = Interest
    filterset_class = InterestFilter
    add_url_name = "governance:interest_add"
    default_sort = "name"
    template_name = "governance/interest_list.html"
    export_formats = ("csv", "xlsx", "pdf")
    columns = tuple(
        generic.Column(name, label, sort=REGISTER_SORTS.get(name), value=value)
        for name, label, value in documents.REGISTER_COLUMNS
    )

    def get_queryset(self):
        return selectors.with_declaration_dates(Interest.objects.all())

    def get_extra_context(self):
        return {"declarations_due": selectors.declarations_due(local_today())}

    def export(self, fmt, queryset):
        """The spreadsheets, or the register as a PDF paper: the same rows, withheld entries as they
        are. A PDF is printed while the user waits (a few hundred rows a second), so it holds at
        most ``REGISTER_PDF_MOST_ROWS``; past that the list says so and offers the spreadsheets."""
        if fmt != "pdf":
            return super().export(fmt, queryset)
        most = documents.REGISTER_PDF_MOST_ROWS
        headers, rows = self.export_headers_and_rows(queryset[: most + 1])
        rows = list(rows)
        if len(rows) > most:
            messages.error(
                self.request,
                f"A PDF of the register holds at most {most} declarations, and this list has more. "
                "Narrow it with the filters, or download the CSV or XLSX spreadsheet, which holds them all.",
            )
            return redirect(f"{self.request.path}?{self.query_string(self.request, exclude=('export', 'page'))}")
        paper = documents.register_paper(headers, rows, local_today())
        return papers.download(paper, "pdf", documents.REGISTER_TEMPLATE)


class InterestAddView(generic.ObjectEditView):
    model = Interest
    form_class = InterestForm

    def success_url(self, obj):
        return reverse("governance:interests")

    def cancel_url(self):
        return reverse("governance:interests")

    def success_message(self, obj):
        return "Declaration added to the register of interests."


class MinutesAddView(MeetingChildAddView):
    model = Minutes
    form_class = MinutesForm
    anchor = "minutes"

    def save(self, form):
        return services.add_minutes(form.save(commit=False))

    def success_message(self, obj):
        return f"Minutes drafted (version {obj.version})."


class MinutesStepView(StepView):
    model = Minutes
    action = "change"

    def get_queryset(self):
        return Minutes.objects.select_related("meeting__body")


class CirculateMinutesView(MinutesStepView):
    title = "Circulate the minutes"
    button = "Mark as circulated"
    intro = "The draft goes to the members before the meeting that approves it."

    def perform(self, form):
        services.circulate_minutes(self.object)


class ApproveMinutesView(MinutesStepView):
    form_class = ApproveMinutesForm
    title = "Record the minutes as approved"
    button = "Record as approved"
    intro = "Minutes are approved at a later meeting and never change afterwards: a correction is a new version."
    error_field = "at_meeting"

    def perform(self, form):
        services.approve_minutes(self.object, form.cleaned_data["at_meeting"])


# --- locked gateways and disputes -----------------------------------------------------------------


class ProgrammeAddView(BodyChildEditView):
    model = Programme
    form_class = ProgrammeForm

    def success_url(self, obj):
        return obj.get_absolute_url()

    def cancel_url(self):
        return f"{self.parent.get_absolute_url()}#programmes"

    def success_message(self, obj):
        return f"Programme added: {obj}. Its initiation stage is open."


class ProgrammeDetailView(generic.ObjectDetailView):
    model = Programme

    def get_queryset(self):
        return Programme.objects.select_related("body__parent", "partnership")

    def get_context_data(self):
        return {
            **super().get_context_data(),
            **selectors.programme_page(self.object),
            "can_run": generic.permitted(self.request.user, "gateway", self.object),
            "approvers": services.reopen_approvers(self.object),
        }


class ProgrammeStepView(StepView):
    model = Programme
    action = "gateway"

    def get_queryset(self):
        return Programme.objects.select_related("body")


class GatewayDecisionView(ProgrammeStepView):
    form_class = GatewayDecisionForm
    title = "Raise a decision on the open stage"
    button = "Raise the decision"
    intro = (
        "The decision is raised on the stage open now, on an item of one of the body's meetings. "
        "Carried, it locks the stage and the next one opens; not carried, the stage stays open."
    )
    error_field = "item"

    def perform(self, form):
        data = form.cleaned_data
        decision = Decision(body=self.object.body, item=data["item"], title=data["title"], proposal=data["proposal"])
        services.raise_gateway_decision(self.object, decision)


class ReopenRequestView(ProgrammeStepView):
    form_class = ReopenRequestForm
    title = "Request to reopen a locked stage"
    button = "Record the request"
    intro = (
        "A locked stage is reopened only in the public interest, by a unanimous decision of the parent body "
        "(or of this body where it has none). Approved, the request supersedes the decisions locking that "
        "stage and every later one, which are kept and linked."
    )
    error_field = "stage"

    def perform(self, form):
        data = form.cleaned_data
        services.request_reopen(
            ReopenRequest(
                programme=self.object,
                stage=data["stage"],
                requested_by=data["requested_by"],
                reason=data["reason"],
                public_interest=data["public_interest"],
                recorded_by=self.request.user,
            )
        )


class ReopenStepView(StepView):
    model = ReopenRequest
    action = "decide"

    def get_queryset(self):
        return ReopenRequest.objects.select_related("programme__body__parent")


class ApproveReopenView(ReopenStepView):
    form_class = ApproveReopenForm
    title = "Approve the reopen request"
    button = "Approve and reopen the stage"
    intro = (
        "Approval needs the request's public-interest justification and a unanimous decision of the parent body "
        "(or of the body itself where it has none). The stage and every later one are reset: their decisions "
        "are kept, marked as superseded."
    )
    error_field = "decision"

    def perform(self, form):
        services.approve_reopen(self.object, form.cleaned_data["decision"], recorded_by=self.request.user)


class RefuseReopenView(ReopenStepView):
    form_class = RefuseReopenForm
    title = "Refuse the reopen request"
    button = "Refuse the request"
    intro = "The stages stay locked; the request and the reason it was refused are kept."
    error_field = "note"

    def perform(self, form):
        services.refuse_reopen(self.object, form.cleaned_data["note"], recorded_by=self.request.user)


class DisputeAddView(DecisionStepView):
    form_class = DisputeForm
    action = "dispute"
    title = "Record a dispute"
    button = "Record the dispute"
    intro = (
        "Only an organisation the decision binds may dispute it, within the time the terms of reference "
        "allow. The dispute starts at the first level of the body's dispute route."
    )
    error_field = "organisation"

    def get_queryset(self):
        return Decision.objects.select_related("body", "item__meeting", "terms")

    def perform(self, form):
        data = form.cleaned_data
        self.dispute = services.raise_dispute(
            Dispute(
                decision=self.object,
                organisation=data["organisation"],
                grounds=data["grounds"],
                raised_on=data["raised_on"],
            ),
            recorded_by=self.request.user,
        )

    def done_url(self):
        return self.dispute.get_absolute_url()


class DisputeDetailView(generic.ObjectDetailView):
    model = Dispute

    def get_queryset(self):
        return Dispute.objects.select_related("decision__body", "decision__terms", "organisation", "resolution__by")

    def get_context_data(self):
        return {
            **super().get_context_data(),
            **selectors.dispute_page(self.object),
            "can_run": generic.permitted(self.request.user, "change", self.object),
        }


class DisputeStepView(StepView):
    model = Dispute
    action = "change"

    def get_queryset(self):
        return Dispute.objects.select_related("decision__body", "decision__terms", "organisation")


class EscalateDisputeView(DisputeStepView):
    form_class = EscalateDisputeForm
    title = "Escalate the dispute"
    button = "Escalate"
    intro = "A dispute goes up the body's dispute route one level at a time; skipping a level needs a reason."
    error_field = "level"

    def perform(self, form):
        data = form.cleaned_data
        services.escalate_dispute(self.object, data["level"], data["skip_reason"], recorded_by=self.request.user)


class ResolveDisputeView(DisputeStepView):
    form_class = ResolveDisputeForm
    title = "Resolve the dispute"
    button = "Record the resolution"
    intro = "A dispute is resolved by a new decision, which supersedes the one disputed; both are kept and linked."
    error_field = "decision"

    def perform(self, form):
        services.resolve_dispute(self.object, form.cleaned_data["decision"])
