import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from core.dates import local_today
from core.forms import AccordForm, AccordModelForm
from governance import rules, selectors, services
from governance.models import (
    DEFAULT_DISPUTE_ROUTE,
    Action,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    DeclarationReview,
    Interest,
    InterestCategory,
    ItemDeclaration,
    Meeting,
    Membership,
    Minutes,
    Programme,
    ReviewOutcome,
    TermsOfReference,
)
from organisations.models import Organisation
from partnerships.models import Partnership


class BodyForm(AccordModelForm):
    class Meta:
        model = Body
        fields = ["name", "kind", "parent", "partnerships", "purpose", "ends_on"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the body's name."
        self.fields["kind"].error_messages["required"] = "Choose the kind of body."
        self.fields["name"].error_messages["unique"] = "There is already a governance body with this name."
        parents = Body.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "None (it reports to no other body)"
        self.fields["partnerships"].help_text = "Hold Ctrl (or Cmd) to choose more than one."

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class TermsOfReferenceForm(AccordModelForm):
    """A new version of a body's terms of reference, from a date."""

    dispute_route = forms.CharField(
        label="Dispute route",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One level a line, in the order a dispute is escalated.",
        error_messages={"required": "List at least one level of the dispute route."},
    )

    class Meta:
        model = TermsOfReference
        fields = [
            "effective_from",
            "frequency",
            "quorum_members",
            "quorum_share",
            "quorum_organisations",
            "quorum_needs_chair",
            "method",
            "threshold",
            "base",
            "conflicted_count_to_quorum",
            "deputies_count_to_quorum",
            "deputies_may_vote",
            "casting_vote",
            "abstention_breaks_unanimity",
            "consensus_needs_support",
            "category2_quorum_affected_only",
            "dispute_window_days",
            "dispute_route",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].error_messages["required"] = "Enter the date this version takes effect."
        self.initial.setdefault("dispute_route", "\n".join(self.instance.dispute_route or DEFAULT_DISPUTE_ROUTE))
        if isinstance(self.initial["dispute_route"], list):
            self.initial["dispute_route"] = "\n".join(self.initial["dispute_route"])
        for name in ("quorum_members", "quorum_organisations", "dispute_window_days", "quorum_share", "threshold"):
            self.fields[name].widget.attrs["class"] += " nhsuk-input--width-5"

    def clean_dispute_route(self):
        levels = [" ".join(line.split()) for line in self.cleaned_data["dispute_route"].splitlines()]
        levels = [level for level in levels if level]
        if not levels:
            raise forms.ValidationError("List at least one level of the dispute route.")
        return levels

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self.add_error("effective_from", "The body already has a version from this date.")


class MembershipForm(AccordModelForm):
    class Meta:
        model = Membership
        fields = ["user", "name", "job_title", "organisation", "role", "voting", "deputy_for", "starts_on", "ends_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("first_name", "last_name")
        self.fields["user"].empty_label = "Not an Accord user"
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        deputies = Membership.objects.filter(body_id=self.instance.body_id).select_related("user")
        if self.instance.pk:
            deputies = deputies.exclude(pk=self.instance.pk)
        self.fields["deputy_for"].queryset = deputies
        self.fields["deputy_for"].empty_label = "Not a deputy"
        self.fields["starts_on"].error_messages["required"] = "Enter the date they joined the body."
        self.fields["ends_on"].help_text = "To end a membership, enter the last day. For example, 30/03/2022"


LONDON = zoneinfo.ZoneInfo("Europe/London")


def london_datetime(date, time):
    """The moment a meeting on ``date`` at ``time`` (UK clock time) starts, or a message why none.

    A time the clocks skip (01:30 on the last Sunday of March) does not exist; a time the clocks
    repeat (01:30 on the last Sunday of October) is taken at its first occurrence (BST)."""
    naive = datetime.datetime.combine(date, time)
    moment = naive.replace(tzinfo=LONDON)
    if moment.astimezone(datetime.UTC).astimezone(LONDON).replace(tzinfo=None) != naive:
        raise forms.ValidationError(
            f"{time:%H:%M} does not exist on {date.day} {date:%B %Y}: the clocks go forward an hour that night."
        )
    return moment


class MeetingForm(AccordModelForm):
    date = forms.DateField(error_messages={"required": "Enter the date of the meeting."})
    time = forms.TimeField(
        help_text="UK time, 24-hour clock. For example, 14:00",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the time the meeting starts.",
            "invalid": "Enter a time on the 24-hour clock, for example 14:00.",
        },
    )

    class Meta:
        model = Meeting
        fields = ["place"]

    field_order = ["date", "time", "place"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.starts_at:
            local = timezone.localtime(self.instance.starts_at, LONDON)
            self.initial.update(date=local.date(), time=local.strftime("%H:%M"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("time"):
            try:
                self.instance.starts_at = london_datetime(cleaned["date"], cleaned["time"])
            except forms.ValidationError as error:
                self.add_error("time", error)
        return cleaned


def _members_of(body, on):
    """The body's memberships current on ``on``, for a choice of member."""
    ids = [m.pk for m in services.current_members(body, on)]
    return Membership.objects.filter(pk__in=ids).select_related("user", "organisation").order_by("role", "name", "pk")


class AttendanceForm(AccordModelForm):
    class Meta:
        model = Attendance
        fields = ["membership", "present", "apologies", "arrived_at_item", "left_after_item"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance.meeting
        self.fields["membership"].queryset = _members_of(meeting.body, timezone.localdate(meeting.starts_at))
        self.fields["membership"].label = "Member"
        self.fields["membership"].error_messages["required"] = "Choose the member."
        for name in ("arrived_at_item", "left_after_item"):
            self.fields[name].widget.attrs["class"] += " nhsuk-input--width-3"


class AgendaItemForm(AccordModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "purpose", "partnership", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter the item's title."
        self.fields["partnership"].queryset = Partnership.objects.order_by("reference")
        self.fields["partnership"].empty_label = "None"
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].empty_label = "None"


class ItemDeclarationForm(AccordModelForm):
    class Meta:
        model = ItemDeclaration
        fields = ["membership", "details", "management"]
        widgets = {"details": forms.Textarea(attrs={"rows": 3}), "management": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance.item.meeting
        self.fields["membership"].queryset = _members_of(meeting.body, timezone.localdate(meeting.starts_at))
        self.fields["membership"].label = "Member declaring"
        self.fields["membership"].error_messages["required"] = "Choose the member declaring the interest."
        self.fields["details"].error_messages["required"] = "Describe the interest."
        self.fields["management"].error_messages["required"] = "Choose how the chair manages the interest."


class DecisionForm(AccordModelForm):
    """A decision put on a meeting's agenda item; the organisations a category 2 one affects are
    chosen among those the body's voting members represent on the meeting's date."""

    affected = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Organisations affected (category 2 only)",
    )

    class Meta:
        model = Decision
        fields = ["title", "proposal", "category", "affected"]
        widgets = {"proposal": forms.Textarea(attrs={"rows": 4}), "category": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.item_id:
            self.instance.body = self.instance.item.meeting.body
        self.fields["affected"].queryset = Organisation.objects.filter(
            pk__in=services.member_organisations(self.members())
        ).order_by("name")
        self.fields["title"].error_messages["required"] = "Enter the decision to be taken."

    def taken_on(self):
        """The date the decision is taken on: its meeting's (today's for written procedure)."""
        return timezone.localdate(self.instance.item.meeting.starts_at)

    def members(self):
        return services.current_members(self.instance.body, self.taken_on())

    def clean(self):
        cleaned = super().clean()
        if "category" in cleaned:
            problem = rules.scope_problem(
                cleaned["category"],
                {o.pk for o in cleaned.get("affected", ())},
                services.member_organisations(self.members()),
            )
            if problem:
                self.add_error("affected", problem)
        return cleaned

    def _save_m2m(self):
        pass  # the affected organisations are set by services.raise_decision


class WrittenDecisionForm(DecisionForm):
    """A decision by written procedure between meetings: every member may vote until it closes."""

    closes_on = forms.DateField(label="Date votes close", error_messages={"required": "Enter the date votes close."})
    closes_time = forms.TimeField(
        label="Time votes close",
        help_text="UK time, 24-hour clock. For example, 17:00",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the time votes close.",
            "invalid": "Enter a time on the 24-hour clock, for example 17:00.",
        },
    )

    def taken_on(self):
        return timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("closes_on") and cleaned.get("closes_time"):
            try:
                closes = london_datetime(cleaned["closes_on"], cleaned["closes_time"])
            except forms.ValidationError as error:
                self.add_error("closes_time", error)
            else:
                if closes <= timezone.now():
                    self.add_error("closes_on", "Votes close at a time still to come.")
                self.instance.written_procedure_closes_at = closes
        return cleaned


class ConfirmForm(AccordForm):
    """A step with nothing to enter: the button is the confirmation."""

    def __init__(self, *args, decision=None, meeting=None, minutes=None, **kwargs):
        super().__init__(*args, **kwargs)


class BallotForm(AccordForm):
    membership = forms.ModelChoiceField(
        label="Member voting",
        queryset=Membership.objects.none(),
        error_messages={"required": "Choose the member voting."},
    )
    vote = forms.ChoiceField(widget=forms.RadioSelect, choices=(), error_messages={"required": "Choose how they vote."})

    def __init__(self, *args, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        labels = (
            rules.CONSENSUS_VOTE_LABELS
            if decision.rule and decision.rule.get("method") == "consensus"
            else rules.VOTE_LABELS
        )
        self.fields["vote"].choices = [(v.value, labels[v]) for v in rules.Vote]
        when = timezone.localdate(decision.item.meeting.starts_at) if decision.item_id else timezone.localdate()
        self.fields["membership"].queryset = _members_of(decision.body, when)


class CloseVoteForm(AccordForm):
    casting = forms.ChoiceField(
        label="The chair's casting vote, if the votes tie",
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "None"), ("for", "For"), ("against", "Against")],
        help_text="Only where the terms of reference give the chair a casting vote.",
    )

    def __init__(self, *args, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision


class InterestForm(AccordModelForm):
    """A declaration for the register of interests (or a nil return). Once saved it never changes:
    a correction is a new declaration."""

    class Meta:
        model = Interest
        fields = [
            "user",
            "name",
            "job_title",
            "declared_on",
            "nil_return",
            "category",
            "details",
            "applies_from",
            "applies_to",
            "action_taken",
            "organisation",
            "partnership",
            "withheld",
            "withheld_reason",
        ]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 3}),
            "action_taken": forms.Textarea(attrs={"rows": 2}),
            "withheld_reason": forms.Textarea(attrs={"rows": 2}),
            "category": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("first_name", "last_name")
        self.fields["user"].empty_label = "Not an Accord user"
        self.fields["user"].label = "Accord user declaring"
        self.fields["name"].required = False
        self.fields["name"].help_text = "As it is published. Left blank, the Accord user's name."
        self.fields["job_title"].help_text = "Left blank, the Accord user's job title."
        self.fields["category"].choices = list(InterestCategory.choices)
        self.fields["category"].required = False
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["partnership"].queryset = Partnership.objects.order_by("reference")
        self.fields["declared_on"].error_messages["required"] = "Enter the date of the declaration."
        self.fields[
            "withheld_reason"
        ].help_text = "Kept internally: the published register shows only that an entry is withheld."

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user")
        if not (cleaned.get("name") or "").strip():
            if user is None:
                self.add_error("name", "Enter the name of the person declaring, or choose an Accord user.")
            else:
                cleaned["name"] = self.instance.name = user.get_full_name() or user.username
        if user is not None and not cleaned.get("job_title"):
            cleaned["job_title"] = self.instance.job_title = user.job_title
        return cleaned


class MinutesForm(AccordModelForm):
    class Meta:
        model = Minutes
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}
        labels = {"text": "Minutes"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the minutes."


class ApproveMinutesForm(AccordForm):
    at_meeting = forms.ModelChoiceField(
        label="Approved at the meeting of",
        queryset=Meeting.objects.none(),
        error_messages={"required": "Choose the meeting that approved them."},
    )

    def __init__(self, *args, minutes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = (
            Meeting.objects.filter(body_id=minutes.meeting.body_id, starts_at__gt=minutes.meeting.starts_at)
            .exclude(status="cancelled")
            .select_related("body")
            .order_by("starts_at")
        )


# --- locked gateways and disputes -----------------------------------------------------------------


class ProgrammeForm(AccordModelForm):
    class Meta:
        model = Programme
        fields = ["title", "description", "partnership"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter the programme's title."
        self.fields["partnership"].queryset = Partnership.objects.order_by("reference")
        self.fields["partnership"].empty_label = "None"


def _items_for_decisions(body):
    """Agenda items (not standing ones) of the body's meetings still to close, for a decision."""
    return (
        AgendaItem.objects.filter(meeting__body=body, meeting__status="scheduled", standing="")
        .select_related("meeting")
        .order_by("meeting__starts_at", "number")
    )


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return f"{timezone.localtime(item.meeting.starts_at):%d/%m/%Y}, item {item.number}: {item.title}"


class GatewayDecisionForm(AccordForm):
    """A decision raised on the programme's open stage, on an item of one of the body's meetings."""

    item = ItemChoice(
        label="Agenda item",
        queryset=AgendaItem.objects.none(),
        error_messages={"required": "Choose the agenda item the decision is taken on."},
    )
    title = forms.CharField(
        label="Decision to be taken", max_length=200, error_messages={"required": "Enter the decision to be taken."}
    )
    proposal = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["item"].queryset = _items_for_decisions(programme.body)


class ReopenRequestForm(AccordForm):
    stage = forms.ChoiceField(
        label="Stage to reopen", choices=(), error_messages={"required": "Choose the locked stage to reopen."}
    )
    requested_by = forms.CharField(
        max_length=200,
        help_text="Who asks: a person or an organisation.",
        error_messages={"required": "Enter who asks for the stage to be reopened."},
    )
    reason = forms.CharField(
        label="Why reopen it",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the stage should be reopened."},
    )
    public_interest = forms.CharField(
        label="Public-interest justification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A locked stage is reopened only in the public interest: a request without one can only be refused.",
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        locked = selectors.locked_gateways(programme)
        self.fields["stage"].choices = [("", "Choose a stage")] + [
            (s.value, rules.GATEWAY_LABELS[s]) for s in rules.Gateway if s in locked
        ]


class DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, decision):
        return f"{decision.body.name}: {decision.title} ({timezone.localtime(decision.closed_at):%d/%m/%Y})"


def _carried(bodies):
    return (
        Decision.objects.filter(body__in=bodies, status="closed", outcome=rules.Outcome.CARRIED)
        .select_related("body")
        .order_by("-closed_at", "-pk")
    )


class ApproveReopenForm(AccordForm):
    decision = DecisionChoice(
        label="Approved by the decision",
        queryset=Decision.objects.none(),
        error_messages={"required": "Choose the unanimous decision that approves the reopen."},
    )

    def __init__(self, *args, reopenrequest=None, **kwargs):
        super().__init__(*args, **kwargs)
        approvers = services.reopen_approvers(reopenrequest.programme)
        self.fields["decision"].queryset = _carried([approvers]).filter(closed_at__gte=reopenrequest.raised_at)
        self.fields["decision"].help_text = f"A unanimous decision of {approvers.name}, taken after the request."


class RefuseReopenForm(AccordForm):
    note = forms.CharField(
        label="Why it is refused",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Record why the request is refused."},
    )

    def __init__(self, *args, reopenrequest=None, **kwargs):
        super().__init__(*args, **kwargs)


class DisputeForm(AccordForm):
    organisation = forms.ModelChoiceField(
        label="Organisation disputing the decision",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Choose the organisation disputing the decision."},
    )
    grounds = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Enter the grounds of the dispute."}
    )
    raised_on = forms.DateField(
        label="Date raised", error_messages={"required": "Enter the date the organisation raised the dispute."}
    )

    def __init__(self, *args, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = services.current_members(decision.body, local_today())
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in={m.organisation_id for m in members if m.organisation_id}
        ).order_by("name")
        self.initial.setdefault("raised_on", local_today())


class EscalateDisputeForm(AccordForm):
    level = forms.TypedChoiceField(
        label="Escalate to", coerce=int, choices=(), error_messages={"required": "Choose the level to escalate to."}
    )
    skip_reason = forms.CharField(
        label="Reason for skipping a level",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only when going past the next level of the route.",
    )

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        _, route = services.dispute_terms(dispute.decision)
        current = services.current_level(dispute)
        self.fields["level"].choices = [(n, level) for n, level in enumerate(route) if n > current]


class ResolveDisputeForm(AccordForm):
    decision = DecisionChoice(
        label="Resolved by the decision",
        queryset=Decision.objects.none(),
        error_messages={"required": "Choose the new decision that resolves the dispute."},
    )

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        chain, body = [], dispute.decision.body
        while body is not None:
            chain.append(body)
            body = body.parent
        self.fields["decision"].queryset = _carried(chain).exclude(pk=dispute.decision_id)
        self.fields[
            "decision"
        ].help_text = "A carried decision taken since the dispute was raised; it supersedes the one disputed."


class ActionForm(AccordModelForm):
    """An action raised at a meeting; its status is changed on the edit page."""

    class Meta:
        model = Action
        fields = ["description", "item", "owner", "owner_name", "organisation", "due_on", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "status": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["required"] = "Describe the action."
        self.fields["due_on"].error_messages["required"] = "Enter the date the action is due."
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting_id=self.instance.meeting_id).order_by("number")
        self.fields["item"].empty_label = "None"
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("first_name", "last_name")
        self.fields["owner"].empty_label = "Not an Accord user"
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        if self.instance.pk is None:
            del self.fields["status"]


class DeclarationReviewForm(AccordModelForm):
    """The review, at a later meeting, of a declaration made at an earlier one."""

    declaration = forms.ChoiceField(
        label="Declaration reviewed", error_messages={"required": "Choose the declaration reviewed."}
    )
    category = forms.ChoiceField(
        label="Category for the register",
        required=False,
        choices=[("", "Choose a category"), *InterestCategory.choices],
        help_text="For a declaration on an item accepted into the register.",
    )

    class Meta:
        model = DeclarationReview
        fields = ["outcome", "action_taken"]
        widgets = {"outcome": forms.RadioSelect, "action_taken": forms.Textarea(attrs={"rows": 3})}

    field_order = ["declaration", "outcome", "category", "action_taken"]

    def __init__(self, *args, pending=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = {self.key(d): d for d in pending}
        self.fields["declaration"].choices = [("", "Choose a declaration")] + [
            (key, self.label(d)) for key, d in self.pending.items()
        ]
        self.fields["outcome"].choices = list(ReviewOutcome.choices)
        self.fields["outcome"].error_messages["required"] = "Choose the outcome of the review."

    @staticmethod
    def key(declaration):
        return f"{'interest' if isinstance(declaration, Interest) else 'item'}-{declaration.pk}"

    @staticmethod
    def label(declaration):
        if isinstance(declaration, Interest):
            who = "An entry withheld from publication" if declaration.withheld else declaration.name
            return f"{who}: register entry of {declaration.declared_on:%d/%m/%Y}"
        meeting = timezone.localdate(declaration.item.meeting.starts_at)
        return f"{declaration.membership.person_name}: on item {declaration.item.number} of {meeting:%d/%m/%Y}"

    def clean_declaration(self):
        found = self.pending.get(self.cleaned_data["declaration"])
        if found is None:
            raise forms.ValidationError("Choose a declaration still to be reviewed.")
        return found
