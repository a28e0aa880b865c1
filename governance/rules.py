"""The rules of a governance body's decisions, as plain functions (no database): who may vote on a
decision and why others may not, whether the meeting is quorate, and what the votes decide.

``DECISIONS.md`` (the trust's rules) is the specification; the model layer copies a body's terms
of reference into a :class:`Rule` when voting opens and stores what these functions return, so a
later change of the terms of reference or of the membership never changes a past result.

Arithmetic is on integers (and :class:`fractions.Fraction` for shares), never floats: a two-thirds
threshold is ``for × 3 ≥ 2 × base``, exactly.

Choices made where ``DECISIONS.md`` leaves room (each one a setting or noted here):

- A member's reason for not being eligible is the first that applies, in the order of
  :class:`Reason` (non-voting before absent before left for the item …): one reason each.
- A deputy votes in place of their principal, never beside them; a deputy whose principal is
  present for the item is not eligible (and not counted toward quorum).
- Category 2 quorum "over affected organisations only": only members of affected organisations
  count, and the minimum number of organisations is capped at the number affected (a decision
  affecting two of four organisations is quorate with both of them there).
- A proportion quorum ("half the voting members") is of the voting members (principals) of the
  body — of the affected organisations for category 2 — never of the ballots cast.
- The chair's casting vote is used only to break an exact tie under simple majority.
- The organisations bound are recorded at close whatever the result but "no quorum": a decision
  taken without a quorum binds nobody.
"""

import datetime
import enum
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction


class Method(enum.StrEnum):
    CONSENSUS = "consensus"
    UNANIMITY = "unanimity"
    SIMPLE_MAJORITY = "simple_majority"
    QUALIFIED_MAJORITY = "qualified_majority"


METHOD_LABELS = {
    Method.CONSENSUS: "Consensus",
    Method.UNANIMITY: "Unanimity",
    Method.SIMPLE_MAJORITY: "Simple majority",
    Method.QUALIFIED_MAJORITY: "Qualified majority",
}


class Base(enum.StrEnum):
    """What a majority is counted out of."""

    VOTES_CAST = "votes_cast"  # for + against: abstentions excluded (the default)
    ELIGIBLE = "eligible"  # every eligible member: an abstention or no vote counts as not for


BASE_LABELS = {
    Base.VOTES_CAST: "Votes cast (abstentions excluded)",
    Base.ELIGIBLE: "All eligible members",
}


class Vote(enum.StrEnum):
    """A ballot. Under consensus the same three read "support", "block" and "stand aside"."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


VOTE_LABELS = {Vote.FOR: "For", Vote.AGAINST: "Against", Vote.ABSTAIN: "Abstain"}
CONSENSUS_VOTE_LABELS = {Vote.FOR: "Support", Vote.AGAINST: "Block", Vote.ABSTAIN: "Stand aside"}


class Role(enum.StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    IN_ATTENDANCE = "in_attendance"


class Conflict(enum.StrEnum):
    """How the chair manages a member's declared interest on an item (REFERENCE.md §5)."""

    NONE = "none"  # nothing declared
    NO_ACTION = "no_action"  # declared; may discuss and vote
    DISCUSS_NOT_VOTE = "discuss_not_vote"  # may take part in discussion but not the decision
    LEAVES = "leaves"  # leaves the meeting for the item


CONFLICT_LABELS = {
    Conflict.NONE: "None declared",
    Conflict.NO_ACTION: "No action",
    Conflict.DISCUSS_NOT_VOTE: "May take part in discussion but not the decision",
    Conflict.LEAVES: "Leaves the meeting for the item",
}

BARS_VOTING = frozenset({Conflict.DISCUSS_NOT_VOTE, Conflict.LEAVES})


class Reason(enum.StrEnum):
    """Why a member is not eligible to vote on a decision, in the order they are tested."""

    NON_VOTING = "non_voting"
    ABSENT = "absent"
    LEFT_FOR_ITEM = "left_for_item"
    DEPUTY_WHILE_PRINCIPAL_PRESENT = "deputy_while_principal_present"
    DEPUTY_MAY_NOT_VOTE = "deputy_may_not_vote"
    ORGANISATION_NOT_AFFECTED = "organisation_not_affected"
    CONFLICTED = "conflicted"


REASON_LABELS = {
    Reason.NON_VOTING: "Non-voting member",
    Reason.ABSENT: "Absent",
    Reason.LEFT_FOR_ITEM: "Left the meeting for the item",
    Reason.DEPUTY_WHILE_PRINCIPAL_PRESENT: "Deputy while their principal is present",
    Reason.DEPUTY_MAY_NOT_VOTE: "Deputy: the terms of reference do not let deputies vote",
    Reason.ORGANISATION_NOT_AFFECTED: "Organisation not affected by this category 2 decision",
    Reason.CONFLICTED: "Conflicted: a declared interest bars them from the decision",
}


class Outcome(enum.StrEnum):
    CARRIED = "carried"
    NOT_CARRIED = "not_carried"
    NO_QUORUM = "no_quorum"
    NO_CONSENSUS = "no_consensus"


OUTCOME_LABELS = {
    Outcome.CARRIED: "Carried",
    Outcome.NOT_CARRIED: "Not carried",
    Outcome.NO_QUORUM: "No quorum",
    Outcome.NO_CONSENSUS: "No consensus",
}


class RuleError(ValueError):
    """A rule, a decision's scope or a ballot that the rules refuse; the message says why."""


# --- the rule a decision is taken under ---------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Method, threshold, base and quorum, as copied from the terms of reference in force."""

    method: Method = Method.SIMPLE_MAJORITY
    threshold: Fraction = Fraction(2, 3)  # qualified majority only
    base: Base = Base.VOTES_CAST
    quorum_members: int = 0  # minimum voting members present for the item
    quorum_fraction: Fraction = Fraction(0)  # … or this share of the voting members, if higher
    quorum_organisations: int = 0
    quorum_needs_chair: bool = False  # the chair or the vice-chair present
    conflicted_count_to_quorum: bool = False
    deputies_count_to_quorum: bool = True
    deputies_may_vote: bool = True
    casting_vote: bool = False
    abstention_breaks_unanimity: bool = True
    consensus_needs_support: bool = True
    category2_quorum_affected_only: bool = True

    def __post_init__(self):
        for name in ("threshold", "quorum_fraction"):
            if isinstance(getattr(self, name), float):
                raise RuleError(f"{name} must be an exact fraction, not a float.")
            object.__setattr__(self, name, Fraction(getattr(self, name)))
        object.__setattr__(self, "method", Method(self.method))
        object.__setattr__(self, "base", Base(self.base))
        problem = rule_problem(self)
        if problem:
            raise RuleError(problem)


def rule_problem(rule):
    """Why ``rule`` cannot be used, or ``None``."""
    if rule.method == Method.QUALIFIED_MAJORITY and not (Fraction(1, 2) < rule.threshold <= 1):
        return "A qualified majority must be more than a half and at most all (for example 2/3)."
    if not (0 <= rule.quorum_fraction <= 1):
        return "A quorum proportion must be between none and all of the voting members."
    if rule.quorum_members < 0 or rule.quorum_organisations < 0:
        return "A quorum cannot be a negative number."
    return None


def parse_threshold(text):
    """ "2/3" → Fraction(2, 3); refuses decimals ("0.66") so a threshold is always exact."""
    try:
        numerator, denominator = (int(part) for part in str(text).strip().split("/"))
        value = Fraction(numerator, denominator)
    except (ValueError, ZeroDivisionError):
        raise RuleError("Enter the majority as a fraction such as 2/3 or 3/4.") from None
    if not (Fraction(1, 2) < value <= 1):
        raise RuleError("A qualified majority must be more than a half and at most all (for example 2/3).")
    return value


# --- members and who may vote -------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member of the body as they stand for one decision (its item, at one moment)."""

    key: Hashable
    organisation: Hashable | None = None
    role: Role = Role.MEMBER
    voting: bool = True
    deputy_for: Hashable | None = None  # the principal's key, when this member is a nominated deputy
    present: bool = True
    left_for_item: bool = False
    conflict: Conflict = Conflict.NONE

    @property
    def here(self):
        """Present for the item: in the meeting and not gone out for it."""
        return self.present and not self.left_for_item


@dataclass(frozen=True)
class Eligibility:
    key: Hashable
    eligible: bool
    reason: Reason | None
    counts_to_quorum: bool


def eligibility(members: Sequence[Member], rule: Rule, affected: Iterable | None = None):
    """Each member's eligibility to vote on a decision, with the reason when they are not.

    ``affected`` is the category 2 decision's affected organisations (``None`` for category 1).
    """
    affected = None if affected is None else frozenset(affected)
    here = {m.key for m in members if m.here}
    result = []
    for m in members:
        reason = _reason(m, rule, affected, here)
        counts = _counts_to_quorum(m, rule, affected, here, reason)
        result.append(Eligibility(m.key, reason is None, reason, counts))
    return result


def _reason(m, rule, affected, here):
    if not m.voting or m.role == Role.IN_ATTENDANCE:
        return Reason.NON_VOTING
    if not m.present:
        return Reason.ABSENT
    if m.left_for_item or m.conflict == Conflict.LEAVES:
        return Reason.LEFT_FOR_ITEM
    if m.deputy_for is not None and m.deputy_for in here:
        return Reason.DEPUTY_WHILE_PRINCIPAL_PRESENT
    if m.deputy_for is not None and not rule.deputies_may_vote:
        return Reason.DEPUTY_MAY_NOT_VOTE
    if affected is not None and m.organisation not in affected:
        return Reason.ORGANISATION_NOT_AFFECTED
    if m.conflict in BARS_VOTING:
        return Reason.CONFLICTED
    return None


def _counts_to_quorum(m, rule, affected, here, reason):
    if reason is None:
        return not (m.deputy_for is not None and not rule.deputies_count_to_quorum)
    if reason == Reason.CONFLICTED:
        return rule.conflicted_count_to_quorum
    if reason == Reason.DEPUTY_MAY_NOT_VOTE:
        return rule.deputies_count_to_quorum
    if reason == Reason.ORGANISATION_NOT_AFFECTED:
        return not rule.category2_quorum_affected_only
    return False


# --- quorum ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quorum:
    met: bool
    members: int  # voting members counted toward quorum
    organisations: int  # organisations those members represent
    members_needed: int
    organisations_needed: int
    shortfalls: tuple = ()  # one sentence per requirement not met


def quorum(members: Sequence[Member], rule: Rule, affected: Iterable | None = None):
    """Whether the members present for the item make a quorum under ``rule``."""
    affected = None if affected is None else frozenset(affected)
    counted = {e.key for e in eligibility(members, rule, affected) if e.counts_to_quorum}
    by_key = {m.key: m for m in members}
    organisations = {by_key[k].organisation for k in counted if by_key[k].organisation is not None}

    in_scope = affected if (affected is not None and rule.category2_quorum_affected_only) else None
    principals = [
        m
        for m in members
        if m.voting
        and m.role != Role.IN_ATTENDANCE
        and m.deputy_for is None
        and (in_scope is None or m.organisation in in_scope)
    ]
    # The smallest whole number of members that is at least the proportion of the voting members.
    p, q = rule.quorum_fraction.numerator, rule.quorum_fraction.denominator
    by_fraction = -((-p * len(principals)) // q)
    members_needed = max(rule.quorum_members, by_fraction)
    organisations_needed = rule.quorum_organisations
    if in_scope is not None:
        organisations_needed = min(organisations_needed, len(in_scope))

    shortfalls = []
    if len(counted) < members_needed:
        shortfalls.append(f"{_n(len(counted), 'voting member')} counted; the quorum is {members_needed}.")
    if len(organisations) < organisations_needed:
        shortfalls.append(
            f"{_n(len(organisations), 'organisation')} represented; the quorum is {organisations_needed}."
        )
    if rule.quorum_needs_chair and not any(m.here and m.role in (Role.CHAIR, Role.VICE_CHAIR) for m in members):
        shortfalls.append("Neither the chair nor the vice-chair is present.")
    return Quorum(
        not shortfalls, len(counted), len(organisations), members_needed, organisations_needed, tuple(shortfalls)
    )


def _n(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- opening, scope and ballots -----------------------------------------------------------------


def scope_problem(category, affected, organisations):
    """Why a decision's category and affected organisations are wrong, or ``None``.

    Category 1 binds every member organisation; category 2 binds a non-empty proper subset of them.
    """
    affected, organisations = set(affected or ()), set(organisations)
    if category == 1:
        return (
            "A category 1 decision binds every member organisation: name no affected organisations."
            if affected
            else None
        )
    if category != 2:
        return "Choose category 1 (binding on all) or category 2 (binding on the affected organisations)."
    if not affected:
        return "A category 2 decision must name the organisations it affects."
    if not affected <= organisations:
        return "Every affected organisation must be represented on the body."
    if affected == organisations:
        return "A category 2 decision cannot affect every member organisation: make it category 1."
    return None


def opening_problem(members, rule, affected=None):
    """Why voting cannot open now, or ``None``: nobody may vote, or the meeting is not quorate."""
    if not any(e.eligible for e in eligibility(members, rule, affected)):
        return "No member present is eligible to vote on this decision, so voting cannot open."
    q = quorum(members, rule, affected)
    if not q.met:
        return "The meeting is not quorate for this item: " + " ".join(q.shortfalls)
    return None


def ballot_refusal(status, record, name="This member"):
    """Why a ballot cannot be cast, or ``None``.

    ``status`` is the decision's ("draft", "open", "closed"); ``record`` the member's
    :class:`Eligibility` (``None`` when they are not a member of the body for this decision).
    """
    if status != "open":
        when = "has not opened yet" if status == "draft" else "has closed"
        return f"Voting on this decision {when}, so no vote can be cast."
    if record is None:
        return f"{name} is not a member of this body for this decision, so cannot vote."
    if record.eligible:
        return None
    because = {
        Reason.CONFLICTED: "have a declared interest that bars them from this decision",
        Reason.ORGANISATION_NOT_AFFECTED: "represent an organisation this category 2 decision does not affect",
        Reason.NON_VOTING: "are not a voting member",
        Reason.ABSENT: "are not recorded as present",
        Reason.LEFT_FOR_ITEM: "have left the meeting for this item",
        Reason.DEPUTY_WHILE_PRINCIPAL_PRESENT: "are a deputy and their principal is present",
        Reason.DEPUTY_MAY_NOT_VOTE: "are a deputy and the terms of reference do not let deputies vote",
    }[record.reason]
    return f"{name} cannot vote: they {because}."


class DeclarationEffect(enum.StrEnum):
    NONE = "none"  # declared before voting opened: eligibility takes it in
    VOIDS_VOTE = "voids_vote"  # declared while open: the member's ballot no longer counts
    FLAGS_FOR_REVIEW = "flags_for_review"  # declared after close: the result stands, flagged


def declaration_effect(status):
    """What a conflict declared on a decision's item does, by the decision's state."""
    return {
        "draft": DeclarationEffect.NONE,
        "open": DeclarationEffect.VOIDS_VOTE,
        "closed": DeclarationEffect.FLAGS_FOR_REVIEW,
    }[status]


# --- the tally -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ballot:
    """One ballot row: ``sequence`` orders a member's changed votes (the highest counts)."""

    key: Hashable
    vote: Vote
    sequence: int


@dataclass(frozen=True)
class Tally:
    outcome: Outcome
    votes_for: int
    against: int
    abstentions: int
    not_voted: int
    base: int
    share: Fraction | None  # for / base, exact; None when the base is 0
    casting_vote_used: bool = False
    explanation: str = ""
    counted: dict = field(default_factory=dict)  # member key -> the vote that counted


def latest_votes(ballots: Iterable[Ballot], eligible: Iterable):
    """Each eligible member's last vote: earlier rows and the ballots of members no longer
    eligible (a vote voided by a later declaration) do not count. Order of ``ballots`` is irrelevant."""
    eligible = set(eligible)
    latest = {}
    for b in ballots:
        if b.key in eligible and (b.key not in latest or b.sequence > latest[b.key].sequence):
            latest[b.key] = b
    return {key: Vote(b.vote) for key, b in latest.items()}


def tally(
    rule: Rule,
    eligible: Iterable,
    ballots: Iterable[Ballot],
    quorate_at_open: bool = True,
    quorate_at_close: bool = True,
    casting: Vote | None = None,
):
    """The result of a decision from the eligible members at close and the ballots cast."""
    eligible = list(dict.fromkeys(eligible))
    counted = latest_votes(ballots, eligible)
    votes = list(counted.values())
    n_for, n_against, n_abstain = (votes.count(v) for v in (Vote.FOR, Vote.AGAINST, Vote.ABSTAIN))
    not_voted = len(eligible) - len(votes)
    base = n_for + n_against if rule.base == Base.VOTES_CAST else len(eligible)
    share = Fraction(n_for, base) if base else None

    def result(outcome, explanation, casting_used=False):
        return Tally(outcome, n_for, n_against, n_abstain, not_voted, base, share, casting_used, explanation, counted)

    if not (quorate_at_open and quorate_at_close):
        when = "when voting opened" if not quorate_at_open else "at close"
        return result(Outcome.NO_QUORUM, f"The meeting was not quorate {when}, whatever the votes.")

    if rule.method == Method.CONSENSUS:
        if n_against:
            return result(Outcome.NO_CONSENSUS, f"{_n(n_against, 'member')} blocked.")
        if rule.consensus_needs_support and not n_for:
            return result(Outcome.NO_CONSENSUS, "Nobody supported the proposal.")
        return result(Outcome.CARRIED, "No block, and at least one member supported.")

    if rule.method == Method.UNANIMITY:
        if n_against:
            return result(Outcome.NOT_CARRIED, f"{_n(n_against, 'member')} voted against.")
        if n_abstain and rule.abstention_breaks_unanimity:
            return result(Outcome.NOT_CARRIED, "An abstention breaks unanimity under these terms of reference.")
        if not_voted:
            return result(Outcome.NOT_CARRIED, f"{_n(not_voted, 'eligible member')} did not vote.")
        if not n_for:
            return result(Outcome.NOT_CARRIED, "Nobody voted for.")
        return result(Outcome.CARRIED, "Every eligible member voted for.")

    if rule.method == Method.SIMPLE_MAJORITY:
        if 2 * n_for > base:
            return result(Outcome.CARRIED, f"{n_for} for out of {base}: more than half.")
        if base and 2 * n_for == base:
            if rule.casting_vote and casting is not None:
                outcome = Outcome.CARRIED if Vote(casting) == Vote.FOR else Outcome.NOT_CARRIED
                return result(outcome, f"A tie ({n_for} of {base}), decided by the chair's casting vote.", True)
            return result(Outcome.NOT_CARRIED, f"A tie ({n_for} of {base}) fails without a casting vote.")
        if not base:
            return result(Outcome.NOT_CARRIED, "No votes for or against were cast.")
        return result(Outcome.NOT_CARRIED, f"{n_for} for out of {base}: not more than half.")

    p, q = rule.threshold.numerator, rule.threshold.denominator
    if base and n_for * q >= p * base:
        return result(Outcome.CARRIED, f"{n_for} for out of {base}: at least {p}/{q}.")
    if not base:
        return result(Outcome.NOT_CARRIED, "No votes for or against were cast.")
    return result(Outcome.NOT_CARRIED, f"{n_for} for out of {base}: less than {p}/{q}.")


def bound_organisations(outcome, category, member_organisations, affected=()):
    """The organisations a closed decision binds: all members' (category 1) or the affected
    (category 2); none when there was no quorum."""
    if outcome == Outcome.NO_QUORUM:
        return frozenset()
    return frozenset(member_organisations) if category == 1 else frozenset(affected)


# --- locked gateways and disputes ------------------------------------------------------------------


class Gateway(enum.StrEnum):
    """The stages of a programme (NHS England's "locked gateways"), in order."""

    INITIATION = "initiation"
    CASE_FOR_CHANGE = "case_for_change"
    OPTIONS = "options"
    OPTIONS_APPRAISAL = "options_appraisal"


GATEWAY_LABELS = {
    Gateway.INITIATION: "Initiation",
    Gateway.CASE_FOR_CHANGE: "Case for change",
    Gateway.OPTIONS: "Options",
    Gateway.OPTIONS_APPRAISAL: "Options appraisal",
}


class GatewayState(enum.StrEnum):
    LOCKED = "locked"
    OPEN = "open"
    WAITING = "waiting"


GATEWAY_STATE_LABELS = {
    GatewayState.LOCKED: "Locked",
    GatewayState.OPEN: "Open",
    GatewayState.WAITING: "Not open yet",
}


def gateway_states(locked: Iterable) -> dict:
    """{stage: state}. A stage opens only when every earlier one is locked: the first stage not
    locked is open and every later one waits (a lock on a later stage never skips one)."""
    locked, states, waiting = set(locked), {}, False
    for stage in Gateway:
        if waiting:
            states[stage] = GatewayState.WAITING
        elif stage in locked:
            states[stage] = GatewayState.LOCKED
        else:
            states[stage], waiting = GatewayState.OPEN, True
    return states


def open_gateway(states):
    """The stage open now (``None`` once every stage is locked)."""
    return next((stage for stage, state in states.items() if state == GatewayState.OPEN), None)


def gateway_decision_problem(stage, states):
    """Why a decision cannot be raised on ``stage`` now, or ``None``."""
    label = GATEWAY_LABELS[Gateway(stage)].lower()
    if states[stage] == GatewayState.LOCKED:
        return f"The {label} stage is locked: reopening it needs an approved reopen request."
    if states[stage] == GatewayState.WAITING:
        earlier = GATEWAY_LABELS[open_gateway(states)].lower()
        return f"The {label} stage is not open: the {earlier} stage must be locked first."
    return None


def reopen_problem(public_interest):
    """Why a reopen request cannot be approved, or ``None`` (DECISIONS.md: reopening needs a
    public-interest justification)."""
    if not (public_interest or "").strip():
        return (
            "A locked gateway is reopened only in the public interest, and this request records no "
            "public-interest justification: it cannot be approved. Refuse it, or raise a new request with one."
        )
    return None


def reopened_stages(stage, locked):
    """The locked stages an approved reopen of ``stage`` supersedes: that one and every later one."""
    order = list(Gateway)
    return [s for s in order[order.index(Gateway(stage)) :] if s in set(locked)]


def unanimous(votes_for, against, abstentions, eligible):
    """Every eligible member voted for: no vote against, no abstention, nobody silent."""
    return eligible > 0 and votes_for == eligible and against == 0 and abstentions == 0


def dispute_window_problem(taken_on, raised_on, days):
    """Why a dispute raised on ``raised_on`` is out of time for a decision taken on ``taken_on``."""
    last = taken_on + datetime.timedelta(days=days)
    if raised_on < taken_on:
        return "A dispute is raised after the decision it disputes was taken."
    if raised_on > last:
        return (
            f"The time to dispute this decision ended on {last.day} {last:%B %Y}, "
            f"{days} days after it was taken on {taken_on.day} {taken_on:%B %Y}."
        )
    return None


def escalation_problem(route: Sequence[str], current: int, to: int, skip_reason=""):
    """Why a dispute at level ``current`` (an index of ``route``) cannot go to level ``to`` now.
    A dispute goes up one level at a time; skipping a level needs a recorded reason."""
    if not 0 <= to < len(route):
        return "Choose a level of the body's dispute route."
    if to <= current:
        return f"The dispute is already at {route[current]}: it is escalated to a later level."
    skipped = route[current + 1 : to]
    if skipped and not (skip_reason or "").strip():
        return f"Escalating to {route[to]} skips {', '.join(skipped)}: record the reason for skipping."
    return None
