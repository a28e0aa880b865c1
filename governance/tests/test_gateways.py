"""Locked gateways and disputes through ``governance.services`` and the database (DECISIONS.md):
stages open in order and lock on a carried decision; a reopen needs a public-interest
justification and a unanimous decision, supersedes (keeps, links) the locking decisions and resets
the later stages; a dispute is raised only by a bound organisation, in time, escalated level by
level; every record of them is only ever added."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import User
from core.append_only import AppendOnlyError
from core.roles import Role
from governance import rules, selectors, services
from governance.models import (
    AgendaItem,
    Body,
    Decision,
    Dispute,
    DisputeEscalation,
    GatewayDecision,
    Programme,
    ReopenOutcome,
    ReopenRequest,
    Supersession,
)
from governance.tests.builders import attend, body, meeting, member, organisation
from tests.attention import items_of

pytestmark = pytest.mark.django_db

G = rules.Gateway
LOCKED, OPEN, WAITING = rules.GatewayState.LOCKED, rules.GatewayState.OPEN, rules.GatewayState.WAITING


def board(**terms):
    """The Oxford Health and OUH collaborative board: a chair from each trust's side, both present
    at a meeting, and the MoU as a programme."""
    b = body("Oxford Health and OUH Collaborative Board", kind="partnership_board", **terms)
    oh = organisation("Oxford Health NHS Foundation Trust")
    ouh = organisation("Oxford University Hospitals NHS Foundation Trust")
    chair = member(b, "Nick Broughton", oh, role="chair")
    vice = member(b, "Terry Roberts", ouh, role="vice_chair")
    mtg = meeting(b)
    attend(mtg, chair, vice)
    programme = Programme.objects.create(body=b, title="Memorandum of understanding between the trusts")
    return SimpleNamespace(body=b, oh=oh, ouh=ouh, chair=chair, vice=vice, mtg=mtg, programme=programme)


def _item(w, title):
    return services.add_item(AgendaItem(meeting=w.mtg, title=title, purpose="decision"))


def vote(w, decision, votes=("for", "for")):
    services.open_vote(decision)
    for who, v in zip((w.chair, w.vice), votes, strict=True):
        if v is not None:
            services.cast_ballot(decision, who, v)
    return services.close_vote(decision)


def take_stage(w, title="Begin drafting the MoU", votes=("for", "for"), stage=None):
    """Raise a decision on the programme's open stage (or ``stage``), vote and close it."""
    link = services.raise_gateway_decision(
        w.programme, Decision(body=w.body, item=_item(w, title), title=title), stage=stage
    )
    return vote(w, link.decision, votes)


def plain_decision(w, title="Reopen the case for change", votes=("for", "for"), category=1, affected=()):
    d = services.raise_decision(Decision(body=w.body, item=_item(w, title), title=title, category=category), affected)
    return vote(w, d, votes)


def states(w):
    return {row.stage: row.state for row in selectors.programme_page(w.programme)["stages"]}


def lock_all(w):
    return [take_stage(w, f"Lock {rules.GATEWAY_LABELS[stage]}") for stage in G]


def request(w, stage=G.CASE_FOR_CHANGE, public_interest="Patients would wait longer for urgent care otherwise."):
    return services.request_reopen(
        ReopenRequest(
            programme=w.programme,
            stage=stage,
            requested_by="Oxford University Hospitals NHS Foundation Trust",
            reason="The estates position has changed since the case was made.",
            public_interest=public_interest,
        )
    )


# --- stages in order ----------------------------------------------------------------------------


def test_a_new_programme_opens_at_initiation_and_the_later_stages_wait():
    w = board()
    assert states(w) == {
        G.INITIATION: OPEN,
        G.CASE_FOR_CHANGE: WAITING,
        G.OPTIONS: WAITING,
        G.OPTIONS_APPRAISAL: WAITING,
    }


def test_a_carried_decision_locks_its_stage_and_opens_the_next():
    w = board()
    d = take_stage(w)
    assert d.outcome == "carried"
    assert states(w)[G.INITIATION] == LOCKED and states(w)[G.CASE_FOR_CHANGE] == OPEN
    assert selectors.locked_gateways(w.programme) == {G.INITIATION: d}
    assert GatewayDecision.objects.get(decision=d).stage == "initiation"


def test_a_vote_not_carried_leaves_the_stage_open():
    w = board()
    d = take_stage(w, votes=("for", "against"))  # consensus: a block
    assert d.outcome == "no_consensus"
    assert states(w)[G.INITIATION] == OPEN
    take_stage(w, "Begin drafting the MoU, revised")  # the stage takes another decision
    assert states(w)[G.INITIATION] == LOCKED


@pytest.mark.parametrize(
    "locked, stage, message",
    [
        (0, G.OPTIONS, "The options stage is not open: the initiation stage must be locked first."),
        (1, G.OPTIONS_APPRAISAL, "The options appraisal stage is not open: the case for change stage must be"),
        (1, G.INITIATION, "The initiation stage is locked: reopening it needs an approved reopen request."),
    ],
    ids=["skipping two stages", "skipping ahead", "a stage already locked"],
)
def test_a_decision_on_a_stage_that_is_not_open_is_refused_and_nothing_written(locked, stage, message):
    w = board()
    for n in range(locked):
        take_stage(w, f"Stage {n}")
    decisions = Decision.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.raise_gateway_decision(w.programme, Decision(body=w.body, item=_item(w, "Skip"), title="Skip"), stage)
    assert Decision.objects.count() == decisions and GatewayDecision.objects.count() == locked


def test_one_decision_at_a_time_on_a_programme():
    w = board()
    services.raise_gateway_decision(w.programme, Decision(body=w.body, item=_item(w, "A"), title="Begin drafting"))
    with pytest.raises(ValidationError, match="“Begin drafting” is still to be decided on this programme"):
        services.raise_gateway_decision(w.programme, Decision(body=w.body, item=_item(w, "B"), title="Another"))


def test_every_stage_locked_takes_no_more_decisions():
    w = board()
    lock_all(w)
    assert set(states(w).values()) == {LOCKED}
    with pytest.raises(ValidationError, match="Every stage of this programme is locked"):
        services.raise_gateway_decision(w.programme, Decision(body=w.body, item=_item(w, "More"), title="More"))


def test_a_stage_is_decided_by_the_programmes_own_body():
    w = board()
    other = body("Oxfordshire Estates Group", kind="working_group")
    d = Decision(body=other, item=None, title="Elsewhere", written_procedure_closes_at=timezone.now())
    with pytest.raises(ValidationError, match="decided by the body that runs the programme"):
        services.raise_gateway_decision(w.programme, d)


# --- reopening ---------------------------------------------------------------------------------


@pytest.mark.parametrize("justification", ["", "   \n "], ids=["missing", "blank"])
def test_a_reopen_without_a_public_interest_justification_cannot_be_approved(justification):
    w = board()
    lock_all(w)
    r = request(w, public_interest=justification)
    approval = plain_decision(w)
    with pytest.raises(ValidationError, match="reopened only in the public interest"):
        services.approve_reopen(r, approval)
    assert not ReopenOutcome.objects.exists() and not Supersession.objects.exists()
    assert set(states(w).values()) == {LOCKED}


def test_a_refused_reopen_keeps_every_stage_locked_and_needs_a_reason():
    w = board()
    lock_all(w)
    r = request(w, public_interest="")
    with pytest.raises(ValidationError, match=r"Record why the request is refused\."):
        services.refuse_reopen(r, "  ")
    outcome = services.refuse_reopen(r, "No public-interest justification was given.")
    assert (outcome.approved, outcome.decision) == (False, None)
    assert set(states(w).values()) == {LOCKED}
    with pytest.raises(ValidationError, match="already been decided"):
        services.refuse_reopen(r, "Again.")


def test_an_approved_reopen_supersedes_the_locking_decisions_and_resets_the_later_stages():
    w = board()
    _initiation, case, options, appraisal = lock_all(w)
    r = request(w, G.CASE_FOR_CHANGE)
    approval = plain_decision(w, "Reopen the case for change in the public interest")
    outcome = services.approve_reopen(r, approval)
    assert states(w) == {
        G.INITIATION: LOCKED,
        G.CASE_FOR_CHANGE: OPEN,
        G.OPTIONS: WAITING,
        G.OPTIONS_APPRAISAL: WAITING,
    }
    links = {s.original: s for s in Supersession.objects.all()}
    assert set(links) == {case, options, appraisal}  # kept and linked, not deleted
    assert all(s.by == approval and s.reopen == outcome for s in links.values())
    for d in (case, options, appraisal):
        d.refresh_from_db()
        assert (d.status, d.outcome) == ("closed", "carried")
    new_case = take_stage(w, "The case for change, revisited")
    assert selectors.locked_gateways(w.programme)[G.CASE_FOR_CHANGE] == new_case


def test_a_reopen_of_a_stage_that_is_not_locked_is_refused():
    w = board()
    take_stage(w)
    with pytest.raises(ValidationError, match=r"The options stage is not locked: there is nothing to reopen\."):
        request(w, G.OPTIONS)


def test_one_reopen_request_waits_at_a_time_for_a_stage():
    w = board()
    take_stage(w)
    request(w, G.INITIATION)
    with pytest.raises(ValidationError, match="already waiting for a decision"):
        request(w, G.INITIATION)


def test_a_reopen_is_approved_only_by_a_unanimous_carried_decision_taken_after_the_request():
    w = board()
    lock_all(w)
    before = plain_decision(w, "Taken before the request")
    r = request(w)
    stand_aside = plain_decision(w, "Reopen, one trust standing aside", votes=("for", "abstain"))
    assert stand_aside.outcome == "carried"  # consensus, yet not unanimous
    blocked = plain_decision(w, "Reopen, blocked", votes=("for", "against"))
    for d, message in [
        (before, "was taken before the request was made"),
        (stand_aside, "was not unanimous: every eligible member must vote for a reopen"),
        (blocked, "was not carried, so it approves nothing"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.approve_reopen(r, d)
    assert not ReopenOutcome.objects.exists()


def test_a_body_with_a_parent_has_a_reopen_approved_by_the_parent():
    w = board()
    lock_all(w)
    w.body.parent = Body.objects.create(name="Oxfordshire Place-Based Partnership", kind="partnership_board")
    w.body.save()
    r = request(w)
    with pytest.raises(
        ValidationError, match="approved by a unanimous decision of Oxfordshire Place-Based Partnership"
    ):
        services.approve_reopen(r, plain_decision(w))


def test_a_reopen_waits_for_a_decision_still_to_be_taken():
    w = board()
    take_stage(w)
    services.raise_gateway_decision(w.programme, Decision(body=w.body, item=_item(w, "Case"), title="Case"))
    r = request(w, G.INITIATION)
    with pytest.raises(ValidationError, match="“Case” is still to be decided"):
        services.approve_reopen(r, plain_decision(w))


# --- append-only -------------------------------------------------------------------------------


def test_locked_gateway_records_cannot_change_through_the_orm_even_for_an_administrator():
    w = board()
    lock_all(w)
    r = request(w, public_interest="")
    services.refuse_reopen(r, "No public-interest justification.")
    link = GatewayDecision.objects.first()
    link.stage = "options"
    r.public_interest = "Added afterwards."
    attempts = [
        link.save,
        link.delete,
        r.save,
        r.delete,
        lambda: GatewayDecision.objects.update(stage="initiation"),
        lambda: ReopenOutcome.objects.all().delete(),
        lambda: ReopenRequest.objects.update(public_interest="Added afterwards."),
    ]
    for attempt in attempts:
        with pytest.raises(AppendOnlyError), transaction.atomic():
            attempt()
    assert list(GatewayDecision.objects.values_list("stage", flat=True)) == [s.value for s in G]


REFUSED_BY_THE_DATABASE = {
    "postgresql": [
        "UPDATE governance_gatewaydecision SET stage = 'options'",
        "DELETE FROM governance_gatewaydecision",
        "UPDATE governance_reopenrequest SET public_interest = 'Added afterwards.'",
        "DELETE FROM governance_reopenoutcome",
        "UPDATE governance_supersession SET recorded_at = now()",
        "DELETE FROM governance_supersession",
        "UPDATE governance_dispute SET grounds = 'Changed.'",
        "DELETE FROM governance_disputeescalation",
    ],
    "sqlite": [
        "UPDATE governance_gatewaydecision SET stage = 'options'",
        "UPDATE governance_reopenrequest SET public_interest = 'Added afterwards.'",
        "UPDATE governance_reopenoutcome SET note = 'Changed.'",
        "UPDATE governance_supersession SET recorded_at = '2026-01-01'",
        "UPDATE governance_dispute SET grounds = 'Changed.'",
        "UPDATE governance_disputeescalation SET level_name = 'Changed.'",
    ],
}


def test_the_database_refuses_raw_sql_changes_to_locked_gateways_reopens_and_disputes():
    assert connection.vendor in REFUSED_BY_THE_DATABASE, f"say what {connection.vendor} refuses"
    w = board()
    initiation, *_ = lock_all(w)
    services.refuse_reopen(request(w, public_interest=""), "No public-interest justification.")
    services.approve_reopen(request(w), plain_decision(w))
    services.raise_dispute(Dispute(decision=initiation, organisation=w.ouh, grounds="Not consulted."))
    for sql in REFUSED_BY_THE_DATABASE[connection.vendor]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert GatewayDecision.objects.filter(stage="options").count() == 1


# --- disputes -----------------------------------------------------------------------------------


def dispute(w, decision, organisation=None, raised_on=None, grounds="OUH was not consulted on the estates annex."):
    return services.raise_dispute(
        Dispute(decision=decision, organisation=organisation or w.ouh, grounds=grounds, raised_on=raised_on)
    )


def test_a_bound_organisation_raises_a_dispute_at_the_first_level_of_the_route():
    w = board()
    d = plain_decision(w, "Share estates data")
    raised = dispute(w, d)
    assert raised.raised_on == timezone.localdate()
    assert list(raised.escalations.values_list("level", "level_name")) == [(0, "Partnership leads")]
    assert list(selectors.open_disputes()) == [raised]


def test_an_organisation_not_bound_cannot_dispute():
    w = board()
    d = plain_decision(w, "Oxford Health's urgent care pathway", ("for", None), category=2, affected=[w.oh])
    with pytest.raises(ValidationError, match="Oxford University Hospitals NHS Foundation Trust is not bound by"):
        dispute(w, d, w.ouh)
    assert not Dispute.objects.exists()


def test_a_decision_not_carried_binds_and_so_may_be_disputed_only_once_closed():
    w = board()
    open_d = services.raise_decision(Decision(body=w.body, item=_item(w, "Open"), title="Open"))
    with pytest.raises(ValidationError, match=r"Only a closed decision can be disputed\."):
        dispute(w, open_d)


@pytest.mark.parametrize(
    "window, days_after, refused",
    [(28, 28, False), (28, 29, True), (14, 15, True), (14, 14, False), (28, -1, True)],
    ids=["day 28 of 28", "day 29 of 28", "day 15 of 14", "day 14 of 14", "before the decision"],
)
def test_a_dispute_is_raised_within_the_window_of_the_terms_of_reference(window, days_after, refused):
    w = board(dispute_window_days=window)
    d = plain_decision(w)
    on = timezone.localdate(d.closed_at) + datetime.timedelta(days=days_after)
    if refused:
        with pytest.raises(ValidationError, match=r"The time to dispute this decision ended|raised after the decision"):
            dispute(w, d, raised_on=on)
        assert not Dispute.objects.exists()
    else:
        assert dispute(w, d, raised_on=on).raised_on == on


def test_a_dispute_is_escalated_level_by_level_and_a_skip_needs_a_reason():
    w = board()
    raised = dispute(w, plain_decision(w))
    services.escalate_dispute(raised, 1)
    with pytest.raises(ValidationError, match="skips Parent body or ICB: record the reason for skipping"):
        services.escalate_dispute(raised, 3, "  ")
    with pytest.raises(ValidationError, match="already at Chief executives: it is escalated to a later level"):
        services.escalate_dispute(raised, 0)
    services.escalate_dispute(raised, 3, "The ICB is a party to the underlying contract.")
    assert list(raised.escalations.values_list("level_name", "skip_reason")) == [
        ("Partnership leads", ""),
        ("Chief executives", ""),
        ("Independent mediation", "The ICB is a party to the underlying contract."),
    ]


def test_the_route_is_the_one_of_the_terms_the_decision_was_taken_under():
    w = board(dispute_route=["Trust leads", "Chief executives"])
    raised = dispute(w, plain_decision(w))
    with pytest.raises(ValidationError, match=r"Choose a level of the body's dispute route\."):
        services.escalate_dispute(raised, 2)
    assert DisputeEscalation.objects.get(dispute=raised).level_name == "Trust leads"


def test_a_dispute_is_resolved_by_a_new_decision_that_supersedes_the_original():
    w = board()
    original = plain_decision(w, "Share estates data")
    raised = dispute(w, original)
    with pytest.raises(ValidationError, match="resolved by a new decision, not the one disputed"):
        services.resolve_dispute(raised, original)
    variation = plain_decision(w, "Share estates data, the annex varied")
    link = services.resolve_dispute(raised, variation)
    assert (link.original, link.by, link.dispute) == (original, variation, raised)
    original.refresh_from_db()
    assert (original.status, original.outcome) == ("closed", "carried")  # kept as it was
    assert not selectors.open_disputes().exists()
    with pytest.raises(ValidationError, match="resolved: it cannot be escalated"):
        services.escalate_dispute(raised, 1)


def test_open_disputes_need_the_secretarys_attention():
    w = board()
    raised = dispute(w, plain_decision(w))
    coordinator = User.objects.create_user("co", role=Role.COORDINATOR)
    auditor = User.objects.create_user("au", role=Role.AUDITOR)
    items = items_of("disputes_open", coordinator, timezone.localdate())
    assert [(i.title, i.url, i.message) for i in items] == [
        (
            str(raised),
            raised.get_absolute_url(),
            f"Raised on {raised.raised_on.day} {raised.raised_on:%B %Y}; now with Partnership leads.",
        )
    ]
    assert items_of("disputes_open", auditor, timezone.localdate()) == []


def test_a_dispute_of_a_decision_that_locked_a_gateway_is_not_resolved_around_the_gateway():
    w = board()
    initiation = take_stage(w)
    raised = dispute(w, initiation)
    with pytest.raises(
        ValidationError, match=r"locked the initiation stage of .*: it changes only by an approved request"
    ):
        services.resolve_dispute(raised, plain_decision(w, "Begin drafting, varied"))
    assert selectors.locked_gateways(w.programme) == {G.INITIATION: initiation}
