"""Governance bodies, their terms of reference and members, meetings, decisions and the register
of interests (DECISIONS.md; REFERENCE.md §5 and §6).

The rules themselves are plain functions in ``governance.rules``; the writes that apply them are
``governance.services``. What is final is never changed or deleted (``core.append_only``: the
model, its queryset and, on PostgreSQL, database triggers): a closed decision, ballots,
eligibility records, the organisations a decision binds, approved minutes, declarations made on
an item and the register's declarations. A correction is a new record.
"""

import datetime
import enum
from dataclasses import asdict
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.append_only import AppendOnlyModel, AppendOnlyQuerySet
from core.links import reverse_pk
from core.validators import reject_nhs_number
from governance import rules
from organisations.models import Organisation
from partnerships.models import Partnership


def _choices(enum, labels):
    return [(member.value, labels[member]) for member in enum]


class BodyKind(models.TextChoices):
    TRUST_BOARD = "trust_board", "Trust board"
    BOARD_COMMITTEE = "board_committee", "Board committee"
    PARTNERSHIP_BOARD = "partnership_board", "Partnership board"
    PROVIDER_LEADERSHIP_BOARD = "provider_leadership_board", "Provider leadership board"
    COMMITTEES_IN_COMMON = "committees_in_common", "Committees in common"
    JOINT_COMMITTEE = "joint_committee", "Joint committee"
    DESIGN_GROUP = "design_group", "Design group"
    ADVISORY_GROUP = "advisory_group", "Advisory group"
    WORKING_GROUP = "working_group", "Working group"
    OTHER = "other", "Other"


class Frequency(models.TextChoices):
    """How often the terms of reference say the body meets; ``days`` is the longest gap allowed."""

    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "At least monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half_yearly", "Every six months"
    ANNUALLY = "annually", "Annually"
    AS_REQUIRED = "as_required", "As required"


FREQUENCY_DAYS = {
    Frequency.WEEKLY: 7,
    Frequency.FORTNIGHTLY: 14,
    Frequency.MONTHLY: 31,
    Frequency.BIMONTHLY: 62,
    Frequency.QUARTERLY: 92,
    Frequency.HALF_YEARLY: 184,
    Frequency.ANNUALLY: 366,
}

DEFAULT_DISPUTE_ROUTE = [
    "Partnership leads",
    "Chief executives",
    "Parent body or ICB",
    "Independent mediation",
]


def default_dispute_route():
    return list(DEFAULT_DISPUTE_ROUTE)


class BodyQuerySet(models.QuerySet):
    def owned_by(self, user):
        """Bodies governing a partnership the user leads or is delegated on (a subquery)."""
        governed = Body.partnerships.through.objects.filter(
            body=OuterRef("pk"), partnership__in=Partnership.objects.owned_by(user)
        )
        return self.filter(Exists(governed))


class Body(models.Model):
    name = models.CharField(max_length=200, unique=True, validators=[reject_nhs_number])
    kind = models.CharField(max_length=30, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="parent body",
        help_text="The body this one escalates to.",
    )
    partnerships = models.ManyToManyField(
        Partnership, blank=True, related_name="governance_bodies", verbose_name="partnerships governed"
    )
    purpose = models.TextField(blank=True, validators=[reject_nhs_number])
    ends_on = models.DateField(
        null=True, blank=True, help_text="For a time-limited group (a design group, say): when it stands down."
    )

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "governance body"
        verbose_name_plural = "governance bodies"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_pk("governance:detail", self.pk)

    def clean(self):
        seen, body = {self.pk}, self.parent
        while body is not None:
            if body.pk in seen:
                raise ValidationError({"parent": "A body cannot be its own parent, directly or further up."})
            seen.add(body.pk)
            body = body.parent

    def terms_in_force(self, on):
        """The terms of reference version in force on the date ``on`` (``None`` before the first)."""
        return self.terms.filter(effective_from__lte=on).order_by("-effective_from").first()


class BodyChildQuerySet(models.QuerySet):
    """Records of one body are "owned" by whoever owns the body."""

    body_path = "body"

    def owned_by(self, user):
        return self.filter(**{f"{self.body_path}__in": Body.objects.owned_by(user)})


class TermsOfReference(models.Model):
    """One version of a body's terms of reference. A new version applies from its date on; a past
    decision keeps the rule copied onto it when voting opened."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="terms")
    effective_from = models.DateField()
    quorum_members = models.PositiveSmallIntegerField(
        "minimum voting members present", default=0, help_text="0 for no minimum number."
    )
    quorum_share = models.CharField(
        "minimum share of the voting members present",
        max_length=10,
        blank=True,
        help_text="A fraction such as 1/2, or blank for none.",
    )
    quorum_organisations = models.PositiveSmallIntegerField("minimum organisations represented", default=0)
    quorum_needs_chair = models.BooleanField("the chair or vice-chair must be present", default=True)
    method = models.CharField(
        "default decision method",
        max_length=30,
        choices=_choices(rules.Method, rules.METHOD_LABELS),
        default=rules.Method.CONSENSUS,
    )
    threshold = models.CharField(
        "qualified majority", max_length=10, blank=True, help_text="For a qualified majority: a fraction such as 2/3."
    )
    base = models.CharField(
        "majority counted out of",
        max_length=20,
        choices=_choices(rules.Base, rules.BASE_LABELS),
        default=rules.Base.VOTES_CAST,
    )
    conflicted_count_to_quorum = models.BooleanField("conflicted members count toward quorum", default=False)
    deputies_count_to_quorum = models.BooleanField("nominated deputies count toward quorum", default=True)
    deputies_may_vote = models.BooleanField("nominated deputies may vote", default=True)
    casting_vote = models.BooleanField("the chair has a casting vote", default=False)
    abstention_breaks_unanimity = models.BooleanField(default=True)
    consensus_needs_support = models.BooleanField("consensus needs at least one “support”", default=True)
    category2_quorum_affected_only = models.BooleanField(
        "category 2 quorum counted over affected organisations only", default=True
    )
    frequency = models.CharField("meets", max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY)
    dispute_window_days = models.PositiveSmallIntegerField("days to raise a dispute", default=28)
    dispute_route = models.JSONField(
        default=default_dispute_route, help_text="The levels a dispute is escalated through, in order."
    )

    objects = BodyChildQuerySet.as_manager()

    class Meta:
        ordering = ["body", "-effective_from"]
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["body", "effective_from"], name="one_terms_version_a_day"),
        ]

    def __str__(self):
        return f"{self.body} terms of reference from {self.effective_from:%d/%m/%Y}"

    def clean(self):
        errors = {}
        for name in ("quorum_share", "threshold"):
            value = (getattr(self, name) or "").strip()
            setattr(self, name, value)
            if value:
                try:
                    number, of = (int(p) for p in value.split("/"))
                    Fraction(number, of)
                except (ValueError, ZeroDivisionError):
                    errors[name] = "Enter a fraction such as 2/3."
        if self.method == rules.Method.QUALIFIED_MAJORITY and not self.threshold and "threshold" not in errors:
            errors["threshold"] = "A qualified majority needs its share, such as 2/3."
        if not errors:
            try:
                self.rule()
            except rules.RuleError as error:
                errors["threshold" if "majority" in str(error) else "quorum_share"] = str(error)
        if not isinstance(self.dispute_route, list) or not all(
            isinstance(level, str) and level.strip() for level in self.dispute_route
        ):
            errors["dispute_route"] = "List the levels of the dispute route, in order."
        if errors:
            raise ValidationError(errors)

    def rule(self):
        """The rule a decision opening under these terms is taken by (``governance.rules.Rule``)."""
        return rules.Rule(
            method=self.method,
            threshold=Fraction(self.threshold) if self.threshold else Fraction(2, 3),
            base=self.base,
            quorum_members=self.quorum_members,
            quorum_fraction=Fraction(self.quorum_share) if self.quorum_share else Fraction(0),
            quorum_organisations=self.quorum_organisations,
            quorum_needs_chair=self.quorum_needs_chair,
            conflicted_count_to_quorum=self.conflicted_count_to_quorum,
            deputies_count_to_quorum=self.deputies_count_to_quorum,
            deputies_may_vote=self.deputies_may_vote,
            casting_vote=self.casting_vote,
            abstention_breaks_unanimity=self.abstention_breaks_unanimity,
            consensus_needs_support=self.consensus_needs_support,
            category2_quorum_affected_only=self.category2_quorum_affected_only,
        )

    @property
    def most_days_between_meetings(self):
        return FREQUENCY_DAYS.get(self.frequency)


class MemberRole(models.TextChoices):
    CHAIR = rules.Role.CHAIR.value, "Chair"
    VICE_CHAIR = rules.Role.VICE_CHAIR.value, "Vice-chair"
    MEMBER = rules.Role.MEMBER.value, "Member"
    IN_ATTENDANCE = rules.Role.IN_ATTENDANCE.value, "In attendance"


class Membership(models.Model):
    """A person's place on a body for a period: an Accord user or a named external person."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="governance_memberships",
        verbose_name="Accord user",
    )
    name = models.CharField("name (if not an Accord user)", max_length=150, blank=True, validators=[reject_nhs_number])
    job_title = models.CharField(max_length=150, blank=True, validators=[reject_nhs_number])
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="governance_memberships",
        verbose_name="organisation represented",
    )
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    voting = models.BooleanField(default=True)
    deputy_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputies",
        verbose_name="nominated deputy for",
    )
    starts_on = models.DateField("from")
    ends_on = models.DateField("to", null=True, blank=True)

    objects = BodyChildQuerySet.as_manager()

    class Meta:
        ordering = ["body", "role", "name", "pk"]

    def __str__(self):
        person = self.person_name
        return f"{person} ({self.organisation})" if self.organisation_id else person

    @property
    def person_name(self):
        return self.name or (str(self.user) if self.user_id else "")

    def is_current(self, on):
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def clean(self):
        errors = {}
        if bool(self.user_id) == bool((self.name or "").strip()):
            errors["name"] = "Choose an Accord user or type the name of a person outside Accord, not both."
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end date must be the same as or after the start date."
        if self.deputy_for_id and self.deputy_for.body_id != self.body_id:
            errors["deputy_for"] = "A deputy stands in for a member of the same body."
        if self.deputy_for_id and self.deputy_for_id == self.pk:
            errors["deputy_for"] = "A member cannot be their own deputy."
        if self.role == MemberRole.IN_ATTENDANCE and self.voting:
            errors["voting"] = "Someone in attendance does not vote: untick “voting” or choose another role."
        if errors:
            raise ValidationError(errors)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField("date and time", help_text="UK time (Europe/London).")
    place = models.CharField(max_length=200, blank=True, validators=[reject_nhs_number])
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)

    objects = BodyChildQuerySet.as_manager()

    class Meta:
        ordering = ["body", "starts_at"]
        indexes = [models.Index(fields=["body", "starts_at"])]

    def __str__(self):
        return f"{self.body} on {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse_pk("governance:meeting", self.pk)


class Purpose(models.TextChoices):
    DECISION = "decision", "Decision"
    APPROVAL = "approval", "Approval"
    ASSURANCE = "assurance", "Assurance"
    DISCUSSION = "discussion", "Discussion"
    INFORMATION = "information", "Information"


class StandingItem(models.TextChoices):
    APOLOGIES = "apologies", "Apologies for absence"
    DECLARATIONS = "declarations", "Declarations of interest"
    MINUTES = "minutes", "Minutes of the previous meeting"
    ACTIONS = "actions", "Action log"


class AgendaItemQuerySet(BodyChildQuerySet):
    body_path = "meeting__body"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, validators=[reject_nhs_number])
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.DISCUSSION)
    standing = models.CharField(max_length=20, choices=StandingItem.choices, blank=True, editable=False)
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        help_text="What it is about.",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="governance_agenda_items",
        help_text="An organisation it is about: members with an interest touching it are flagged.",
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="one_item_number_a_meeting")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class AttendanceQuerySet(BodyChildQuerySet):
    body_path = "meeting__body"


class Attendance(models.Model):
    """Whether a member was at a meeting, and from which item to which (a member who joins late
    or leaves early is not present for the items outside that span)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="attendances")
    present = models.BooleanField(default=True)
    apologies = models.BooleanField(default=False)
    arrived_at_item = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The item number they arrived for, if they came late."
    )
    left_after_item = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The last item number they stayed for, if they left early."
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "membership"]
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"], name="one_attendance_a_member")]

    def __str__(self):
        return f"{self.membership}: {'present' if self.present else 'absent'}"

    def clean(self):
        if self.present and self.apologies:
            raise ValidationError({"apologies": "A member who is present has not sent apologies."})
        if self.arrived_at_item and self.left_after_item and self.left_after_item < self.arrived_at_item:
            raise ValidationError({"left_after_item": "They cannot leave before the item they arrived for."})

    def present_for(self, item_number):
        return (
            self.present
            and (self.arrived_at_item is None or item_number >= self.arrived_at_item)
            and (self.left_after_item is None or item_number <= self.left_after_item)
        )


class ItemDeclarationQuerySet(AppendOnlyQuerySet, AgendaItemQuerySet):
    body_path = "item__meeting__body"


class ItemDeclaration(AppendOnlyModel):
    """An interest declared on an agenda item, and how the chair manages it. Never changed: a
    different decision on how to manage it is a new declaration."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="declarations")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="item_declarations")
    details = models.TextField(validators=[reject_nhs_number])
    management = models.CharField(
        "how it is managed",
        max_length=20,
        choices=[c for c in _choices(rules.Conflict, rules.CONFLICT_LABELS) if c[0] != rules.Conflict.NONE],
    )
    interest = models.ForeignKey(
        "Interest", null=True, blank=True, on_delete=models.PROTECT, related_name="item_declarations"
    )
    declared_at = models.DateTimeField()

    objects = ItemDeclarationQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["item", "declared_at", "pk"]

    def __str__(self):
        return f"{self.membership.person_name} on item {self.item.number}: {self.get_management_display()}"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "Not yet open"
    OPEN = "open", "Voting open"
    CLOSED = "closed", "Closed"


class DecisionQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    pass


class Decision(AppendOnlyModel):
    """A question put to a body, on a meeting's item or by written procedure. The rule is copied
    onto it from the terms of reference in force when voting opens, and it is final once closed."""

    append_only_final = Q(status=DecisionStatus.CLOSED)

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="agenda item",
    )
    title = models.CharField(max_length=200, validators=[reject_nhs_number])
    proposal = models.TextField(blank=True, validators=[reject_nhs_number])
    category = models.PositiveSmallIntegerField(
        choices=[(1, "Category 1: binding on all member organisations"), (2, "Category 2: binding on those affected")],
        default=1,
    )
    affected = models.ManyToManyField(
        Organisation, blank=True, related_name="governance_decisions_affecting", verbose_name="affected organisations"
    )
    written_procedure_closes_at = models.DateTimeField(
        null=True, blank=True, help_text="For a decision by written procedure between meetings."
    )
    status = models.CharField(max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    terms = models.ForeignKey(
        TermsOfReference, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions", editable=False
    )
    rule = models.JSONField(null=True, blank=True, editable=False, help_text="The rule copied on opening.")
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    quorate_at_open = models.BooleanField(null=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    quorate_at_close = models.BooleanField(null=True, editable=False)
    casting_vote = models.CharField(
        max_length=10, blank=True, choices=_choices(rules.Vote, rules.VOTE_LABELS), editable=False
    )
    outcome = models.CharField(
        max_length=20, blank=True, choices=_choices(rules.Outcome, rules.OUTCOME_LABELS), editable=False
    )
    votes_for = models.PositiveIntegerField(null=True, editable=False)
    votes_against = models.PositiveIntegerField(null=True, editable=False)
    abstentions = models.PositiveIntegerField(null=True, editable=False)
    base = models.PositiveIntegerField(null=True, editable=False)
    explanation = models.CharField(max_length=300, blank=True, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-pk"]
        indexes = [models.Index(fields=["body", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=(1, 2)), name="decision_category_1_or_2"),
            models.CheckConstraint(
                condition=~Q(status=DecisionStatus.CLOSED) | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="decision_closed_has_result",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_pk("governance:decision", self.pk)

    def copied_rule(self):
        """The rule stored on opening, as ``governance.rules.Rule``."""
        stored = dict(self.rule)
        for name in ("threshold", "quorum_fraction"):
            stored[name] = Fraction(stored[name])
        return rules.Rule(**stored)

    @staticmethod
    def rule_to_json(rule):
        """A ``governance.rules.Rule`` as stored on the decision: fractions as "2/3", choices as text."""
        return {
            name: str(value) if isinstance(value, Fraction) else value.value if isinstance(value, enum.Enum) else value
            for name, value in asdict(rule).items()
        }


class Stage(models.TextChoices):
    OPENING = "opening", "When voting opened"
    CLOSE = "close", "At close"


class EligibilityRecordQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    body_path = "decision__body"


class EligibilityRecord(AppendOnlyModel):
    """Who could vote on a decision, and why not, when voting opened and at close. Never changed."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="eligibility")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    member_name = models.CharField(max_length=150, editable=False)  # copied from the membership
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    eligible = models.BooleanField()
    reason = models.CharField(max_length=40, blank=True, choices=_choices(rules.Reason, rules.REASON_LABELS))
    counts_to_quorum = models.BooleanField()

    objects = EligibilityRecordQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["decision", "stage", "member_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "stage", "membership"], name="one_eligibility_a_stage"),
            models.CheckConstraint(
                condition=Q(eligible=True, reason="") | Q(eligible=False) & ~Q(reason=""), name="ineligible_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.member_name}: {'eligible' if self.eligible else self.get_reason_display()}"


class BallotQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    body_path = "decision__body"


class Ballot(AppendOnlyModel):
    """One vote. A changed vote is a new row; the member's latest counts."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="ballots")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="ballots")
    vote = models.CharField(max_length=10, choices=_choices(rules.Vote, rules.VOTE_LABELS))
    cast_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = BallotQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["decision", "pk"]

    def __str__(self):
        return f"{self.membership.person_name}: {self.get_vote_display()}"


class BindingQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    body_path = "decision__body"


class Binding(AppendOnlyModel):
    """An organisation bound by a closed decision, recorded at close. Never changed."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="bindings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="governance_bindings")

    objects = BindingQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["decision", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["decision", "organisation"], name="one_binding_an_organisation")]

    def __str__(self):
        return f"{self.organisation} bound by {self.decision}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CIRCULATED = "circulated", "Circulated"
    APPROVED = "approved", "Approved"


class MinutesQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    body_path = "meeting__body"


class Minutes(AppendOnlyModel):
    """A version of a meeting's minutes: draft → circulated → approved at a later meeting. Final
    once approved; a correction is a new version, approved later."""

    append_only_final = Q(status=MinutesStatus.APPROVED)

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    version = models.PositiveSmallIntegerField(default=1)
    text = models.TextField(validators=[reject_nhs_number])
    status = models.CharField(max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    approved_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minutes_approved",
        verbose_name="approved at the meeting",
    )

    objects = MinutesQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["meeting", "version"]
        verbose_name_plural = "minutes"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="one_minutes_version_number"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False), name="approved_minutes_name_the_meeting"
            ),
        ]

    def __str__(self):
        return f"Minutes of {self.meeting} (version {self.version})"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#minutes"

    def clean(self):
        if self.approved_at_id and self.approved_at.starts_at <= self.meeting.starts_at:
            raise ValidationError({"approved_at": "Minutes are approved at a later meeting."})


class InterestCategory(models.TextChoices):
    """The four categories of NHS England's conflicts of interest guidance (REFERENCE.md §5)."""

    FINANCIAL = "financial", "Financial"
    PROFESSIONAL = "non_financial_professional", "Non-financial professional"
    PERSONAL = "non_financial_personal", "Non-financial personal"
    INDIRECT = "indirect", "Indirect"


class InterestQuerySet(AppendOnlyQuerySet):
    def owned_by(self, user):
        return self.filter(user=user)


class Interest(AppendOnlyModel):
    """An entry of the register of interests (or a nil return). Never changed or deleted: a
    correction is a new declaration that supersedes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="interests"
    )
    membership = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interests",
        help_text="For a member of a body who is not an Accord user.",
    )
    name = models.CharField(max_length=150, validators=[reject_nhs_number])
    job_title = models.CharField(max_length=150, blank=True, validators=[reject_nhs_number])
    declared_on = models.DateField("date of declaration")
    nil_return = models.BooleanField(default=False, help_text="Nothing to declare.")
    category = models.CharField(max_length=40, choices=InterestCategory.choices, blank=True)
    details = models.TextField(blank=True, validators=[reject_nhs_number])
    applies_from = models.DateField(null=True, blank=True)
    applies_to = models.DateField(null=True, blank=True)
    action_taken = models.TextField("action taken to manage it", blank=True, validators=[reject_nhs_number])
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declared_interests",
        help_text="An organisation the interest touches.",
    )
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declared_interests",
        help_text="A partnership the interest touches.",
    )
    withheld = models.BooleanField("withheld from publication", default=False)
    withheld_reason = models.TextField(blank=True, validators=[reject_nhs_number])
    declared_at_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declared_interests",
        help_text="A declaration made at a meeting is pending until the next meeting reviews it.",
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    objects = InterestQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["name", "-declared_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nil_return=True, category="") | Q(nil_return=False) & ~Q(category=""),
                name="interest_has_a_category_unless_nil",
            ),
            models.CheckConstraint(
                condition=Q(withheld=False) | ~Q(withheld_reason=""), name="withheld_interest_has_reason"
            ),
        ]

    def __str__(self):
        what = "Nil return" if self.nil_return else self.get_category_display()
        return f"{self.name}: {what} ({self.declared_on:%d/%m/%Y})"

    def clean(self):
        errors = {}
        if self.nil_return and (self.category or (self.details or "").strip()):
            errors["nil_return"] = "A nil return declares nothing: leave the category and details empty."
        if not self.nil_return:
            if not self.category:
                errors["category"] = "Choose the category of the interest, or make a nil return."
            if not (self.details or "").strip():
                errors["details"] = "Describe the interest."
        if self.applies_from and self.applies_to and self.applies_to < self.applies_from:
            errors["applies_to"] = "The end date must be the same as or after the start date."
        if self.withheld and not (self.withheld_reason or "").strip():
            errors["withheld_reason"] = "Record why the entry is withheld from publication (kept internally)."
        if errors:
            raise ValidationError(errors)

    def late(self, joined_on=None, first_declared=None):
        """Declared more than 28 days after the interest arose, or after the person joined a body
        when the interest arose before (REFERENCE.md §5); a first declaration or nil return more
        than 28 days after joining is late too. A correction (superseding an entry) is not late."""
        if self.supersedes_id:
            return False
        first = first_declared is not None and self.declared_on <= first_declared
        starts = [d for d in (self.applies_from, joined_on if (self.applies_from or first) else None) if d]
        return bool(starts) and self.declared_on > max(starts) + datetime.timedelta(days=28)


# --- locked gateways and disputes (DECISIONS.md) --------------------------------------------------
#
# A programme's stages are never stored as a state that changes: a stage is locked while a carried
# decision raised on it (``GatewayDecision``) is not superseded; an approved reopen request
# supersedes the locking decisions of that stage and the later ones (``Supersession`` rows), which
# resets them. Every one of these records is only ever added.


class Programme(models.Model):
    """A programme a body takes through the locked gateways: initiation → case for change →
    options → options appraisal (a service change, a memorandum of understanding)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField(max_length=200, validators=[reject_nhs_number])
    description = models.TextField(blank=True, validators=[reject_nhs_number])
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text="The partnership the programme is about, if any.",
    )

    objects = BodyChildQuerySet.as_manager()

    class Meta:
        ordering = ["body", "title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_pk("governance:programme", self.pk)


GATEWAY_CHOICES = _choices(rules.Gateway, rules.GATEWAY_LABELS)


class ProgrammeChildQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    body_path = "programme__body"


class GatewayDecision(AppendOnlyModel):
    """A decision raised on a stage of a programme. Carried, it locks the stage (until an approved
    reopen supersedes it). Never changed."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="gateway_decisions")
    stage = models.CharField(max_length=20, choices=GATEWAY_CHOICES)
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="gateway")
    raised_at = models.DateTimeField()

    objects = ProgrammeChildQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["programme", "pk"]

    def __str__(self):
        return f"{self.programme}: {self.get_stage_display()} – {self.decision}"


class ReopenRequest(AppendOnlyModel):
    """A request to reopen a locked stage of a programme, with why and the public-interest
    justification (without one it can only be refused). Never changed."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reopen_requests")
    stage = models.CharField(max_length=20, choices=GATEWAY_CHOICES)
    reason = models.TextField("why reopen it", validators=[reject_nhs_number])
    public_interest = models.TextField("public-interest justification", blank=True, validators=[reject_nhs_number])
    requested_by = models.CharField(
        "requested by", max_length=200, validators=[reject_nhs_number], help_text="Who asks: a person or organisation."
    )
    raised_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ProgrammeChildQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["programme", "pk"]

    def __str__(self):
        return f"Reopen {self.get_stage_display().lower()}: {self.programme}"

    def get_absolute_url(self):
        return f"{self.programme.get_absolute_url()}#reopen-{self.pk}"


class ReopenOutcomeQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    body_path = "request__programme__body"


class ReopenOutcome(AppendOnlyModel):
    """A reopen request approved (by a unanimous decision of the parent body, or of the body
    itself where it has none) or refused (with the reason). Never changed."""

    request = models.OneToOneField(ReopenRequest, on_delete=models.PROTECT, related_name="outcome")
    approved = models.BooleanField()
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reopen_approvals",
        help_text="The unanimous decision approving it.",
    )
    note = models.TextField("why refused", blank=True, validators=[reject_nhs_number])
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReopenOutcomeQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved=True, decision__isnull=False) | Q(approved=False, decision__isnull=True),
                name="reopen_approved_by_a_decision",
            ),
            models.CheckConstraint(condition=Q(approved=True) | ~Q(note=""), name="reopen_refused_with_reason"),
        ]

    def __str__(self):
        return f"{self.request}: {'approved' if self.approved else 'refused'}"


class DisputeQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    body_path = "decision__body"


class Dispute(AppendOnlyModel):
    """A dispute of a closed decision by an organisation it binds, raised within the window of the
    terms of reference the decision was taken under. Never changed: it moves up the dispute route
    by ``DisputeEscalation`` rows and is resolved by a new decision (a ``Supersession``)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="disputes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="governance_disputes")
    grounds = models.TextField(validators=[reject_nhs_number])
    raised_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = DisputeQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-raised_on", "-pk"]

    def __str__(self):
        return f"{self.organisation} disputes “{self.decision}”"

    def get_absolute_url(self):
        return reverse_pk("governance:dispute", self.pk)


class DisputeEscalationQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    body_path = "dispute__decision__body"


class DisputeEscalation(AppendOnlyModel):
    """A dispute taken to a level of the dispute route (the first when raised). Never changed."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="escalations")
    level = models.PositiveSmallIntegerField(help_text="Its place in the dispute route, from 0.")
    level_name = models.CharField(max_length=200, editable=False)  # copied from the route
    skip_reason = models.TextField("reason for skipping a level", blank=True, validators=[reject_nhs_number])
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = DisputeEscalationQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["dispute", "level"]
        constraints = [models.UniqueConstraint(fields=["dispute", "level"], name="one_escalation_a_level")]

    def __str__(self):
        return f"{self.dispute}: {self.level_name}"


class SupersessionQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    body_path = "original__body"


class Supersession(AppendOnlyModel):
    """A decision superseded by a later one, both kept and linked: by an approved reopen of a
    locked gateway, or by the decision resolving a dispute. Never changed."""

    original = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="supersession")
    by = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="supersedes", verbose_name="superseded by")
    reopen = models.ForeignKey(
        ReopenOutcome, null=True, blank=True, on_delete=models.PROTECT, related_name="supersessions"
    )
    dispute = models.OneToOneField(Dispute, null=True, blank=True, on_delete=models.PROTECT, related_name="resolution")
    recorded_at = models.DateTimeField()

    objects = SupersessionQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reopen__isnull=False, dispute__isnull=True) | Q(reopen__isnull=True, dispute__isnull=False),
                name="superseded_by_a_reopen_or_a_dispute",
            ),
            models.CheckConstraint(condition=~Q(original=models.F("by")), name="superseded_by_another_decision"),
        ]

    def __str__(self):
        return f"“{self.original}” superseded by “{self.by}”"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionQuerySet(BodyChildQuerySet):
    body_path = "meeting__body"

    def overdue(self, today):
        """Open actions whose due date has passed (``today`` is the date in Europe/London)."""
        return self.filter(status=ActionStatus.OPEN, due_on__lt=today)


class Action(models.Model):
    """An action raised at a meeting: who does what by when. Overdue is derived from the due date
    and today (Europe/London), never stored; an open action is carried to the body's next meetings
    until it is done or dropped."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions", verbose_name="raised at")
    item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name="agenda item",
    )
    description = models.TextField("action", validators=[reject_nhs_number])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="governance_actions",
        verbose_name="owner (Accord user)",
    )
    owner_name = models.CharField(
        "owner (person outside Accord)", max_length=150, blank=True, validators=[reject_nhs_number]
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="governance_actions"
    )
    due_on = models.DateField("due date")
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return f"{self.owner_display}: {self.description[:60]}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#action-{self.pk}"

    @property
    def owner_display(self):
        return self.owner_name or (str(self.owner) if self.owner_id else "")

    def is_overdue(self, today):
        return self.status == ActionStatus.OPEN and self.due_on < today

    def clean(self):
        errors = {}
        if bool(self.owner_id) == bool((self.owner_name or "").strip()):
            errors["owner_name"] = "Choose an Accord user or type the name of a person outside Accord, not both."
        if self.item_id and self.item.meeting_id != self.meeting_id:
            errors["item"] = "Choose an item of this meeting."
        if errors:
            raise ValidationError(errors)


class ReviewOutcome(models.TextChoices):
    ENTERED = "entered", "Accepted into the register of interests"
    ACTION = "action", "Action taken to manage it recorded"


class DeclarationReviewQuerySet(AppendOnlyQuerySet, BodyChildQuerySet):
    body_path = "meeting__body"


class DeclarationReview(AppendOnlyModel):
    """A declaration made at a meeting (a register entry made there, or a declaration on an item
    not yet in the register), reviewed at a later meeting of the body. Until then it is pending.
    Never changed: the review is a row of its own, the declaration stays as it was made."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="declaration_reviews", verbose_name="reviewed at"
    )
    interest = models.OneToOneField(Interest, null=True, blank=True, on_delete=models.PROTECT, related_name="review")
    item_declaration = models.OneToOneField(
        ItemDeclaration, null=True, blank=True, on_delete=models.PROTECT, related_name="review"
    )
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    action_taken = models.TextField("action taken to manage it", blank=True, validators=[reject_nhs_number])
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    objects = DeclarationReviewQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interest__isnull=False) | Q(item_declaration__isnull=False),
                name="review_names_a_declaration",
            ),
        ]

    def __str__(self):
        return f"Review at {self.meeting}: {self.get_outcome_display()}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#declarations-review"
