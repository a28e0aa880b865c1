"""Reads of governance that more than one page (and later the coordinator's work queue) ask."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, DateField, Exists, F, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from accounts.models import User
from core.dates import day, local_today
from core.permissions import ALL, grant, scope
from governance import rules
from governance.models import (
    FREQUENCY_DAYS,
    Action,
    ActionStatus,
    Body,
    Decision,
    DecisionStatus,
    Dispute,
    DisputeEscalation,
    Frequency,
    GatewayDecision,
    Interest,
    ItemDeclaration,
    Meeting,
    MeetingStatus,
    Membership,
    ReopenRequest,
    Supersession,
    TermsOfReference,
)


def decisions_for_review(decisions=None):
    """Closed decisions on whose item a member declared, after the close, an interest that would
    have barred them: the result stands (DECISIONS.md), the decision is flagged for review."""
    decisions = Decision.objects.all() if decisions is None else decisions
    late = ItemDeclaration.objects.filter(
        item=OuterRef("item"),
        declared_at__gt=OuterRef("closed_at"),
        management__in=[c.value for c in rules.BARS_VOTING],
    )
    return decisions.filter(status=DecisionStatus.CLOSED).filter(Exists(late))


@dataclass(frozen=True)
class Cadence:
    """Whether a body meets as often as its terms of reference say."""

    ok: bool
    text: str


def meeting_frequency(body, terms, last_held, today):
    """From the terms in force and the date of the last meeting held (not cancelled, in the past).

    The longest gap the terms allow (``models.FREQUENCY_DAYS``: "at least monthly" is 31 days) is
    measured from the last meeting held, or from the date the terms took effect when none was."""
    if body is not None and body.ends_on and body.ends_on < today:
        return Cadence(True, f"Stood down on {day(body.ends_on)}: no meetings are expected.")
    if terms is None:
        return Cadence(False, "No terms of reference recorded, so no meeting frequency is set.")
    most = terms.most_days_between_meetings
    if most is None:
        return Cadence(True, f"Meets {terms.get_frequency_display().lower()}.")
    since = last_held or terms.effective_from
    gap = (today - since).days
    wanted = terms.get_frequency_display().lower()
    if gap <= most:
        return Cadence(True, f"Meeting as often as the terms of reference say ({wanted}).")
    what = f"last met on {day(last_held)}" if last_held else "no meeting held yet"
    return Cadence(False, f"Not meeting as often as the terms of reference say ({wanted}): {what}.")


def body_page(body, today):
    """What a body's page shows, in a fixed number of queries however much the body holds."""
    members = [
        m
        for m in body.memberships.select_related("user", "organisation", "deputy_for__user").order_by(
            "role", "name", "pk"
        )
        if m.is_current(today)
    ]
    terms = list(body.terms.order_by("-effective_from"))
    in_force = next((t for t in terms if t.effective_from <= today), None)
    meetings = list(body.meetings.order_by("starts_at"))
    now = timezone.now()
    upcoming = [m for m in meetings if m.starts_at >= now and m.status == MeetingStatus.SCHEDULED]
    past = [m for m in reversed(meetings) if m.starts_at < now]
    held = [m for m in past if m.status != MeetingStatus.CANCELLED]
    last_held = timezone.localdate(held[0].starts_at) if held else None
    decisions = list(body.decisions.select_related("item__meeting").order_by("-pk")[:DECISIONS_SHOWN])
    return {
        "members": members,
        "terms": terms,
        "terms_in_force": in_force,
        "upcoming_meetings": upcoming,
        "past_meetings": past[:PAST_MEETINGS_SHOWN],
        "decisions": decisions,
        "frequency": meeting_frequency(body, in_force, last_held, today),
        "governs": list(body.partnerships.order_by("reference")),
        "open_actions": list(
            Action.objects.filter(meeting__body=body, status=ActionStatus.OPEN)
            .select_related("meeting", "owner", "organisation")
            .order_by("due_on", "pk")
        ),
        "today": today,
    }


DECISIONS_SHOWN = 20
PAST_MEETINGS_SHOWN = 12


def meeting_page(meeting):
    """What a meeting's page shows, in a fixed number of queries however long its agenda."""
    items = list(meeting.items.select_related("partnership").order_by("number"))
    declarations = {}
    for d in ItemDeclaration.objects.filter(item__meeting=meeting).select_related("membership__user"):
        declarations.setdefault(d.item_id, []).append(d)
    decisions = {}
    for d in Decision.objects.filter(item__meeting=meeting).order_by("pk"):
        decisions.setdefault(d.item_id, []).append(d)
    for item in items:
        item.declared = declarations.get(item.pk, [])
        item.decided = decisions.get(item.pk, [])
    attendance = list(
        meeting.attendances.select_related("membership__user", "membership__organisation").order_by(
            "membership__role", "membership__name", "pk"
        )
    )
    previous = (
        Meeting.objects.filter(body_id=meeting.body_id, starts_at__lt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at")
        .first()
    )
    interest_flags(meeting, items)
    return {
        "items": items,
        "attendance": attendance,
        "minutes": list(meeting.minutes.select_related("approved_at").order_by("version")),
        "previous": previous,
        "carried": carried_over(meeting, previous),
        "actions": list(meeting.actions.select_related("owner", "organisation", "item").order_by("due_on", "pk")),
        "today": local_today(),
    }


def carried_over(meeting, previous):
    """What closing the body's earlier meetings carries onto this one, computed (nothing is
    copied): the approval of the previous meeting's minutes, the actions raised at earlier
    meetings still open, the declarations made at earlier meetings not yet reviewed, and the
    reviews made at this meeting. A meeting scheduled after the close shows them all the same."""
    earlier = {"body_id": meeting.body_id, "starts_at__lt": meeting.starts_at}
    previous_minutes = list(previous.minutes.order_by("version")) if previous else []
    carried = {
        "minutes": [m for m in previous_minutes if m.status != "approved"],
        "minutes_missing": previous is not None and not previous_minutes,
        "actions": list(
            Action.objects.filter(meeting__in=Meeting.objects.filter(**earlier), status=ActionStatus.OPEN)
            .select_related("meeting", "owner", "organisation")
            .order_by("due_on", "pk")
        ),
        "interests": list(
            pending_interests()
            .filter(declared_at_meeting__in=Meeting.objects.filter(**earlier))
            .select_related("declared_at_meeting")
            .order_by("declared_at_meeting__starts_at", "name", "pk")
        ),
        "item_declarations": list(
            pending_item_declarations()
            .filter(item__meeting__in=Meeting.objects.filter(**earlier))
            .select_related("membership__user", "item__meeting")
            .order_by("declared_at", "pk")
        ),
        "reviews": list(
            meeting.declaration_reviews.select_related(
                "interest", "item_declaration__membership__user", "reviewed_by"
            ).order_by("pk")
        ),
    }
    carried["pending"] = len(carried["interests"]) + len(carried["item_declarations"])
    return carried


def pending_interests():
    """Register entries made at a meeting and not yet reviewed at a later one."""
    return Interest.objects.filter(declared_at_meeting__isnull=False, review__isnull=True)


def pending_item_declarations():
    """Declarations on an item that name no register entry and are not yet reviewed."""
    return ItemDeclaration.objects.filter(interest__isnull=True, review__isnull=True)


def next_meeting(meeting):
    """The body's next scheduled meeting after ``meeting`` (``None`` when none is scheduled yet)."""
    return (
        Meeting.objects.filter(body_id=meeting.body_id, starts_at__gt=meeting.starts_at, status=MeetingStatus.SCHEDULED)
        .order_by("starts_at")
        .first()
    )


def carry_over_note(meeting):
    """What closing ``meeting`` carries over and where to, in a sentence for the confirmation."""
    upto = Meeting.objects.filter(body_id=meeting.body_id, starts_at__lte=meeting.starts_at)
    actions = Action.objects.filter(meeting__in=upto, status=ActionStatus.OPEN).count()
    declarations = (
        pending_interests().filter(declared_at_meeting__in=upto).count()
        + pending_item_declarations().filter(item__meeting__in=upto).count()
    )
    what = (
        f"the approval of these minutes, {actions} open action{'s' if actions != 1 else ''} and "
        f"{declarations} declaration{'s' if declarations != 1 else ''} to review"
    )
    following = next_meeting(meeting)
    if following is None:
        return (
            f"Closing carries {what}. No next meeting of the body is scheduled yet: they will show on "
            "whichever meeting is scheduled next."
        )
    when = timezone.localtime(following.starts_at)
    return f"Closing carries {what} to the next meeting, on {day(when.date())} at {when:%H:%M}."


def _current_on(on):
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def interest_flags(meeting, items):
    """Flag on each item about a partnership or organisation the members of the body (on the
    meeting's date) with a current interest touching it: ``item.flags``. One query for the agenda."""
    for item in items:
        item.flags = []
    partnerships = {i.partnership_id for i in items if i.partnership_id}
    organisations = {i.organisation_id for i in items if i.organisation_id}
    if not (partnerships or organisations):
        return
    on = timezone.localdate(meeting.starts_at)
    members = Membership.objects.filter(_current_on(on), body_id=meeting.body_id)
    interests = (
        current_interests(on)
        .filter(Q(partnership_id__in=partnerships) | Q(organisation_id__in=organisations))
        .filter(Q(membership__in=members) | Q(user__in=members.filter(user__isnull=False).values("user")))
        .select_related("organisation", "partnership")
        .order_by("name", "pk")
    )
    for interest in interests:
        for item in items:
            if (item.partnership_id and item.partnership_id == interest.partnership_id) or (
                item.organisation_id and item.organisation_id == interest.organisation_id
            ):
                item.flags.append(interest)


def current_interests(on):
    """Declared interests (not nil returns, not superseded) that apply on the date ``on``."""
    return Interest.objects.filter(
        Q(applies_from__isnull=True) | Q(applies_from__lte=on),
        Q(applies_to__isnull=True) | Q(applies_to__gte=on),
        nil_return=False,
        superseded_by__isnull=True,
        declared_on__lte=on,
    )


def decision_page(decision):
    """What a decision's record shows: its rule, who could vote and why not (at opening and at
    close), every vote cast (changed votes included), the result and the organisations bound."""
    records = list(decision.eligibility.select_related("organisation").order_by("stage", "member_name", "pk"))
    ballots = list(decision.ballots.select_related("membership__user", "recorded_by").order_by("pk"))
    latest = {}
    for b in ballots:
        latest[b.membership_id] = b.pk
    for b in ballots:
        b.superseded = latest[b.membership_id] != b.pk
    rule = decision.copied_rule() if decision.rule else None
    return {
        "rule": rule,
        "rule_text": describe_rule(rule) if rule else "",
        "at_opening": [r for r in records if r.stage == "opening"],
        "at_close": [r for r in records if r.stage == "close"],
        "ballots": ballots,
        "bound": [b.organisation for b in decision.bindings.select_related("organisation")],
        "affected": list(decision.affected.order_by("name")),
        "for_review": decision.status == DecisionStatus.CLOSED
        and decisions_for_review(Decision.objects.filter(pk=decision.pk)).exists(),
    }


def describe_rule(rule):
    """The rule in words, as the decision record states it."""
    method = rules.METHOD_LABELS[rule.method]
    if rule.method == rules.Method.QUALIFIED_MAJORITY:
        method += f" of {rule.threshold.numerator}/{rule.threshold.denominator}"
    if rule.method in (rules.Method.SIMPLE_MAJORITY, rules.Method.QUALIFIED_MAJORITY):
        method += f", out of {rules.BASE_LABELS[rule.base].lower()}"
    quorum = [f"{rule.quorum_members} voting members"]
    if rule.quorum_fraction:
        quorum.append(f"{rule.quorum_fraction.numerator}/{rule.quorum_fraction.denominator} of the voting members")
    if rule.quorum_organisations:
        quorum.append(f"{rule.quorum_organisations} organisations")
    if rule.quorum_needs_chair:
        quorum.append("the chair or vice-chair")
    return f"{method}. Quorum: {', '.join(quorum)}."


@dataclass(frozen=True)
class MeetingsDue:
    """A body not meeting as often as its terms of reference say (an item of "needs attention")."""

    body: object
    due: datetime.date
    message: str
    tag: str = "Meeting overdue"
    colour: str = "orange"

    @property
    def title(self):
        return self.body.name

    @property
    def url(self):
        return self.body.get_absolute_url()

    @property
    def reference(self):
        return self.body.first_partnership or ""


def with_meeting_cadence(bodies, today):
    """Bodies with the frequency and start of the terms in force on ``today`` and the date of their
    last meeting held (not cancelled, started before today ends): subqueries, one query in all."""
    terms = TermsOfReference.objects.filter(body=OuterRef("pk"), effective_from__lte=today).order_by("-effective_from")
    held = Meeting.objects.filter(body=OuterRef("pk"), starts_at__lt=_end_of(today)).exclude(
        status=MeetingStatus.CANCELLED
    )
    governed = Body.partnerships.through.objects.filter(body=OuterRef("pk")).order_by("partnership__reference")
    return bodies.annotate(
        terms_frequency=Subquery(terms.values("frequency")[:1]),
        terms_from=Subquery(terms.values("effective_from")[:1]),
        last_held_at=Subquery(held.order_by("-starts_at").values("starts_at")[:1]),
        first_partnership=Subquery(governed.values("partnership__reference")[:1]),
    )


def meetings_due_rows(user, today):
    """The bodies the user is secretary of that are not meeting as often as their terms say: no
    meeting held within the longest gap the frequency allows, since the last one (or since the
    terms took effect). Filtered and dated in SQL."""
    bodies = scope(user, "change", Body.objects.all()).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    bodies = with_meeting_cadence(bodies, today).annotate(
        cadence_from=Coalesce(TruncDate("last_held_at"), F("terms_from"))
    )
    late, due = Q(pk__in=[]), []
    for frequency, most in FREQUENCY_DAYS.items():
        late |= Q(terms_frequency=frequency, cadence_from__lt=today - datetime.timedelta(days=most))
        gap = Value(datetime.timedelta(days=most))
        due.append(When(terms_frequency=frequency, then=Cast(F("cadence_from") + gap, DateField())))
    return bodies.filter(late).annotate(attention_due=Case(*due, output_field=DateField()))


def meetings_due_item(body, today):
    frequency = dict(Frequency.choices)[body.terms_frequency].lower()
    last = timezone.localdate(body.last_held_at) if body.last_held_at else None
    since = f"the last was on {day(last)}" if last else "none has been held"
    return MeetingsDue(body, body.attention_due, f"Meets {frequency} under its terms of reference; {since}.")


def _end_of(today):
    return timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))


@dataclass(frozen=True)
class ActionOverdue:
    """An open action past its due date (an item of "needs attention")."""

    action: object
    due: datetime.date
    message: str
    tag: str = "Action overdue"
    colour: str = "red"

    @property
    def title(self):
        return f"{self.action.meeting.body.name}: {Truncator(self.action.description).chars(80)}"

    @property
    def url(self):
        return self.action.get_absolute_url()

    @property
    def reference(self):
        return self.action.first_partnership or ""


def overdue_action_rows(user, today):
    """Open actions past their due date: every one of the bodies the user is secretary of, and
    those the user owns on bodies they may read."""
    if grant(user, "view", Action) is None:
        return Action.objects.none()
    everything = Action.objects.all()
    theirs = Q(pk__in=scope(user, "change", everything).values("pk")) | Q(
        pk__in=scope(user, "view", everything).filter(owner=user).values("pk")
    )
    governed = Body.partnerships.through.objects.filter(body=OuterRef("meeting__body")).order_by(
        "partnership__reference"
    )
    return (
        Action.objects.overdue(today)
        .filter(theirs)
        .select_related("meeting__body", "owner")
        .annotate(first_partnership=Subquery(governed.values("partnership__reference")[:1]), attention_due=F("due_on"))
    )


def overdue_action_item(a, today):
    return ActionOverdue(
        a,
        a.due_on,
        f"Due on {day(a.due_on)}; owner {a.owner_display}; raised at the meeting of "
        f"{day(timezone.localdate(a.meeting.starts_at))}.",
    )


@dataclass(frozen=True)
class DeclarationDue:
    """A person whose annual declaration of interests (or nil return) is due: a member of a body
    with none since joining, or anyone whose latest is more than 12 months old."""

    name: str
    last: datetime.date | None
    due: datetime.date
    joined: datetime.date | None = None
    tag: str = "Declaration due"
    colour: str = "orange"
    reference: str = ""

    @property
    def title(self):
        return self.name

    @property
    def url(self):
        return reverse("governance:interests")

    @property
    def message(self):
        if self.last is None:
            return (
                f"No declaration of interests or nil return since joining on {day(self.joined)}: "
                "one is due within 28 days of joining."
            )
        return f"Last declaration or nil return on {day(self.last)}: one is due every year."


def _a_year_after(date):
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year + 1, day=28)


def _a_year_before(date):
    try:
        return date.replace(year=date.year - 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year - 1, day=28)


def _declaring_late(people, today):
    """``people`` (annotated ``last_declared`` and ``joined_on``) whose declaration is due: the
    latest more than 12 months old, or none more than 28 days after joining; dated in SQL."""
    late = Q(last_declared__lt=_a_year_before(today)) | Q(
        last_declared__isnull=True, joined_on__lt=today - datetime.timedelta(days=28)
    )
    due = Case(
        When(
            last_declared__isnull=False,
            then=Cast(F("last_declared") + Value(datetime.timedelta(days=365)), DateField()),
        ),
        default=Cast(F("joined_on") + Value(datetime.timedelta(days=28)), DateField()),
        output_field=DateField(),
    )
    return people.filter(late).annotate(attention_due=due)


def members_now(today):
    """Current memberships of bodies not stood down."""
    return Membership.objects.filter(_current_on(today)).filter(
        Q(body__ends_on__isnull=True) | Q(body__ends_on__gte=today)
    )


def declaring_users(today, user=None):
    """Accord users whose declaration of interests (or nil return) is due: each current member of a
    body (once, however many bodies) and each user who has declared. ``user``: only that user."""
    joined = members_now(today).filter(user=OuterRef("pk")).order_by("starts_on", "pk").values("starts_on")[:1]
    last = Interest.objects.filter(user=OuterRef("pk")).order_by().values("user").annotate(m=Max("declared_on"))
    people = User.objects.annotate(joined_on=Subquery(joined), last_declared=Subquery(last.values("m")))
    people = people.filter(Q(joined_on__isnull=False) | Q(last_declared__isnull=False))
    return _declaring_late(people if user is None else people.filter(pk=user.pk), today)


def declaring_members(today):
    """Members named on a body but not Accord users whose declaration is due (each membership)."""
    last = (
        Interest.objects.filter(membership=OuterRef("pk"))
        .order_by()
        .values("membership")
        .annotate(m=Max("declared_on"))
    )
    members = members_now(today).filter(user__isnull=True)
    return _declaring_late(members.annotate(joined_on=F("starts_on"), last_declared=Subquery(last.values("m"))), today)


def declaration_item(person, today):
    """A row of :func:`declaring_users` or :func:`declaring_members` as a :class:`DeclarationDue`."""
    last, joined = person.last_declared, person.joined_on
    name = person.person_name if isinstance(person, Membership) else (person.get_full_name() or person.username)
    when = _a_year_after(last) if last else joined + datetime.timedelta(days=28)
    return DeclarationDue(name, last, when, joined)


def declarations_due(today, user=None):
    """Who must declare (or make a nil return) now, longest overdue first (the register of
    interests' page): the users of :func:`declaring_users` and, unless ``user`` is given, the
    members of :func:`declaring_members`. Two queries, whatever the size."""
    people = list(declaring_users(today, user)) + ([] if user is not None else list(declaring_members(today)))
    return sorted((declaration_item(p, today) for p in people), key=lambda d: (d.due, d.name))


def declaration_rows(user, today):
    """The "needs attention" rows: every declaration due for who keeps the register, the user's own otherwise."""
    return declaring_users(today, None if grant(user, "add", Interest) == ALL else user)


def member_declaration_rows(user, today):
    """Named members' declarations due, for who keeps the register only."""
    return declaring_members(today) if grant(user, "add", Interest) == ALL else Membership.objects.none()


def with_declaration_dates(interests):
    """Register entries with the dates the 28-day rule needs: ``joined_on``, when the person
    declaring joined their first body (as an Accord user, or as the named member), and
    ``first_declared``, the date of the person's first entry. Subqueries: one query in all."""
    by_user = Membership.objects.filter(user=OuterRef("user")).values("user").annotate(first=Min("starts_on"))
    first_by_user = Interest.objects.filter(user=OuterRef("user")).values("user").annotate(first=Min("declared_on"))
    first_by_member = (
        Interest.objects.filter(membership=OuterRef("membership"))
        .values("membership")
        .annotate(first=Min("declared_on"))
    )
    return interests.annotate(
        joined_on=Coalesce(Subquery(by_user.values("first")[:1]), F("membership__starts_on")),
        first_declared=Coalesce(
            Subquery(first_by_user.values("first")[:1]), Subquery(first_by_member.values("first")[:1])
        ),
    )


# --- locked gateways and disputes -----------------------------------------------------------------


def locked_gateways(programme):
    """{stage: the decision locking it}: the programme's carried gateway decisions that no approved
    reopen (nor a dispute's resolution) has superseded. One query."""
    rows = GatewayDecision.objects.filter(
        programme=programme,
        decision__status=DecisionStatus.CLOSED,
        decision__outcome=rules.Outcome.CARRIED,
        decision__supersession__isnull=True,
    ).select_related("decision")
    return {rules.Gateway(g.stage): g.decision for g in rows.order_by("pk")}


def _locks(decision):
    """The same rule as :func:`locked_gateways`, for a decision already read with its supersession."""
    superseded = getattr(decision, "supersession", None) is not None
    return decision.status == DecisionStatus.CLOSED and decision.outcome == rules.Outcome.CARRIED and not superseded


@dataclass(frozen=True)
class GatewayRow:
    """One stage of a programme as its page shows it."""

    stage: rules.Gateway
    state: rules.GatewayState
    lock: object  # the decision locking it, or None
    decisions: list  # every decision raised on the stage, oldest first

    @property
    def label(self):
        return rules.GATEWAY_LABELS[self.stage]

    @property
    def state_label(self):
        return rules.GATEWAY_STATE_LABELS[self.state]


def programme_page(programme):
    """A programme's stages (state, locking decision, every decision raised on each) and its reopen
    requests with their outcomes, in a fixed number of queries."""
    links = list(
        GatewayDecision.objects.filter(programme=programme).select_related("decision__supersession__by").order_by("pk")
    )
    by_stage, locked = {}, {}
    for link in links:
        by_stage.setdefault(link.stage, []).append(link.decision)
        if _locks(link.decision):
            locked[rules.Gateway(link.stage)] = link.decision
    states = rules.gateway_states(locked)
    stages = [GatewayRow(s, states[s], locked.get(s), by_stage.get(s.value, [])) for s in rules.Gateway]
    requests = list(
        ReopenRequest.objects.filter(programme=programme)
        .select_related("outcome__decision", "outcome__recorded_by", "recorded_by")
        .order_by("-pk")
    )
    return {
        "stages": stages,
        "open_stage": rules.open_gateway(states),
        "locked_stages": [s for s in stages if s.state == rules.GatewayState.LOCKED],
        "requests": requests,
        "pending_request": next((r for r in requests if not hasattr(r, "outcome")), None),
        "pending_decision": next((d for link in links if (d := link.decision).status != DecisionStatus.CLOSED), None),
    }


def dispute_page(dispute):
    """A dispute's route with the levels reached (and why any was skipped), its window and its
    resolution, in a fixed number of queries."""
    escalations = list(dispute.escalations.select_related("recorded_by").order_by("level"))
    reached = {e.level: e for e in escalations}
    terms = dispute.decision.terms
    route = list(terms.dispute_route)
    current = max(reached) if reached else 0
    resolution = getattr(dispute, "resolution", None)
    return {
        "route": [(n, level, reached.get(n), n < current and n not in reached) for n, level in enumerate(route)],
        "current": route[current],
        "is_top": current == len(route) - 1,
        "escalations": escalations,
        "window_days": terms.dispute_window_days,
        "resolution": resolution,
    }


def open_disputes(disputes=None):
    """Disputes not yet resolved by a new decision (for "needs attention" and the board report)."""
    disputes = Dispute.objects.all() if disputes is None else disputes
    return disputes.filter(resolution__isnull=True)


@dataclass(frozen=True)
class DisputeOpen:
    """An open dispute (an item of "needs attention")."""

    dispute: object
    due: datetime.date
    message: str
    tag: str = "Dispute open"
    colour: str = "red"

    @property
    def title(self):
        return str(self.dispute)

    @property
    def url(self):
        return self.dispute.get_absolute_url()

    @property
    def reference(self):
        return self.dispute.partnership or ""


def disputes_open_rows(user, today):
    """The open disputes of the bodies the user is secretary of, with the level each has reached."""
    level = DisputeEscalation.objects.filter(dispute=OuterRef("pk")).order_by("-level")
    governed = Body.partnerships.through.objects.filter(body=OuterRef("decision__body")).order_by(
        "partnership__reference"
    )
    return (
        open_disputes(scope(user, "change", Dispute.objects.all()))
        .select_related("decision", "organisation")
        .annotate(
            level_name=Subquery(level.values("level_name")[:1]),
            partnership=Subquery(governed.values("partnership__reference")[:1]),
            attention_due=F("raised_on"),
        )
    )


def dispute_item(d, today):
    return DisputeOpen(d, d.raised_on, f"Raised on {day(d.raised_on)}; now with {d.level_name}.")


def body_programmes(body):
    """The body's programmes with the stage each is at, and its open disputes: two queries each."""
    programmes = list(body.programmes.order_by("title", "pk"))
    locks = {}
    for link in GatewayDecision.objects.filter(programme__body=body).select_related("decision__supersession"):
        if _locks(link.decision):
            locks.setdefault(link.programme_id, set()).add(rules.Gateway(link.stage))
    for p in programmes:
        stage = rules.open_gateway(rules.gateway_states(locks.get(p.pk, ())))
        p.stage_text = f"{rules.GATEWAY_LABELS[stage]} open" if stage else "Every stage locked"
    disputes = list(
        open_disputes(Dispute.objects.filter(decision__body=body)).select_related("organisation", "decision")
    )
    return programmes, disputes


def decision_links(decision):
    """What links a decision to gateways and disputes: the stage it was raised on, what superseded
    it and what it supersedes, and its disputes. A fixed number of queries."""
    return {
        "gateway": GatewayDecision.objects.filter(decision=decision).select_related("programme").first(),
        "superseded_by": Supersession.objects.filter(original=decision).select_related("by", "dispute").first(),
        "supersedes": list(Supersession.objects.filter(by=decision).select_related("original").order_by("pk")),
        "disputes": list(decision.disputes.select_related("organisation").order_by("-raised_on", "-pk")),
    }
