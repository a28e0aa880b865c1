"""Reads of governance that more than one page (and later the coordinator's work queue) ask."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from core.dates import day
from core.permissions import scope
from governance import rules
from governance.models import (
    FREQUENCY_DAYS,
    Body,
    Decision,
    DecisionStatus,
    Dispute,
    DisputeEscalation,
    Frequency,
    GatewayDecision,
    ItemDeclaration,
    Meeting,
    MeetingStatus,
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
    carried = {"minutes": [], "declarations": []}
    if previous is not None:
        carried["minutes"] = list(previous.minutes.exclude(status="approved").order_by("version"))
        carried["declarations"] = list(previous.declared_interests.order_by("name", "pk"))
    return {
        "items": items,
        "attendance": attendance,
        "minutes": list(meeting.minutes.select_related("approved_at").order_by("version")),
        "previous": previous,
        "carried": carried,
    }


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


def meetings_due(user, today):
    """The bodies the user is secretary of that are not meeting as often as their terms say:
    no meeting held within the longest gap the frequency allows. One query, whatever the size."""
    bodies = scope(user, "change", Body.objects.all()).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    items = []
    for body in with_meeting_cadence(bodies, today).exclude(terms_frequency=None).order_by("name", "pk"):
        most = FREQUENCY_DAYS.get(body.terms_frequency)
        if most is None:
            continue
        last = timezone.localdate(body.last_held_at) if body.last_held_at else None
        due = (last or body.terms_from) + datetime.timedelta(days=most)
        if due < today:
            frequency = dict(Frequency.choices)[body.terms_frequency].lower()
            since = f"the last was on {day(last)}" if last else "none has been held"
            items.append(MeetingsDue(body, due, f"Meets {frequency} under its terms of reference; {since}."))
    return items


def _end_of(today):
    return timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))


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


def disputes_open(user, today):
    """The open disputes of the bodies the user is secretary of, with the level each has reached.
    One query, whatever the number."""
    level = DisputeEscalation.objects.filter(dispute=OuterRef("pk")).order_by("-level")
    governed = Body.partnerships.through.objects.filter(body=OuterRef("decision__body")).order_by(
        "partnership__reference"
    )
    disputes = (
        open_disputes(scope(user, "change", Dispute.objects.all()))
        .select_related("decision", "organisation")
        .annotate(
            level_name=Subquery(level.values("level_name")[:1]),
            partnership=Subquery(governed.values("partnership__reference")[:1]),
        )
        .order_by("raised_on", "pk")
    )
    return [DisputeOpen(d, d.raised_on, f"Raised on {day(d.raised_on)}; now with {d.level_name}.") for d in disputes]


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
