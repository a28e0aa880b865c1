"""The writes of governance: bodies' terms and members, meetings and their agendas, attendance
and declarations, and a decision's vote from opening to close. Each validates, refuses with a
message that says why (``ValidationError``), writes everything or nothing, and is audited by
``core.audit``. The rules are ``governance.rules``; this module gathers what they need from the
database and stores what they return.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import audit
from governance import rules
from governance.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Binding,
    Decision,
    DecisionStatus,
    DeclarationReview,
    Dispute,
    DisputeEscalation,
    EligibilityRecord,
    GatewayDecision,
    Interest,
    ItemDeclaration,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Purpose,
    ReopenOutcome,
    ReopenRequest,
    ReviewOutcome,
    Stage,
    StandingItem,
    Supersession,
)
from governance.selectors import locked_gateways

# Strongest first: what a member's declarations on an item come to.
_CONFLICT_ORDER = [rules.Conflict.LEAVES, rules.Conflict.DISCUSS_NOT_VOTE, rules.Conflict.NO_ACTION]


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _date(when):
    return timezone.localdate(when)


# --- bodies ---------------------------------------------------------------------------------------


def current_members(body, on):
    """The body's memberships on the date ``on``."""
    return [m for m in body.memberships.select_related("user", "organisation").order_by("pk") if m.is_current(on)]


def member_organisations(members):
    """The organisations a decision of the body can bind: those its voting members represent."""
    return {m.organisation_id for m in members if m.voting and m.organisation_id}


@transaction.atomic
def end_membership(membership, on):
    if membership.ends_on is not None:
        raise ValidationError(f"This membership already ended on {membership.ends_on:%d/%m/%Y}.")
    membership.ends_on = on
    return _save(membership)


# --- meetings -------------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(meeting):
    """Save a new meeting with its standing items (apologies, declarations of interest, minutes of
    the previous meeting, action log) numbered 1 to 4."""
    _save(meeting)
    for number, standing in enumerate(StandingItem, 1):
        purpose = Purpose.APPROVAL if standing == StandingItem.MINUTES else Purpose.INFORMATION
        AgendaItem.objects.create(
            meeting=meeting, number=number, title=standing.label, purpose=purpose, standing=standing
        )
    return meeting


@transaction.atomic
def add_item(item):
    """Add a secretary's item at the end of the agenda."""
    if item.meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("Items cannot be added to a meeting that is closed or cancelled.")
    last = item.meeting.items.aggregate(last=Max("number"))["last"] or 0
    item.number = last + 1
    return _save(item)


@transaction.atomic
def record_attendance(attendance):
    """Record (or correct) one member's attendance at a meeting."""
    if attendance.meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("Attendance cannot change once the meeting is closed.")
    if attendance.membership.body_id != attendance.meeting.body_id:
        raise ValidationError("Only members of the body can be recorded at its meeting.")
    existing = Attendance.objects.filter(meeting=attendance.meeting, membership=attendance.membership).first()
    if existing is not None and attendance.pk is None:
        attendance.pk = existing.pk
        attendance._state.adding = False
    return _save(attendance)


@transaction.atomic
def declare_on_item(declaration):
    """Record an interest declared on an agenda item and how the chair manages it.

    Declared while a vote on the item is open, it voids the member's vote when the vote closes
    (their eligibility at close says conflicted); declared after close it leaves the result alone
    and flags the decision for review (``selectors.decisions_for_review``).
    """
    item = declaration.item
    if declaration.membership.body_id != item.meeting.body_id:
        raise ValidationError("Only members of the body declare interests at its meeting.")
    declaration.declared_at = declaration.declared_at or timezone.now()
    return _save(declaration)


# --- decisions ------------------------------------------------------------------------------------


def _conflicts(decision):
    """{membership id: the strongest management of their declarations on the decision's item}."""
    if decision.item_id is None:
        return {}
    found = {}
    for membership_id, management in ItemDeclaration.objects.filter(item_id=decision.item_id).values_list(
        "membership_id", "management"
    ):
        current = found.get(membership_id)
        management = rules.Conflict(management)
        if current is None or _CONFLICT_ORDER.index(management) < _CONFLICT_ORDER.index(current):
            found[membership_id] = management
    return found


def _when_taken(decision, now):
    """The date a decision is taken on: its meeting's, or today's for written procedure."""
    if decision.item_id:
        return _date(decision.item.meeting.starts_at)
    return _date(now)


def members_for(decision, now=None):
    """The body's members as they stand for the decision now: ``(memberships, rules.Member list)``."""
    now = now or timezone.now()
    memberships = current_members(decision.body, _when_taken(decision, now))
    conflicts = _conflicts(decision)
    attendance = {}
    if decision.item_id:
        attendance = {a.membership_id: a for a in Attendance.objects.filter(meeting_id=decision.item.meeting_id)}
    people = []
    for m in memberships:
        if decision.item_id:
            a = attendance.get(m.pk)
            present = a is not None and a.present
            left = present and not a.present_for(decision.item.number)
        else:  # written procedure: every member may take part
            present, left = True, False
        people.append(
            rules.Member(
                key=m.pk,
                organisation=m.organisation_id,
                role=rules.Role(m.role),
                voting=m.voting,
                deputy_for=m.deputy_for_id,
                present=present,
                left_for_item=left,
                conflict=conflicts.get(m.pk, rules.Conflict.NONE),
            )
        )
    return memberships, people


def _affected(decision):
    return set(decision.affected.values_list("pk", flat=True)) if decision.category == 2 else None


@transaction.atomic
def raise_decision(decision, affected=()):
    """Save a new decision (not yet open) with the organisations it affects (category 2)."""
    if decision.item_id and decision.item.meeting.body_id != decision.body_id:
        raise ValidationError("The agenda item is not on one of this body's meetings.")
    if decision.item_id is None and decision.written_procedure_closes_at is None:
        raise ValidationError("A decision between meetings (written procedure) needs a closing time.")
    memberships = current_members(decision.body, _when_taken(decision, timezone.now()))
    problem = rules.scope_problem(decision.category, {o.pk for o in affected}, member_organisations(memberships))
    if problem:
        raise ValidationError(problem)
    _save(decision)
    decision.affected.set(affected)
    return decision


def _store_eligibility(decision, stage, memberships, records):
    by_pk = {m.pk: m for m in memberships}
    _bulk_create(
        EligibilityRecord(
            decision=decision,
            stage=stage,
            membership=by_pk[r.key],
            member_name=by_pk[r.key].person_name,
            organisation_id=by_pk[r.key].organisation_id,
            eligible=r.eligible,
            reason=r.reason or "",
            counts_to_quorum=r.counts_to_quorum,
        )
        for r in records
    )


def _bulk_create(objects):
    """Create rows in one query and audit each (``bulk_create`` sends no signals)."""
    objects = list(objects)
    if objects:
        type(objects[0]).objects.bulk_create(objects)
        audit.record_bulk(objects)
    return objects


@transaction.atomic
def open_vote(decision, now=None):
    """Open voting: copy the rule from the terms of reference in force, compute and store each
    member's eligibility (with the reason when not eligible). Refused when nobody may vote or the
    meeting is not quorate for the item."""
    now = now or timezone.now()
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError("Voting on this decision has already opened.")
    if decision.item_id and decision.item.meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("Voting cannot open at a meeting that is closed or cancelled.")
    terms = decision.body.terms_in_force(_when_taken(decision, now))
    if terms is None:
        raise ValidationError("The body has no terms of reference in force, so there is no rule to vote by.")
    rule = terms.rule()
    memberships, people = members_for(decision, now)
    affected = _affected(decision)
    problem = rules.opening_problem(people, rule, affected)
    if problem:
        raise ValidationError(problem)
    decision.terms = terms
    decision.rule = Decision.rule_to_json(rule)
    decision.status, decision.opened_at, decision.quorate_at_open = DecisionStatus.OPEN, now, True
    decision.save()
    _store_eligibility(decision, Stage.OPENING, memberships, rules.eligibility(people, rule, affected))
    return decision


@transaction.atomic
def cast_ballot(decision, membership, vote, recorded_by=None, now=None):
    """Record a member's vote (a changed vote is a new row). Refused, with the reason, for a
    member who may not vote on it now (conflicted, organisation not affected, absent …)."""
    now = now or timezone.now()
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    record = None
    if decision.status == DecisionStatus.OPEN:
        _, people = members_for(decision, now)
        records = rules.eligibility(people, decision.copied_rule(), _affected(decision))
        record = next((r for r in records if r.key == membership.pk), None)
    refusal = rules.ballot_refusal(decision.status, record, membership.person_name)
    if refusal:
        raise ValidationError(refusal)
    if decision.written_procedure_closes_at and now > decision.written_procedure_closes_at:
        raise ValidationError("The time for votes by written procedure has passed.")
    try:
        vote = rules.Vote(vote)
    except ValueError:
        raise ValidationError("Choose for, against or abstain.") from None
    return Ballot.objects.create(
        decision=decision, membership=membership, vote=vote, cast_at=now, recorded_by=recorded_by
    )


@transaction.atomic
def close_vote(decision, casting=None, now=None):
    """Close voting: recompute eligibility and quorum, store them, compute the result from the
    ballots with ``governance.rules.tally`` and record the organisations bound. Final after this."""
    now = now or timezone.now()
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.OPEN:
        raise ValidationError(
            "Voting on this decision has not opened yet."
            if decision.status == DecisionStatus.DRAFT
            else "Voting on this decision has already closed."
        )
    rule = decision.copied_rule()
    if casting and not rule.casting_vote:
        raise ValidationError("The terms of reference give the chair no casting vote.")
    memberships, people = members_for(decision, now)
    affected = _affected(decision)
    records = rules.eligibility(people, rule, affected)
    q = rules.quorum(people, rule, affected)
    ballots = [
        rules.Ballot(membership_id, rules.Vote(vote), pk)
        for pk, membership_id, vote in decision.ballots.values_list("pk", "membership_id", "vote")
    ]
    _refuse_early_written_close(decision, records, ballots, now)
    result = rules.tally(
        rule,
        [r.key for r in records if r.eligible],
        ballots,
        quorate_at_open=bool(decision.quorate_at_open),
        quorate_at_close=q.met,
        casting=rules.Vote(casting) if casting else None,
    )
    bound = rules.bound_organisations(
        result.outcome, decision.category, member_organisations(memberships), affected or ()
    )
    _store_eligibility(decision, Stage.CLOSE, memberships, records)
    _bulk_create(Binding(decision=decision, organisation_id=pk) for pk in sorted(bound))
    decision.quorate_at_close = q.met
    decision.casting_vote = casting if result.casting_vote_used else ""
    decision.outcome = result.outcome
    decision.votes_for, decision.votes_against, decision.abstentions = (
        result.votes_for,
        result.against,
        result.abstentions,
    )
    decision.base = result.base
    explanation = result.explanation if q.met else f"{result.explanation} {' '.join(q.shortfalls)}"
    decision.explanation = explanation[:300]
    decision.status, decision.closed_at = DecisionStatus.CLOSED, now
    decision.save()
    return decision


def _refuse_early_written_close(decision, records, ballots, now):
    """A vote by written procedure stays open until its closing time, unless every member who may
    vote has voted: closing it earlier would take their vote from the others."""
    closes = decision.written_procedure_closes_at
    if decision.item_id or closes is None or now >= closes:
        return
    waiting = {r.key for r in records if r.eligible} - {b.key for b in ballots}
    if waiting:
        raise ValidationError(
            f"Votes by written procedure are open until {timezone.localtime(closes):%d/%m/%Y %H:%M} and "
            f"{len(waiting)} member{'s' if len(waiting) != 1 else ''} who may vote "
            f"{'have' if len(waiting) != 1 else 'has'} not voted yet."
        )


@transaction.atomic
def close_meeting(meeting):
    """Close a meeting; refused while a vote on one of its items is open."""
    open_votes = Decision.objects.filter(item__meeting=meeting, status=DecisionStatus.OPEN)
    if open_votes.exists():
        titles = ", ".join(f"“{d.title}”" for d in open_votes)
        raise ValidationError(f"Close the vote on {titles} before closing the meeting.")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("This meeting is already closed or cancelled.")
    meeting.status = MeetingStatus.CLOSED
    meeting.save()
    return meeting


# --- minutes --------------------------------------------------------------------------------------


@transaction.atomic
def add_minutes(minutes):
    """A new version of a meeting's minutes, as a draft: the first, or a correction of approved ones."""
    meeting = Meeting.objects.select_for_update().get(pk=minutes.meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("A cancelled meeting has no minutes.")
    pending = meeting.minutes.exclude(status=MinutesStatus.APPROVED).first()
    if pending is not None:
        raise ValidationError(
            f"Version {pending.version} of these minutes is still {pending.get_status_display().lower()}: "
            "approve it before adding another."
        )
    minutes.version = (meeting.minutes.aggregate(last=Max("version"))["last"] or 0) + 1
    minutes.status = MinutesStatus.DRAFT
    return _save(minutes)


@transaction.atomic
def circulate_minutes(minutes):
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != MinutesStatus.DRAFT:
        raise ValidationError(f"These minutes are already {minutes.get_status_display().lower()}.")
    minutes.status = MinutesStatus.CIRCULATED
    return _save(minutes)


@transaction.atomic
def approve_minutes(minutes, at_meeting):
    """Approve circulated minutes at a later meeting of the same body. Final after this."""
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(
            "Minutes are approved once circulated."
            if minutes.status == MinutesStatus.DRAFT
            else "These minutes are already approved: a correction is a new version."
        )
    if at_meeting.body_id != minutes.meeting.body_id or at_meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("Minutes are approved at a meeting of the same body that took place.")
    minutes.status, minutes.approved_at = MinutesStatus.APPROVED, at_meeting
    return _save(minutes)


# --- actions --------------------------------------------------------------------------------------


@transaction.atomic
def save_action(action):
    """Record (or update) an action raised at a meeting, during it or after while writing up: not
    at a cancelled meeting, which raised nothing."""
    if action.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("A cancelled meeting raises no actions.")
    return _save(action)


# --- declarations made at a meeting, reviewed at a later one --------------------------------------


def _made_at(declaration):
    """The meeting a pending declaration was made at."""
    if isinstance(declaration, Interest):
        return declaration.declared_at_meeting
    return declaration.item.meeting


@transaction.atomic
def review_declaration(meeting, declaration, outcome, action_taken="", category="", user=None):
    """Review at ``meeting`` a declaration made at an earlier meeting of the body: accept it into
    the register of interests or record the action taken to manage it. The review is a new row;
    the declaration is never changed. A declaration on an item accepted into the register becomes
    a register entry (with the category the chair gives it), made at the meeting it was declared."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("Declarations are reviewed at a meeting that has not yet closed.")
    made_at = _made_at(declaration)
    if made_at is None or made_at.body_id != meeting.body_id or made_at.starts_at >= meeting.starts_at:
        raise ValidationError("A declaration is reviewed at a later meeting of the body it was made at.")
    if DeclarationReview.objects.filter(
        **{"interest" if isinstance(declaration, Interest) else "item_declaration": declaration}
    ).exists():
        raise ValidationError("This declaration has already been reviewed.")
    action_taken = (action_taken or "").strip()
    if outcome == ReviewOutcome.ACTION and not action_taken:
        raise ValidationError({"action_taken": "Record the action taken to manage the interest."})
    review = DeclarationReview(
        meeting=meeting, outcome=outcome, action_taken=action_taken, reviewed_by=user, reviewed_at=timezone.now()
    )
    if isinstance(declaration, Interest):
        review.interest = declaration
    else:
        review.item_declaration = declaration
        if outcome == ReviewOutcome.ENTERED:
            if not category:
                raise ValidationError({"category": "Choose the category of the interest for the register."})
            review.interest = _enter_in_register(declaration, category, action_taken)
    return _save(review)


def _enter_in_register(declaration, category, action_taken):
    """The register entry for a declaration made on an item."""
    m = declaration.membership
    return _save(
        Interest(
            user=m.user,
            membership=None if m.user_id else m,
            name=m.person_name,
            job_title=m.job_title or (m.user.job_title if m.user_id else ""),
            declared_on=_date(declaration.declared_at),
            category=category,
            details=declaration.details,
            action_taken=action_taken or declaration.get_management_display(),
            declared_at_meeting=declaration.item.meeting,
        )
    )


# --- locked gateways ------------------------------------------------------------------------------


def _pending_gateway_decision(programme):
    return Decision.objects.filter(gateway__programme=programme).exclude(status=DecisionStatus.CLOSED).first()


@transaction.atomic
def raise_gateway_decision(programme, decision, stage=None, affected=(), now=None):
    """Raise ``decision`` (on an agenda item of the programme's body) on a stage of the programme,
    linked to it: carried, it locks the stage. Refused unless the stage (by default the one open
    now) is open, and while a decision on the programme is still to be taken."""
    programme = type(programme).objects.select_for_update().get(pk=programme.pk)
    states = rules.gateway_states(locked_gateways(programme))
    stage = stage or rules.open_gateway(states)
    if stage is None:
        raise ValidationError("Every stage of this programme is locked: reopening one needs an approved request.")
    problem = rules.gateway_decision_problem(stage, states)
    if problem:
        raise ValidationError(problem)
    pending = _pending_gateway_decision(programme)
    if pending is not None:
        raise ValidationError(f"“{pending.title}” is still to be decided on this programme: close its vote first.")
    if decision.body_id != programme.body_id:
        raise ValidationError("A programme's stages are decided by the body that runs the programme.")
    raise_decision(decision, affected)
    return GatewayDecision.objects.create(
        programme=programme, stage=stage, decision=decision, raised_at=now or timezone.now()
    )


@transaction.atomic
def request_reopen(request):
    """Record a request to reopen a locked stage (the public-interest justification may be blank:
    such a request can only be refused, which the record then shows)."""
    locked = locked_gateways(request.programme)
    if rules.Gateway(request.stage) not in locked:
        stage = request.get_stage_display().lower()
        raise ValidationError(f"The {stage} stage is not locked: there is nothing to reopen.")
    if ReopenRequest.objects.filter(programme=request.programme, stage=request.stage, outcome__isnull=True).exists():
        raise ValidationError("A request to reopen this stage is already waiting for a decision.")
    request.raised_at = request.raised_at or timezone.now()
    return _save(request)


def _undecided(request):
    request = ReopenRequest.objects.select_for_update(of=("self",)).select_related("programme__body").get(pk=request.pk)
    if ReopenOutcome.objects.filter(request=request).exists():
        raise ValidationError("This reopen request has already been decided.")
    return request


def reopen_approvers(programme):
    """The body whose unanimous decision approves a reopen: the parent body, or the programme's
    own body where it has none (DECISIONS.md)."""
    return programme.body.parent or programme.body


def approval_problem(request, decision):
    """Why ``decision`` cannot approve the reopen ``request``, or ``None``."""
    approvers = reopen_approvers(request.programme)
    if decision.body_id != approvers.pk:
        return f"A reopen is approved by a unanimous decision of {approvers.name}."
    if decision.status != DecisionStatus.CLOSED or decision.outcome != rules.Outcome.CARRIED:
        return f"“{decision.title}” was not carried, so it approves nothing."
    eligible = decision.eligibility.filter(stage=Stage.CLOSE, eligible=True).count()
    if not rules.unanimous(decision.votes_for, decision.votes_against, decision.abstentions, eligible):
        return f"“{decision.title}” was not unanimous: every eligible member must vote for a reopen."
    if decision.closed_at < request.raised_at:
        return f"“{decision.title}” was taken before the request was made."
    if GatewayDecision.objects.filter(decision=decision).exists():
        return f"“{decision.title}” decided a stage of a programme, not this request."
    return None


@transaction.atomic
def approve_reopen(request, decision, recorded_by=None, now=None):
    """Approve a reopen request by ``decision`` (a unanimous decision of the parent body, or of the
    body itself where it has none). Refused without a public-interest justification. The decisions
    locking the stage and every later one are superseded (kept, linked to the approval), which
    resets those stages."""
    now = now or timezone.now()
    request = _undecided(request)
    problem = rules.reopen_problem(request.public_interest) or approval_problem(request, decision)
    if problem:
        raise ValidationError(problem)
    pending = _pending_gateway_decision(request.programme)
    if pending is not None:
        raise ValidationError(f"“{pending.title}” is still to be decided on this programme: close its vote first.")
    locked = locked_gateways(request.programme)
    stages = rules.reopened_stages(request.stage, locked)
    if not stages:
        raise ValidationError(f"The {request.get_stage_display().lower()} stage is no longer locked.")
    outcome = ReopenOutcome.objects.create(
        request=request, approved=True, decision=decision, recorded_at=now, recorded_by=recorded_by
    )
    for stage in stages:
        Supersession.objects.create(original=locked[stage], by=decision, reopen=outcome, recorded_at=now)
    return outcome


@transaction.atomic
def refuse_reopen(request, note, recorded_by=None, now=None):
    """Refuse a reopen request, with the reason; the stages stay locked."""
    request = _undecided(request)
    if not (note or "").strip():
        raise ValidationError("Record why the request is refused.")
    outcome = ReopenOutcome(
        request=request, approved=False, note=note.strip(), recorded_at=now or timezone.now(), recorded_by=recorded_by
    )
    return _save(outcome)


# --- disputes -------------------------------------------------------------------------------------


def dispute_terms(decision):
    """(window in days, dispute route) from the terms of reference the decision was taken under."""
    terms = decision.terms
    return terms.dispute_window_days, list(terms.dispute_route)


@transaction.atomic
def raise_dispute(dispute, recorded_by=None, now=None):
    """Record a dispute of a closed decision by an organisation it binds, within the window of the
    decision's terms of reference; it starts at the first level of their dispute route."""
    now = now or timezone.now()
    decision = dispute.decision
    if decision.status != DecisionStatus.CLOSED:
        raise ValidationError("Only a closed decision can be disputed.")
    if not Binding.objects.filter(decision=decision, organisation=dispute.organisation).exists():
        raise ValidationError(f"{dispute.organisation} is not bound by this decision, so it cannot dispute it.")
    days, route = dispute_terms(decision)
    dispute.raised_on = dispute.raised_on or _date(now)
    problem = rules.dispute_window_problem(_date(decision.closed_at), dispute.raised_on, days)
    if problem:
        raise ValidationError(problem)
    if Dispute.objects.filter(decision=decision, organisation=dispute.organisation, resolution__isnull=True).exists():
        raise ValidationError(f"{dispute.organisation} already has an open dispute of this decision.")
    dispute.recorded_by = recorded_by
    _save(dispute)
    DisputeEscalation.objects.create(
        dispute=dispute, level=0, level_name=route[0], recorded_at=now, recorded_by=recorded_by
    )
    return dispute


def current_level(dispute):
    return dispute.escalations.order_by("-level").values_list("level", flat=True).first() or 0


@transaction.atomic
def escalate_dispute(dispute, to, skip_reason="", recorded_by=None, now=None):
    """Take an open dispute to level ``to`` of the route: the next level, or a later one with a
    recorded reason for skipping those between."""
    dispute = Dispute.objects.select_for_update(of=("self",)).select_related("decision__terms").get(pk=dispute.pk)
    if Supersession.objects.filter(dispute=dispute).exists():
        raise ValidationError("This dispute is resolved: it cannot be escalated.")
    _, route = dispute_terms(dispute.decision)
    problem = rules.escalation_problem(route, current_level(dispute), to, skip_reason)
    if problem:
        raise ValidationError(problem)
    escalation = DisputeEscalation(
        dispute=dispute,
        level=to,
        level_name=route[to],
        skip_reason=(skip_reason or "").strip() if to > current_level(dispute) + 1 else "",
        recorded_at=now or timezone.now(),
        recorded_by=recorded_by,
    )
    return _save(escalation)


def resolution_problem(dispute, decision):
    """Why ``decision`` cannot resolve ``dispute``, or ``None``: a new, closed, carried decision of
    the disputed decision's body or of a body it escalates to."""
    chain, body = set(), dispute.decision.body
    while body is not None:
        chain.add(body.pk)
        body = body.parent
    if decision.pk == dispute.decision_id:
        return "A dispute is resolved by a new decision, not the one disputed."
    if decision.body_id not in chain:
        return "A dispute is resolved by a decision of the body or of a body it reports to."
    if decision.status != DecisionStatus.CLOSED or decision.outcome != rules.Outcome.CARRIED:
        return f"“{decision.title}” was not carried, so it resolves nothing."
    if _date(decision.closed_at) < dispute.raised_on:
        return f"“{decision.title}” was taken before the dispute was raised."
    return None


@transaction.atomic
def resolve_dispute(dispute, decision, now=None):
    """Resolve a dispute by a new decision, which supersedes the disputed one (both kept, linked)."""
    dispute = Dispute.objects.select_for_update(of=("self",)).select_related("decision__body").get(pk=dispute.pk)
    if Supersession.objects.filter(dispute=dispute).exists():
        raise ValidationError("This dispute is already resolved.")
    if Supersession.objects.filter(original=dispute.decision).exists():
        raise ValidationError("The disputed decision has already been superseded.")
    gateway = GatewayDecision.objects.filter(decision=dispute.decision).select_related("programme").first()
    if gateway is not None:
        raise ValidationError(
            f"The decision disputed locked the {gateway.get_stage_display().lower()} stage of "
            f"“{gateway.programme}”: it changes only by an approved request to reopen that stage."
        )
    problem = resolution_problem(dispute, decision)
    if problem:
        raise ValidationError(problem)
    return Supersession.objects.create(
        original=dispute.decision, by=decision, dispute=dispute, recorded_at=now or timezone.now()
    )
