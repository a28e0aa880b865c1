"""The decision rules of DECISIONS.md, one row per edge case it lists, on the pure functions of
``governance.rules`` (no database): eligibility with reasons, quorum, ballots and the tally."""

import dataclasses
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.rules import (
    Ballot,
    Base,
    Conflict,
    DeclarationEffect,
    Member,
    Method,
    Outcome,
    Reason,
    Role,
    Rule,
    RuleError,
    Vote,
    ballot_refusal,
    bound_organisations,
    declaration_effect,
    eligibility,
    opening_problem,
    parse_threshold,
    quorum,
    scope_problem,
    tally,
)

F, A, X = Vote.FOR, Vote.AGAINST, Vote.ABSTAIN


def members(n, org=lambda i: f"org{i % 2}", **overrides):
    """``n`` voting members m0…m(n-1); ``overrides`` maps a key to Member fields."""
    return [Member(key=f"m{i}", organisation=org(i), **overrides.get(f"m{i}", {})) for i in range(n)]


def ballots(*votes):
    """m0 votes votes[0], m1 votes[1]…; None: no vote."""
    return [Ballot(f"m{i}", v, i) for i, v in enumerate(votes) if v is not None]


def keys(n):
    return [f"m{i}" for i in range(n)]


def reasons(records):
    return {e.key: e.reason for e in records if not e.eligible}


# --- quorum ----------------------------------------------------------------------------------------

QUORUM_CASES = {
    "quorum not met at opening": (
        Rule(quorum_members=4),
        members(5, m3={"present": False}, m4={"present": False}),
        None,
        False,
        ("3 voting members counted; the quorum is 4.",),
    ),
    "quorum reached only by counting a conflicted member": (
        Rule(quorum_members=4),
        members(4, m0={"conflict": Conflict.DISCUSS_NOT_VOTE}),
        None,
        False,
        ("3 voting members counted; the quorum is 4.",),
    ),
    "quorum counting a conflicted member where the terms of reference say so": (
        Rule(quorum_members=4, conflicted_count_to_quorum=True),
        members(4, m0={"conflict": Conflict.DISCUSS_NOT_VOTE}),
        None,
        True,
        (),
    ),
    "too few organisations": (
        Rule(quorum_members=2, quorum_organisations=2),
        members(4, org=lambda i: "org0" if i < 2 else "org1", m2={"present": False}, m3={"present": False}),
        None,
        False,
        ("1 organisation represented; the quorum is 2.",),
    ),
    "chair and vice-chair both absent": (
        Rule(quorum_members=2, quorum_needs_chair=True),
        members(
            4,
            m0={"role": Role.CHAIR, "present": False},
            m1={"role": Role.VICE_CHAIR, "present": False},
        ),
        None,
        False,
        ("Neither the chair nor the vice-chair is present.",),
    ),
    "vice-chair present in the chair's absence": (
        Rule(quorum_members=2, quorum_needs_chair=True),
        members(4, m0={"role": Role.CHAIR, "present": False}, m1={"role": Role.VICE_CHAIR}),
        None,
        True,
        (),
    ),
    "deputy and principal both present": (
        Rule(quorum_members=4),
        members(4, m3={"deputy_for": "m0"}),
        None,
        False,
        ("3 voting members counted; the quorum is 4.",),
    ),
    "deputy in the principal's absence counts": (
        Rule(quorum_members=3),
        members(4, m0={"present": False}, m3={"deputy_for": "m0"}),
        None,
        True,
        (),
    ),
    "1 of 10 present at a 50% quorum": (
        Rule(quorum_fraction=Fraction(1, 2)),
        members(10, **{f"m{i}": {"present": False} for i in range(1, 10)}),
        None,
        False,
        ("1 voting member counted; the quorum is 5.",),
    ),
    "5 of 10 present at a 50% quorum": (
        Rule(quorum_fraction=Fraction(1, 2)),
        members(10, **{f"m{i}": {"present": False} for i in range(5, 10)}),
        None,
        True,
        (),
    ),
    "a member who left for the item is not present for it": (
        Rule(quorum_members=3),
        members(3, m2={"left_for_item": True}),
        None,
        False,
        ("2 voting members counted; the quorum is 3.",),
    ),
    "non-voting attendees never make a quorum": (
        Rule(quorum_members=3),
        members(4, m2={"voting": False}, m3={"role": Role.IN_ATTENDANCE}),
        None,
        False,
        ("2 voting members counted; the quorum is 3.",),
    ),
    "category 2 quorum counted over affected organisations only": (
        Rule(quorum_members=3, quorum_organisations=3),
        members(4, org=lambda i: f"org{i}", m2={"present": False}),
        {"org0", "org1"},
        False,
        ("2 voting members counted; the quorum is 3.",),
    ),
    "category 2 organisations quorum capped at the organisations affected": (
        Rule(quorum_members=2, quorum_organisations=3),
        members(4, org=lambda i: f"org{i}", m2={"present": False}, m3={"present": False}),
        {"org0", "org1"},
        True,
        (),
    ),
}


@pytest.mark.parametrize("case", QUORUM_CASES)
def test_quorum(case):
    rule, people, affected, met, shortfalls = QUORUM_CASES[case]
    result = quorum(people, rule, affected)
    assert (result.met, result.shortfalls) == (met, shortfalls)


def test_quorum_not_met_at_opening_refuses_to_open():
    people = members(5, m3={"present": False}, m4={"present": False})
    assert opening_problem(people, Rule(quorum_members=4)) == (
        "The meeting is not quorate for this item: 3 voting members counted; the quorum is 4."
    )


def test_everyone_conflicted_cannot_open():
    people = members(3, **{f"m{i}": {"conflict": Conflict.LEAVES} for i in range(3)})
    assert opening_problem(people, Rule()) == (
        "No member present is eligible to vote on this decision, so voting cannot open."
    )


# --- eligibility and its reasons ---------------------------------------------------------------

ELIGIBILITY_CASES = {
    "conflicted: may discuss but not vote": (
        {"m0": {"conflict": Conflict.DISCUSS_NOT_VOTE}},
        None,
        {"m0": Reason.CONFLICTED},
    ),
    "conflicted: leaves for the item": ({"m0": {"conflict": Conflict.LEAVES}}, None, {"m0": Reason.LEFT_FOR_ITEM}),
    "declared interest, no action: still votes": ({"m0": {"conflict": Conflict.NO_ACTION}}, None, {}),
    "organisation not affected (category 2)": (
        {},
        {"org0"},
        {"m1": Reason.ORGANISATION_NOT_AFFECTED, "m3": Reason.ORGANISATION_NOT_AFFECTED},
    ),
    "absent": ({"m0": {"present": False}}, None, {"m0": Reason.ABSENT}),
    "left for the item": ({"m0": {"left_for_item": True}}, None, {"m0": Reason.LEFT_FOR_ITEM}),
    "non-voting": (
        {"m0": {"voting": False}, "m1": {"role": Role.IN_ATTENDANCE}},
        None,
        {"m0": Reason.NON_VOTING, "m1": Reason.NON_VOTING},
    ),
    "deputy while principal present": (
        {"m3": {"deputy_for": "m0"}},
        None,
        {"m3": Reason.DEPUTY_WHILE_PRINCIPAL_PRESENT},
    ),
    "deputy while principal absent votes": (
        {"m0": {"present": False}, "m3": {"deputy_for": "m0"}},
        None,
        {"m0": Reason.ABSENT},
    ),
}


@pytest.mark.parametrize("case", ELIGIBILITY_CASES)
def test_eligibility_reasons(case):
    overrides, affected, expected = ELIGIBILITY_CASES[case]
    assert reasons(eligibility(members(4, **overrides), Rule(), affected)) == expected


def test_deputies_may_not_vote_where_the_terms_of_reference_say_so():
    people = members(3, m0={"present": False}, m2={"deputy_for": "m0"})
    records = eligibility(people, Rule(deputies_may_vote=False))
    assert reasons(records) == {"m0": Reason.ABSENT, "m2": Reason.DEPUTY_MAY_NOT_VOTE}


# --- scope of a decision -------------------------------------------------------------------------

ORGS = {"oxford-health", "berkshire", "icb", "vcse"}
SCOPE_CASES = {
    "category 2 with no organisations affected": (
        2,
        set(),
        "A category 2 decision must name the organisations it affects.",
    ),
    "category 2 with all organisations affected": (
        2,
        ORGS,
        "A category 2 decision cannot affect every member organisation: make it category 1.",
    ),
    "category 2 naming an organisation not on the body": (
        2,
        {"oxford-health", "surrey"},
        "Every affected organisation must be represented on the body.",
    ),
    "category 2 with a proper subset": (2, {"oxford-health", "berkshire"}, None),
    "category 1 binds all": (1, set(), None),
    "category 1 naming affected organisations": (
        1,
        {"icb"},
        "A category 1 decision binds every member organisation: name no affected organisations.",
    ),
}


@pytest.mark.parametrize("case", SCOPE_CASES)
def test_scope(case):
    category, affected, problem = SCOPE_CASES[case]
    assert scope_problem(category, affected, ORGS) == problem


def test_bound_organisations():
    assert bound_organisations(Outcome.CARRIED, 1, ORGS) == ORGS
    assert bound_organisations(Outcome.NOT_CARRIED, 2, ORGS, {"icb"}) == {"icb"}
    assert bound_organisations(Outcome.NO_QUORUM, 1, ORGS) == frozenset()


# --- ballots ---------------------------------------------------------------------------------------

BALLOT_CASES = {
    "conflicted member tries to vote": (
        "open",
        {"m0": {"conflict": Conflict.DISCUSS_NOT_VOTE}},
        None,
        "Ann cannot vote: they have a declared interest that bars them from this decision.",
    ),
    "non-affected member votes on a category 2 decision": (
        "open",
        {},
        {"org1"},
        "Ann cannot vote: they represent an organisation this category 2 decision does not affect.",
    ),
    "vote before opening": ("draft", {}, None, "Voting on this decision has not opened yet, so no vote can be cast."),
    "vote after close": ("closed", {}, None, "Voting on this decision has closed, so no vote can be cast."),
    "eligible member votes": ("open", {}, None, None),
}


@pytest.mark.parametrize("case", BALLOT_CASES)
def test_ballot_refusal(case):
    status, overrides, affected, message = BALLOT_CASES[case]
    record = eligibility(members(2, **overrides), Rule(), affected)[0]
    assert ballot_refusal(status, record, "Ann") == message


def test_declaration_effect_by_state():
    assert declaration_effect("draft") == DeclarationEffect.NONE
    assert declaration_effect("open") == DeclarationEffect.VOIDS_VOTE
    assert declaration_effect("closed") == DeclarationEffect.FLAGS_FOR_REVIEW


# --- the tally -------------------------------------------------------------------------------------

MAJORITY = Rule(method=Method.SIMPLE_MAJORITY)
MAJORITY_ELIGIBLE = Rule(method=Method.SIMPLE_MAJORITY, base=Base.ELIGIBLE)
CASTING = Rule(method=Method.SIMPLE_MAJORITY, casting_vote=True)
TWO_THIRDS = Rule(method=Method.QUALIFIED_MAJORITY, threshold=Fraction(2, 3))
UNANIMITY = Rule(method=Method.UNANIMITY)
UNANIMITY_ABSTAIN_OK = Rule(method=Method.UNANIMITY, abstention_breaks_unanimity=False)
CONSENSUS = Rule(method=Method.CONSENSUS)

# case: (rule, eligible keys, ballots, quorate at open, at close, casting vote, outcome)
TALLY_CASES = {
    "denominator excludes a conflicted member (6 members, 1 conflicted, base all eligible, 3 for 2 against)": (
        MAJORITY_ELIGIBLE,
        keys(5),
        ballots(F, F, F, A, A),
        True,
        True,
        None,
        Outcome.CARRIED,
    ),
    "the same votes counted over all six would not carry": (
        MAJORITY_ELIGIBLE,
        keys(6),
        ballots(F, F, F, A, A),
        True,
        True,
        None,
        Outcome.NOT_CARRIED,
    ),
    "quorum lost before close": (MAJORITY, keys(5), ballots(F, F, F, F, F), True, False, None, Outcome.NO_QUORUM),
    "quorum not met at opening": (MAJORITY, keys(5), ballots(F, F, F, F, F), False, True, None, Outcome.NO_QUORUM),
    "declaration after voting voids that vote": (
        MAJORITY,
        ["m0", "m1", "m3"],
        ballots(F, A, F, A),
        True,
        True,
        None,
        Outcome.NOT_CARRIED,
    ),
    "one block in consensus": (CONSENSUS, keys(4), ballots(F, F, F, A), True, True, None, Outcome.NO_CONSENSUS),
    "all stand aside": (CONSENSUS, keys(3), ballots(X, X, X), True, True, None, Outcome.NO_CONSENSUS),
    "consensus: support and stand asides": (CONSENSUS, keys(3), ballots(F, X, X), True, True, None, Outcome.CARRIED),
    "abstention under unanimity": (UNANIMITY, keys(3), ballots(F, F, X), True, True, None, Outcome.NOT_CARRIED),
    "abstention under unanimity where it does not break it": (
        UNANIMITY_ABSTAIN_OK,
        keys(3),
        ballots(F, F, X),
        True,
        True,
        None,
        Outcome.CARRIED,
    ),
    "unanimity with an eligible member not voting": (
        UNANIMITY,
        keys(3),
        ballots(F, F),
        True,
        True,
        None,
        Outcome.NOT_CARRIED,
    ),
    "unanimity: all for": (UNANIMITY, keys(3), ballots(F, F, F), True, True, None, Outcome.CARRIED),
    "tie without casting vote": (MAJORITY, keys(4), ballots(F, F, A, A), True, True, None, Outcome.NOT_CARRIED),
    "tie with casting vote allowed but not recorded": (
        CASTING,
        keys(4),
        ballots(F, F, A, A),
        True,
        True,
        None,
        Outcome.NOT_CARRIED,
    ),
    "tie with casting vote for": (CASTING, keys(4), ballots(F, F, A, A), True, True, F, Outcome.CARRIED),
    "tie with casting vote against": (CASTING, keys(4), ballots(F, F, A, A), True, True, A, Outcome.NOT_CARRIED),
    "casting vote recorded where the terms of reference allow none": (
        MAJORITY,
        keys(4),
        ballots(F, F, A, A),
        True,
        True,
        F,
        Outcome.NOT_CARRIED,
    ),
    "exactly 2/3": (TWO_THIRDS, keys(6), ballots(F, F, F, F, A, A), True, True, None, Outcome.CARRIED),
    "just under 2/3": (TWO_THIRDS, keys(7), ballots(F, F, F, F, A, A, A), True, True, None, Outcome.NOT_CARRIED),
    "all abstain (simple majority)": (MAJORITY, keys(3), ballots(X, X, X), True, True, None, Outcome.NOT_CARRIED),
    "all abstain (qualified majority)": (TWO_THIRDS, keys(3), ballots(X, X, X), True, True, None, Outcome.NOT_CARRIED),
    "all abstain (base all eligible)": (
        MAJORITY_ELIGIBLE,
        keys(3),
        ballots(X, X, X),
        True,
        True,
        None,
        Outcome.NOT_CARRIED,
    ),
    "changed vote: the last one counts": (
        MAJORITY,
        keys(3),
        [*ballots(A, F, A), Ballot("m0", F, 10)],
        True,
        True,
        None,
        Outcome.CARRIED,
    ),
    "abstentions excluded from votes cast": (
        MAJORITY,
        keys(5),
        ballots(F, F, A, X, X),
        True,
        True,
        None,
        Outcome.CARRIED,
    ),
}


@pytest.mark.parametrize("case", TALLY_CASES)
def test_tally(case):
    rule, eligible, cast, open_q, close_q, casting, outcome = TALLY_CASES[case]
    result = tally(rule, eligible, cast, open_q, close_q, casting)
    assert result.outcome == outcome, result.explanation


def test_the_tally_counts_and_explains():
    result = tally(MAJORITY_ELIGIBLE, keys(5), ballots(F, F, F, A, A))
    assert (result.votes_for, result.against, result.abstentions, result.base, result.share) == (
        3,
        2,
        0,
        5,
        Fraction(3, 5),
    )
    assert result.explanation == "3 for out of 5: more than half."
    assert tally(CASTING, keys(4), ballots(F, F, A, A), casting=F).casting_vote_used


def test_declaration_after_close_leaves_the_result_alone():
    """The result is computed from the eligibility stored at close; a later declaration only flags it."""
    before = tally(MAJORITY, keys(3), ballots(F, F, A))
    assert declaration_effect("closed") == DeclarationEffect.FLAGS_FOR_REVIEW
    assert before.outcome == Outcome.CARRIED


# --- rules that cannot be used -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("0.66", "Enter the majority as a fraction such as 2/3 or 3/4."),
        ("1/2", "A qualified majority must be more than a half and at most all (for example 2/3)."),
        ("5/4", "A qualified majority must be more than a half and at most all (for example 2/3)."),
        ("2/0", "Enter the majority as a fraction such as 2/3 or 3/4."),
    ],
)
def test_a_threshold_must_be_an_exact_fraction_above_a_half(text, message):
    with pytest.raises(RuleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_threshold(text)


def test_a_float_threshold_is_refused():
    with pytest.raises(RuleError):
        Rule(method=Method.QUALIFIED_MAJORITY, threshold=0.66)
    assert parse_threshold(" 3/4 ") == Fraction(3, 4)


# --- properties --------------------------------------------------------------------------------

RULES = st.builds(
    Rule,
    method=st.sampled_from(Method),
    threshold=st.sampled_from([Fraction(2, 3), Fraction(3, 4), Fraction(1), Fraction(3, 5)]),
    base=st.sampled_from(Base),
    casting_vote=st.booleans(),
    abstention_breaks_unanimity=st.booleans(),
    consensus_needs_support=st.booleans(),
)
BALLOTS = st.lists(
    st.builds(Ballot, key=st.sampled_from(keys(8)), vote=st.sampled_from(Vote), sequence=st.integers(0, 10_000)),
    max_size=30,
    unique_by=lambda b: b.sequence,
)


def _no_floats(value):
    if isinstance(value, float):
        return False
    if dataclasses.is_dataclass(value):
        return all(_no_floats(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return all(_no_floats(k) and _no_floats(v) for k, v in value.items())
    return True


@given(
    rule=RULES,
    n_eligible=st.integers(0, 8),
    cast=BALLOTS,
    casting=st.sampled_from([None, *Vote]),
    quorate=st.booleans(),
    data=st.data(),
)
def test_the_tally_does_not_depend_on_ballot_order_and_never_uses_floats(
    rule, n_eligible, cast, casting, quorate, data
):
    shuffled = data.draw(st.permutations(cast))
    first = tally(rule, keys(n_eligible), cast, quorate, True, casting)
    second = tally(rule, keys(n_eligible), shuffled, quorate, True, casting)
    assert first == second
    assert _no_floats(first)
    assert first.votes_for + first.against + first.abstentions + first.not_voted == n_eligible
    if first.share is not None:
        assert isinstance(first.share, Fraction) and 0 <= first.share <= 1
