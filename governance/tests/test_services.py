"""A decision from opening to close through ``governance.services`` and the database: the rule
copied at opening, eligibility stored with reasons, refused ballots, the result computed and the
organisations bound; what can never change afterwards."""

import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.append_only import AppendOnlyError
from core.audit import audit_context
from core.models import AuditEntry
from governance import rules, selectors, services
from governance.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Binding,
    Decision,
    DecisionStatus,
    EligibilityRecord,
    Interest,
    ItemDeclaration,
    Meeting,
    Minutes,
    MinutesStatus,
    TermsOfReference,
)
from governance.tests.builders import LONDON, attend, body, meeting, member, organisation

pytestmark = pytest.mark.django_db


def written(text="Adopt the MoU work programme"):
    return Decision(title=text)


def world(**terms):
    """The BOB Mental Health design group: both trusts, the ICB and a VCSE member vote; a local
    authority attends without a vote. Everyone present at the meeting."""
    b = body("BOB Mental Health Provider Collaborative Design Group", kind="design_group", **terms)
    orgs = {
        "oh": organisation("Oxford Health NHS Foundation Trust"),
        "bh": organisation("Berkshire Healthcare NHS Foundation Trust"),
        "icb": organisation("BOB Integrated Care Board", kind="icb"),
        "vcse": organisation("Oxfordshire Mind", kind="vcse"),
        "la": organisation("Oxfordshire County Council", kind="local_authority"),
    }
    people = {
        "chair": member(b, "Nick Broughton", orgs["oh"], role="chair"),
        "bh": member(b, "Julian Emms", orgs["bh"]),
        "icb": member(b, "Rachael Corser", orgs["icb"]),
        "vcse": member(b, "Dan Knowles", orgs["vcse"]),
        "la": member(b, "Karen Fuller", orgs["la"], role="in_attendance", voting=False),
    }
    mtg = meeting(b)
    attend(mtg, *people.values())
    item = services.add_item(AgendaItem(meeting=mtg, title="Priority: crisis pathway", purpose="decision"))
    return b, orgs, people, mtg, item


def decision(b, item, category=1, affected=(), title="Adopt the crisis pathway priority"):
    return services.raise_decision(Decision(body=b, item=item, title=title, category=category), affected)


def declare(item, who, management=rules.Conflict.DISCUSS_NOT_VOTE, at=None):
    return services.declare_on_item(
        ItemDeclaration(
            item=item, membership=who, details="Trustee of a bidding charity.", management=management, declared_at=at
        )
    )


def eligibility(d, stage):
    return {r.member_name: (r.eligible, r.reason) for r in EligibilityRecord.objects.filter(decision=d, stage=stage)}


# --- opening ---------------------------------------------------------------------------------------


def test_opening_copies_the_rule_and_a_later_terms_version_changes_nothing():
    b, _orgs, people, _mtg, item = world(method="qualified_majority", threshold="3/4", quorum_members=3)
    d = services.open_vote(decision(b, item))
    assert d.rule["method"] == "qualified_majority" and d.rule["threshold"] == "3/4"
    TermsOfReference.objects.create(body=b, effective_from=datetime.date(2026, 1, 1), method="simple_majority")
    TermsOfReference.objects.filter(body=b, effective_from=datetime.date(2018, 1, 1)).update(threshold="2/3")
    for who, vote in (("chair", "for"), ("bh", "for"), ("icb", "for"), ("vcse", "against")):
        services.cast_ballot(d, people[who], vote)
    d = services.close_vote(d)
    # 3 of 4 is carried at 3/4; under the new simple-majority terms it would be too, but under
    # the 2/3 edit it still is: what matters is the rule stored on the decision.
    assert d.copied_rule().threshold == Fraction(3, 4)
    assert (d.outcome, d.votes_for, d.votes_against, d.base) == ("carried", 3, 1, 4)


def test_the_terms_in_force_on_the_meetings_date_apply():
    b, _orgs, _people, _mtg, item = world(method="unanimity")
    TermsOfReference.objects.create(body=b, effective_from=datetime.date(2026, 6, 1), method="simple_majority")
    d = services.open_vote(decision(b, item))  # the meeting is on 12 March 2026
    assert d.rule["method"] == "unanimity"


def test_eligibility_is_stored_at_opening_with_a_reason_for_each_member_who_may_not_vote():
    b, _orgs, people, _mtg, item = world()
    Attendance.objects.filter(membership=people["icb"]).update(present=False)
    declare(item, people["vcse"])
    d = services.open_vote(decision(b, item))
    assert eligibility(d, "opening") == {
        "Nick Broughton": (True, ""),
        "Julian Emms": (True, ""),
        "Rachael Corser": (False, "absent"),
        "Dan Knowles": (False, "conflicted"),
        "Karen Fuller": (False, "non_voting"),
    }
    assert d.status == DecisionStatus.OPEN and d.quorate_at_open


def test_everyone_conflicted_cannot_open_and_nothing_is_written():
    b, _orgs, people, _mtg, item = world()
    for who in ("chair", "bh", "icb", "vcse"):
        declare(item, people[who], rules.Conflict.LEAVES)
    d = decision(b, item)
    with pytest.raises(ValidationError, match="No member present is eligible to vote"):
        services.open_vote(d)
    d.refresh_from_db()
    assert d.status == DecisionStatus.DRAFT and not EligibilityRecord.objects.filter(decision=d).exists()


def test_quorum_not_met_at_opening_refuses_to_open():
    b, _orgs, people, _mtg, item = world(quorum_members=4)
    Attendance.objects.filter(membership=people["icb"]).update(present=False)
    with pytest.raises(ValidationError, match="3 voting members counted; the quorum is 4"):
        services.open_vote(decision(b, item))


def test_a_deputy_does_not_vote_beside_their_principal():
    b, orgs, people, mtg, item = world()
    deputy = member(b, "Sarah Williams", orgs["bh"], deputy_for=people["bh"])
    attend(mtg, deputy)
    d = services.open_vote(decision(b, item))
    assert eligibility(d, "opening")["Sarah Williams"] == (False, "deputy_while_principal_present")
    with pytest.raises(ValidationError, match="Sarah Williams cannot vote: they are a deputy and their principal"):
        services.cast_ballot(d, deputy, "for")


# --- category 2 --------------------------------------------------------------------------------


def test_category_2_binds_only_the_affected_trusts_and_refuses_the_others_votes():
    b, orgs, people, _mtg, item = world()
    d = services.open_vote(decision(b, item, category=2, affected=[orgs["oh"], orgs["bh"]]))
    with pytest.raises(ValidationError) as refused:
        services.cast_ballot(d, people["icb"], "for")
    assert refused.value.messages == [
        "Rachael Corser cannot vote: they represent an organisation this category 2 decision does not affect."
    ]
    assert not Ballot.objects.filter(decision=d).exists()
    services.cast_ballot(d, people["chair"], "for")
    services.cast_ballot(d, people["bh"], "for")
    d = services.close_vote(d)
    assert d.outcome == "carried"
    assert sorted(Binding.objects.filter(decision=d).values_list("organisation__name", flat=True)) == [
        "Berkshire Healthcare NHS Foundation Trust",
        "Oxford Health NHS Foundation Trust",
    ]


@pytest.mark.parametrize(
    "affected, message",
    [
        ((), "A category 2 decision must name the organisations it affects."),
        (("oh", "bh", "icb", "vcse"), "A category 2 decision cannot affect every member organisation"),
    ],
    ids=["no organisations affected", "all organisations affected"],
)
def test_category_2_with_no_or_all_organisations_affected_is_refused(affected, message):
    b, orgs, _people, _mtg, item = world()
    with pytest.raises(ValidationError, match=message):
        decision(b, item, category=2, affected=[orgs[k] for k in affected])
    assert not Decision.objects.exists()


# --- ballots ---------------------------------------------------------------------------------------


def test_a_conflicted_member_is_refused_with_the_reason_and_nothing_is_written():
    b, _orgs, people, _mtg, item = world()
    declare(item, people["vcse"])
    d = services.open_vote(decision(b, item))
    with pytest.raises(ValidationError) as refused:
        services.cast_ballot(d, people["vcse"], "for")
    assert refused.value.messages == [
        "Dan Knowles cannot vote: they have a declared interest that bars them from this decision."
    ]
    assert not Ballot.objects.exists()


def test_vote_before_opening_or_after_close_is_refused():
    b, _orgs, people, _mtg, item = world()
    d = decision(b, item)
    with pytest.raises(ValidationError, match="has not opened yet"):
        services.cast_ballot(d, people["bh"], "for")
    services.open_vote(d)
    services.cast_ballot(d, people["bh"], "for")
    services.close_vote(d)
    with pytest.raises(ValidationError, match="has closed"):
        services.cast_ballot(d, people["bh"], "against")
    assert Ballot.objects.count() == 1


def test_a_changed_vote_is_a_new_row_and_the_last_one_counts():
    b, _orgs, people, _mtg, item = world(method="simple_majority")
    d = services.open_vote(decision(b, item))
    services.cast_ballot(d, people["chair"], "for")
    services.cast_ballot(d, people["bh"], "against")
    services.cast_ballot(d, people["bh"], "for")
    d = services.close_vote(d)
    assert Ballot.objects.filter(decision=d, membership=people["bh"]).count() == 2
    assert (d.outcome, d.votes_for, d.votes_against) == ("carried", 2, 0)


def test_denominator_excludes_a_conflicted_member():
    """6 members, 1 conflicted, base all eligible, 3 for / 2 against → carried."""
    b, orgs, people, mtg, item = world(method="simple_majority", base="eligible")
    extra = member(b, "Grant Macdonald", orgs["bh"])
    attend(mtg, extra)
    declare(item, people["vcse"])
    d = services.open_vote(decision(b, item))
    for who, vote in ((people["chair"], "for"), (people["bh"], "for"), (extra, "for")):
        services.cast_ballot(d, who, vote)
    services.cast_ballot(d, people["icb"], "against")
    sixth = member(b, "Mark Hancock", orgs["icb"], starts=datetime.date(2018, 1, 1))
    attend(mtg, sixth)
    services.cast_ballot(d, sixth, "against")
    d = services.close_vote(d)
    assert (d.outcome, d.votes_for, d.votes_against, d.base) == ("carried", 3, 2, 5)
    assert eligibility(d, "close")["Dan Knowles"] == (False, "conflicted")


def test_a_declaration_while_the_vote_is_open_voids_that_vote():
    b, _orgs, people, _mtg, item = world(method="simple_majority")
    d = services.open_vote(decision(b, item))
    services.cast_ballot(d, people["chair"], "for")
    services.cast_ballot(d, people["vcse"], "for")
    services.cast_ballot(d, people["bh"], "against")
    declare(item, people["vcse"])
    d = services.close_vote(d)
    assert (d.outcome, d.votes_for, d.votes_against) == ("not_carried", 1, 1)
    assert eligibility(d, "opening")["Dan Knowles"] == (True, "")
    assert eligibility(d, "close")["Dan Knowles"] == (False, "conflicted")


def test_a_declaration_after_close_flags_the_decision_and_leaves_the_result():
    b, _orgs, people, _mtg, item = world()
    d = services.open_vote(decision(b, item))
    services.cast_ballot(d, people["vcse"], "for")
    d = services.close_vote(d)
    assert d.outcome == "carried" and not selectors.decisions_for_review().exists()
    declare(item, people["vcse"], at=timezone.now() + datetime.timedelta(minutes=5))
    d.refresh_from_db()
    assert d.outcome == "carried"
    assert list(selectors.decisions_for_review()) == [d]


# --- close ---------------------------------------------------------------------------------------


def test_quorum_lost_before_close_gives_no_quorum_whatever_the_votes():
    b, _orgs, people, mtg, item = world(quorum_members=3, method="simple_majority")
    d = services.open_vote(decision(b, item))
    for who in ("chair", "bh", "icb", "vcse"):
        services.cast_ballot(d, people[who], "for")
    for who in ("icb", "vcse"):  # they left the meeting before the item
        services.record_attendance(
            Attendance(meeting=mtg, membership=people[who], present=True, left_after_item=item.number - 1)
        )
    d = services.close_vote(d)
    assert (d.outcome, d.quorate_at_open, d.quorate_at_close) == ("no_quorum", True, False)
    assert d.explanation.endswith("2 voting members counted; the quorum is 3.")
    assert not Binding.objects.filter(decision=d).exists()
    assert eligibility(d, "close")["Rachael Corser"] == (False, "left_for_item")


def test_a_tie_is_decided_by_a_casting_vote_only_where_the_terms_allow_one():
    b, _orgs, people, _mtg, item = world(method="simple_majority")
    d = services.open_vote(decision(b, item))
    for who, vote in (("chair", "for"), ("bh", "for"), ("icb", "against"), ("vcse", "against")):
        services.cast_ballot(d, people[who], vote)
    with pytest.raises(ValidationError, match="The terms of reference give the chair no casting vote"):
        services.close_vote(d, casting="for")
    assert services.close_vote(d).outcome == "not_carried"


def test_closing_records_who_is_bound_for_category_1():
    b, orgs, people, _mtg, item = world()
    d = services.open_vote(decision(b, item))
    services.cast_ballot(d, people["chair"], "for")
    d = services.close_vote(d)
    bound = set(Binding.objects.filter(decision=d).values_list("organisation", flat=True))
    assert bound == {orgs[k].pk for k in ("oh", "bh", "icb", "vcse")}  # not the non-voting council


def test_closing_a_meeting_with_a_vote_open_is_refused():
    b, _orgs, _people, mtg, item = world()
    d = services.open_vote(decision(b, item))
    with pytest.raises(ValidationError, match="Close the vote on “Adopt the crisis pathway priority”"):
        services.close_meeting(mtg)
    services.close_vote(d)
    assert services.close_meeting(mtg).status == "closed"


def test_every_write_of_a_vote_is_audited():
    b, _orgs, people, _mtg, item = world()
    with audit_context(user=None, source="test"):
        d = services.open_vote(decision(b, item))
        services.cast_ballot(d, people["chair"], "for")
        services.close_vote(d)
    labels = set(AuditEntry.objects.filter(source="test").values_list("object_type__model", flat=True))
    assert {"decision", "eligibilityrecord", "ballot", "binding"} <= labels
    assert AuditEntry.objects.filter(source="test", object_type__model="eligibilityrecord").count() == 10


# --- dates across the clock changes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "local, date",
    [
        (datetime.datetime(2026, 3, 29, 0, 30), datetime.date(2026, 3, 29)),  # GMT, before the change
        (datetime.datetime(2026, 3, 29, 10, 0), datetime.date(2026, 3, 29)),  # BST
        (datetime.datetime(2026, 10, 25, 0, 30), datetime.date(2026, 10, 25)),  # BST: 23:30 UTC the day before
        (datetime.datetime(2026, 10, 25, 23, 30), datetime.date(2026, 10, 25)),  # GMT
    ],
    ids=["before the March change", "after the March change", "before the October change", "after the October change"],
)
def test_dates_across_the_clock_changes_use_the_meetings_local_date(local, date):
    """The terms in force are those of the meeting's date in Europe/London, not UTC's."""
    b, _orgs, people, _mtg, _item = world(method="unanimity")
    TermsOfReference.objects.create(body=b, effective_from=date, method="simple_majority")
    when = local.replace(tzinfo=LONDON)
    later = services.schedule_meeting(Meeting(body=b, starts_at=when, place="Online"))
    later.refresh_from_db()
    assert timezone.localtime(later.starts_at).replace(tzinfo=None) == local
    attend(later, people["chair"], people["bh"])
    later_item = services.add_item(AgendaItem(meeting=later, title="Pathway", purpose="decision"))
    d = services.open_vote(decision(b, later_item))
    assert d.rule["method"] == "simple_majority"


# --- never changed, never deleted ------------------------------------------------------------------


def closed(world_terms=None):
    b, _orgs, people, _mtg, item = world()
    d = services.open_vote(decision(b, item))
    services.cast_ballot(d, people["chair"], "for")
    return services.close_vote(d), people


def test_a_closed_decision_its_ballots_and_eligibility_cannot_change_through_the_orm():
    d, _people = closed()
    ballot = Ballot.objects.get(decision=d)
    record = EligibilityRecord.objects.filter(decision=d).first()
    d.title, d.outcome = "Something else", "not_carried"
    ballot.vote = "against"
    record.eligible = False
    attempts = [
        d.save,
        d.delete,
        lambda: Decision.objects.filter(pk=d.pk).update(outcome="not_carried"),
        lambda: Decision.objects.filter(pk=d.pk).delete(),
        ballot.save,
        ballot.delete,
        lambda: Ballot.objects.all().update(vote="against"),
        lambda: Ballot.objects.all().delete(),
        record.save,
        lambda: EligibilityRecord.objects.all().delete(),
        lambda: Binding.objects.all().delete(),
    ]
    for attempt in attempts:
        with pytest.raises(AppendOnlyError), transaction.atomic():
            attempt()
    d.refresh_from_db()
    assert (d.title, d.outcome, Ballot.objects.get().vote) == ("Adopt the crisis pathway priority", "carried", "for")


def test_an_open_decision_can_still_change():
    b, _orgs, _people, _mtg, item = world()
    d = decision(b, item)
    d.title = "Adopt the crisis pathway priority for 2026/27"
    d.save()
    assert Decision.objects.filter(pk=d.pk).update(proposal="As in the paper.") == 1


def test_approved_minutes_and_the_register_cannot_change():
    b, _orgs, _people, mtg, _item = world()
    nxt = services.schedule_meeting(Meeting(body=b, starts_at=mtg.starts_at + datetime.timedelta(days=30)))
    minutes = Minutes.objects.create(meeting=mtg, text="Present: all members.", status=MinutesStatus.CIRCULATED)
    minutes.status, minutes.approved_at = MinutesStatus.APPROVED, nxt
    minutes.full_clean()
    minutes.save()
    interest = Interest.objects.create(
        name="Dan Knowles", declared_on=datetime.date(2026, 1, 5), category="financial", details="Shares."
    )
    minutes.text = "Present: nobody."
    interest.details = "None."
    for attempt in (minutes.save, minutes.delete, interest.save, interest.delete):
        with pytest.raises(AppendOnlyError), transaction.atomic():
            attempt()


def test_minutes_are_approved_at_a_later_meeting():
    _b, _orgs, _people, mtg, _item = world()
    minutes = Minutes(meeting=mtg, text="Present: all members.", status=MinutesStatus.APPROVED, approved_at=mtg)
    with pytest.raises(ValidationError, match="Minutes are approved at a later meeting"):
        minutes.full_clean()


# What the database itself refuses, below the ORM (as for the audit trail: core.append_only).
REFUSED_BY_THE_DATABASE = {
    "postgresql": [
        "UPDATE governance_ballot SET vote = 'against'",
        "DELETE FROM governance_ballot",
        "UPDATE governance_decision SET outcome = 'not_carried'",
        "DELETE FROM governance_eligibilityrecord",
        "UPDATE governance_minutes SET text = 'Present: nobody.'",
        "DELETE FROM governance_minutes",
    ],
    "sqlite": [
        "UPDATE governance_ballot SET vote = 'against'",
        "UPDATE governance_decision SET outcome = 'not_carried'",
        "UPDATE governance_eligibilityrecord SET eligible = false",
        "UPDATE governance_minutes SET text = 'Present: nobody.'",
    ],
}


def test_the_database_refuses_raw_sql_changes_to_final_records():
    assert connection.vendor in REFUSED_BY_THE_DATABASE, f"say what {connection.vendor} refuses"
    d, _people = closed()
    nxt = services.schedule_meeting(Meeting(body=d.body, starts_at=timezone.now() + datetime.timedelta(days=40)))
    Minutes.objects.create(meeting=d.item.meeting, text="Present: all.", status="approved", approved_at=nxt)
    for sql in REFUSED_BY_THE_DATABASE[connection.vendor]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Ballot.objects.get().vote == "for"


def test_the_database_lets_a_draft_decision_change():
    b, _orgs, _people, _mtg, item = world()
    d = decision(b, item)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE governance_decision SET title = 'Revised' WHERE id = %s", [d.pk])
    d.refresh_from_db()
    assert d.title == "Revised"
