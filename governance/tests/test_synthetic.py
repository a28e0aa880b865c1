"""``manage.py seed_bench --governance-bodies N --interests M``: the benchmark's governance is what
the services would have written (results agreeing with the votes, eligibility at both stages, the
carried decisions binding their members' organisations), audited, and the size asked for."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from core.models import AuditEntry
from governance import rules, synthetic
from governance.models import (
    Ballot,
    Binding,
    Body,
    Decision,
    EligibilityRecord,
    Interest,
    ItemDeclaration,
    Meeting,
    MeetingStatus,
)

pytestmark = pytest.mark.django_db


def seed(*args):
    out = StringIO()
    call_command("seed_bench", "--risks", "0", *args, stdout=out)
    return out.getvalue()


def test_a_body_for_every_n_partnerships_with_meetings_decisions_and_the_register():
    out = seed("--partnerships", "60", "--governance-bodies", "20", "--interests", "2")
    assert Body.objects.count() == 3 and Interest.objects.count() == 120
    assert Meeting.objects.count() == 3 * synthetic.MEETINGS_PER_BODY
    assert "3 governance bodies, 120 meetings" in out
    held = Meeting.objects.filter(status=MeetingStatus.CLOSED)
    assert 0 < held.count() < Meeting.objects.count()  # the last one is still to come
    biggest = Meeting.objects.annotate(n=Count("items")).order_by("-n").first()
    assert biggest.n == synthetic.BIG_MEETING_ITEMS
    assert Decision.objects.count() == Meeting.objects.count() * synthetic.DECISIONS_PER_MEETING + (
        synthetic.BIG_MEETING_ITEMS - 4 - synthetic.DECISIONS_PER_MEETING
    )
    to_come = Decision.objects.filter(item__meeting__status=MeetingStatus.SCHEDULED)
    assert to_come.count() == 3 * synthetic.DECISIONS_PER_MEETING
    assert set(to_come.values_list("status", flat=True)) == {"draft"}
    assert not Ballot.objects.filter(decision__in=to_come).exists()


def test_each_decision_is_closed_with_a_result_that_agrees_with_its_votes():
    seed("--partnerships", "20", "--governance-bodies", "20", "--interests", "0")
    decisions = Decision.objects.filter(status="closed").prefetch_related("ballots", "bindings", "eligibility")
    assert decisions.count() > 100
    for d in decisions:
        votes = [b.vote for b in d.ballots.all()]
        assert (d.votes_for, d.votes_against, d.abstentions) == (
            votes.count("for"),
            votes.count("against"),
            votes.count("abstain"),
        )
        assert d.outcome == (rules.Outcome.CARRIED if d.votes_for > d.votes_against else rules.Outcome.NOT_CARRIED)
        assert bool(d.bindings.all()) == (d.outcome == rules.Outcome.CARRIED)
        stages = sorted(r.stage for r in d.eligibility.all())
        assert stages == ["close"] * 5 + ["opening"] * 5
        assert d.copied_rule() is not None and d.closed_at > d.opened_at
    non_voting = EligibilityRecord.objects.filter(eligible=False)
    assert set(non_voting.values_list("reason", flat=True)) == {rules.Reason.NON_VOTING}
    assert Ballot.objects.count() == 4 * decisions.count()
    assert Binding.objects.exists() and ItemDeclaration.objects.exists()
    created = AuditEntry.objects.filter(action="create", source="bench")
    assert created.filter(object_type__model="decision").count() == Decision.objects.count()
    assert created.filter(object_type__model="meeting").count() == Meeting.objects.count()


def test_register_entries_are_valid_some_nil_some_withheld_and_audited():
    seed("--partnerships", "400", "--governance-bodies", "0", "--interests", "1")
    assert not Body.objects.exists()
    entries = Interest.objects.all()
    assert entries.count() == 400
    for entry in entries:
        entry.full_clean()  # a category unless nil, a reason when withheld
    assert entries.filter(nil_return=True).exists() and entries.filter(withheld=True).exists()
    assert AuditEntry.objects.filter(object_type__model="interest", source="bench").count() == 400


def test_no_governance_when_asked_for_none():
    seed("--partnerships", "30", "--governance-bodies", "0", "--interests", "0")
    assert not Body.objects.exists() and not Interest.objects.exists()
