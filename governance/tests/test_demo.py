"""``manage.py seed_demo``: the demo governance bodies from the seeds, through the services."""

import datetime

import pytest

from core.models import AuditEntry
from governance import demo as governance_demo
from governance import selectors
from governance.models import Binding, Body, Decision, EligibilityRecord, Programme, Supersession
from tests.attention import items_of
from tests.fixtures import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_bodies_show_the_rules_at_work(demo):
    output = demo.output
    assert "3 governance bodies, 7 decisions" in output
    jccc = Body.objects.get(name=governance_demo.JCCC)
    assert jccc.terms.get().frequency == "monthly"
    assert jccc.decisions.get().outcome == "carried"

    group = Body.objects.get(name=governance_demo.DESIGN_GROUP)
    assert list(group.partnerships.values_list("reference", flat=True)) == ["P-0010"]
    priority = Decision.objects.get(body=group, category=2)
    assert sorted(Binding.objects.filter(decision=priority).values_list("organisation__name", flat=True)) == [
        "Berkshire Healthcare NHS Foundation Trust",
        "Oxford Health NHS Foundation Trust",
    ]
    cafe = Decision.objects.get(body=group, title__startswith="Commission a VCSE-run crisis café")
    excluded = EligibilityRecord.objects.get(decision=cafe, stage="close", member_name="Dan Knowles")
    assert (excluded.eligible, excluded.reason) == (False, "conflicted")
    assert group.memberships.get(user__username="nick.broughton").role == "chair"
    assert AuditEntry.objects.filter(source="seed", object_type__model="ballot").count() == 18


def test_the_demo_takes_the_oh_ouh_mou_through_the_four_locked_gateways_and_refuses_a_reopen(demo):
    board = Body.objects.get(name=governance_demo.OH_OUH_BOARD)
    assert list(board.partnerships.values_list("reference", flat=True)) == ["P-0011"]
    mou = Programme.objects.get(body=board)
    page = selectors.programme_page(mou)
    assert [(row.label, row.state_label) for row in page["stages"]] == [
        ("Initiation", "Locked"),
        ("Case for change", "Locked"),
        ("Options", "Locked"),
        ("Options appraisal", "Locked"),
    ]
    assert all(row.lock.outcome == "carried" for row in page["stages"])
    [request] = page["requests"]
    assert (request.stage, request.public_interest, request.outcome.approved) == ("options", "", False)
    assert "No public-interest justification was given" in request.outcome.note
    assert not Supersession.objects.exists()
    assert AuditEntry.objects.filter(source="seed", object_type__model="reopenoutcome").count() == 1


def test_the_demo_shows_what_a_meeting_leaves_behind_and_the_registers_flags(demo):
    jccc = Body.objects.get(name=governance_demo.JCCC)
    first, following = jccc.meetings.order_by("starts_at")
    carried = selectors.carried_over(following, first)
    assert [m.status for m in carried["minutes"]] == ["circulated"]
    assert [a.owner_display for a in carried["actions"]] == ["Damian Allen"]
    assert [i.name for i in carried["interests"]] == ["Anthony Fitzgerald"]  # pending review
    overdue = [
        a.action.owner_display for a in items_of("governance_actions_overdue", _keeper(), datetime.date(2026, 12, 6))
    ]
    assert "Damian Allen" in overdue
    due = {d.name for d in selectors.declarations_due(datetime.date(2026, 12, 6))}
    assert {"Jackie Pederson", "Anthony Fitzgerald"} <= due  # none at all, and one from 2017
    group = Body.objects.get(name=governance_demo.DESIGN_GROUP)
    items = selectors.meeting_page(group.meetings.get())["items"]
    assert [f.name for i in items if i.title == "Crisis café network" for f in i.flags] == ["Dan Knowles"]


def _keeper():
    from accounts.models import User

    return User.objects.get(username="ben.cahill")


def test_seeding_again_adds_nothing(demo):
    entries = AuditEntry.objects.count()
    output = seed_demo()
    assert "governance bod" not in output
    assert AuditEntry.objects.count() == entries
