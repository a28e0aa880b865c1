"""What a meeting leaves behind and the register's flags: actions (overdue derived from today),
what closing a meeting carries to the next, declarations made at a meeting reviewed at the next,
annual re-declaration and the 28-day rule, interests flagged on the agenda items they touch."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.append_only import AppendOnlyError
from core.attention import needs_attention
from governance import selectors, services
from governance.models import (
    Action,
    AgendaItem,
    Decision,
    Interest,
    ItemDeclaration,
    Meeting,
    Minutes,
    ReviewOutcome,
)
from governance.tests.builders import LONDON, body, meeting, member, organisation
from tests.fixtures import sign_in

pytestmark = pytest.mark.django_db

MARCH = datetime.datetime(2026, 3, 12, 14, 0, tzinfo=LONDON)
APRIL = datetime.datetime(2026, 4, 9, 14, 0, tzinfo=LONDON)


def jccc():
    b = body()
    ccg = organisation("NHS Doncaster CCG", kind="icb")
    council = organisation("Doncaster Council", kind="local_authority")
    chair = member(b, "Jackie Pederson", ccg, role="chair")
    council_lead = member(b, "Damian Allen", council)
    return b, chair, council_lead, council


def action(mtg, due, owner_name="Damian Allen", **fields):
    return services.save_action(
        Action(meeting=mtg, description="Circulate the work programme.", owner_name=owner_name, due_on=due, **fields)
    )


# --- actions --------------------------------------------------------------------------------------


def test_an_action_is_overdue_from_the_day_after_its_due_date_until_done_and_never_stored_as_such():
    b, *_ = jccc()
    a = action(meeting(b, MARCH), datetime.date(2026, 3, 31))
    assert not a.is_overdue(datetime.date(2026, 3, 31))
    assert a.is_overdue(datetime.date(2026, 4, 1))
    assert list(Action.objects.overdue(datetime.date(2026, 4, 1)).filter(meeting__body=b)) == [a]
    a.status = "done"
    a.save()
    assert not a.is_overdue(datetime.date(2027, 1, 1))
    assert not Action.objects.overdue(datetime.date(2027, 1, 1)).filter(meeting__body=b).exists()


def test_an_action_has_one_owner_an_item_of_its_own_meeting_and_no_cancelled_meeting():
    b, *_ = jccc()
    mtg, other = meeting(b, MARCH), meeting(b, APRIL)
    with pytest.raises(ValidationError, match="Choose an Accord user or type the name"):
        action(mtg, datetime.date(2026, 4, 1), owner_name="")
    with pytest.raises(ValidationError, match="Choose an item of this meeting"):
        action(mtg, datetime.date(2026, 4, 1), item=other.items.first())
    other.status = "cancelled"
    other.save()
    with pytest.raises(ValidationError, match="A cancelled meeting raises no actions"):
        action(other, datetime.date(2026, 4, 1))
    assert not Action.objects.filter(meeting__body=b).exists()


def test_overdue_actions_need_the_secretarys_attention_and_their_owners_only_their_own(world):
    world.action.owner_name, world.action.owner = "", world.user("executive")
    world.action.save()
    today = datetime.date(2026, 2, 1)
    for role, expected in (("coordinator", 1), ("executive", 1), ("auditor", 0), ("other_lead", 0)):
        items = [i for i in needs_attention(world.user(role), today) if i.tag == "Action overdue"]
        assert len(items) == expected, role
    row = selectors.overdue_action_rows(world.user("coordinator"), today).get()
    item = selectors.overdue_action_item(row, today)
    assert item.due == datetime.date(2026, 1, 15) and item.reference == world.partnership.reference
    assert item.url.endswith(f"#action-{world.action.pk}")
    assert not selectors.overdue_action_rows(world.user("coordinator"), datetime.date(2026, 1, 15)).exists()


def test_the_body_page_lists_its_open_actions_and_the_meeting_page_its_action_log(client, world):
    sign_in(client, world, "board_member")
    body_page = client.get(reverse("governance:detail", args=[world.body.pk])).content.decode()
    assert "Circulate the bed base review to the partner trusts." in body_page and "Overdue" in body_page
    log = client.get(reverse("governance:meeting", args=[world.meeting.pk])).content.decode()
    assert 'id="action-' in log and "Priya Shah" in log
    assert "governance/actions/" not in log  # a board member reads; only the secretary updates


# --- closing carries over -------------------------------------------------------------------------


def test_closing_carries_minutes_open_actions_and_pending_declarations_to_the_next_meeting_by_query():
    b, _, council_lead, _ = jccc()
    march = meeting(b, MARCH)
    item = services.add_item(AgendaItem(meeting=march, title="Better Care Fund plan"))
    open_action = action(march, datetime.date(2026, 3, 31))
    action(march, datetime.date(2026, 3, 20), status="done")
    services.declare_on_item(
        ItemDeclaration(item=item, membership=council_lead, details="Spouse runs a care home.", management="no_action")
    )
    services.add_minutes(Minutes(meeting=march, text="Present: both."))
    note = selectors.carry_over_note(march)
    assert "1 open action and 1 declaration to review" in note
    assert "No next meeting of the body is scheduled yet" in note
    services.close_meeting(march)
    assert Action.objects.filter(meeting__body=b).count() == 2  # nothing copied
    assert Meeting.objects.filter(body=b).count() == 1

    april = meeting(b, APRIL)  # scheduled after the close: the carry-over shows on it all the same
    carried = selectors.carried_over(april, march)
    assert [m.version for m in carried["minutes"]] == [1]
    assert carried["actions"] == [open_action]
    assert [d.membership for d in carried["item_declarations"]] == [council_lead]
    assert carried["pending"] == 1
    assert "to the next meeting, on 9 April 2026 at 14:00" in selectors.carry_over_note(march)


def test_a_meeting_with_a_vote_open_still_cannot_close(world):
    with pytest.raises(ValidationError, match="Close the vote on “Adopt the crisis pathway”"):
        services.close_meeting(world.meeting)


def test_the_close_confirmation_says_where_the_carry_over_goes(client, world):
    sign_in(client, world, "coordinator")
    confirm = client.get(reverse("governance:meeting_close", args=[world.next_meeting.pk])).content.decode()
    assert "No next meeting of the body is scheduled yet" in confirm
    response = client.post(reverse("governance:meeting_close", args=[world.next_meeting.pk]), follow=True)
    assert "whichever meeting is scheduled next" in response.content.decode()


# --- declarations made at a meeting, reviewed at the next -----------------------------------------


def test_a_declaration_made_at_a_meeting_is_pending_until_the_next_reviews_it_in_a_row_of_its_own():
    b, _, council_lead, _ = jccc()
    march, april = meeting(b, MARCH), meeting(b, APRIL)
    entry = Interest.objects.create(
        membership=council_lead,
        name="Damian Allen",
        declared_on=datetime.date(2026, 3, 12),
        category="indirect",
        details="Spouse runs a care home.",
        declared_at_meeting=march,
    )
    with pytest.raises(ValidationError, match="reviewed at a later meeting"):
        services.review_declaration(march, entry, ReviewOutcome.ENTERED)
    with pytest.raises(ValidationError, match="Record the action taken"):
        services.review_declaration(april, entry, ReviewOutcome.ACTION, action_taken=" ")
    review = services.review_declaration(april, entry, ReviewOutcome.ENTERED)
    assert Interest.objects.get(pk=entry.pk).declared_at_meeting == march  # the entry is as it was made
    assert selectors.carried_over(april, march)["pending"] == 0
    assert selectors.carried_over(april, march)["reviews"] == [review]
    with pytest.raises(ValidationError, match="already been reviewed"):
        services.review_declaration(april, entry, ReviewOutcome.ACTION, action_taken="Leaves for the item.")
    review.action_taken = "Changed."
    with pytest.raises(AppendOnlyError):
        review.save()


def test_a_declaration_on_an_item_accepted_into_the_register_becomes_an_entry_made_at_that_meeting():
    b, chair, council_lead, _ = jccc()
    march, april = meeting(b, MARCH), meeting(b, APRIL)
    item = services.add_item(AgendaItem(meeting=march, title="Care home fees"))
    declaration = services.declare_on_item(
        ItemDeclaration(item=item, membership=council_lead, details="Spouse runs a care home.", management="leaves")
    )
    with pytest.raises(ValidationError, match="Choose the category"):
        services.review_declaration(april, declaration, ReviewOutcome.ENTERED)
    assert not Interest.objects.filter(name="Damian Allen").exists()
    review = services.review_declaration(april, declaration, ReviewOutcome.ENTERED, category="indirect")
    entry = review.interest
    assert (entry.name, entry.category, entry.declared_at_meeting) == ("Damian Allen", "indirect", march)
    assert entry.action_taken == "Leaves the meeting for the item"
    assert selectors.carried_over(april, march)["pending"] == 0
    april.status = "closed"
    april.save()
    other = services.declare_on_item(
        ItemDeclaration(item=item, membership=chair, details="Sits on the care home board.", management="no_action")
    )
    with pytest.raises(ValidationError, match="not yet closed"):
        services.review_declaration(april, other, ReviewOutcome.ACTION, action_taken="Noted.")


# What the database itself refuses, below the ORM (``core.append_only``): SQLite refuses UPDATE.
REVIEW_REFUSED = {
    "postgresql": [
        "UPDATE governance_declarationreview SET action_taken = 'x' WHERE id = %s",
        "DELETE FROM governance_declarationreview WHERE id = %s",
    ],
    "sqlite": ["UPDATE governance_declarationreview SET action_taken = 'x' WHERE id = %s"],
}


def test_the_database_refuses_to_change_a_review():
    assert connection.vendor in REVIEW_REFUSED, f"say what {connection.vendor} refuses"
    b, _, council_lead, _ = jccc()
    march, april = meeting(b, MARCH), meeting(b, APRIL)
    item = services.add_item(AgendaItem(meeting=march, title="Care home fees"))
    declaration = services.declare_on_item(
        ItemDeclaration(item=item, membership=council_lead, details="Spouse runs a care home.", management="leaves")
    )
    review = services.review_declaration(april, declaration, ReviewOutcome.ACTION, action_taken="Left the room.")
    for sql in REVIEW_REFUSED[connection.vendor]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [review.pk])


# --- the register's flags -------------------------------------------------------------------------


def test_annual_re_declaration_is_due_after_12_months_or_28_days_after_joining_with_none():
    b, chair, _, _ = jccc()  # both members since 1 January 2018
    Interest.objects.create(
        membership=chair, name="Jackie Pederson", declared_on=datetime.date(2025, 4, 1), nil_return=True
    )
    newcomer = member(b, "Ros Jones", chair.organisation, starts=datetime.date(2026, 3, 20))
    ours = {"Damian Allen", "Jackie Pederson", "Ros Jones"}  # the shared world has its own members
    due = {d.name: d for d in selectors.declarations_due(datetime.date(2026, 4, 1)) if d.name in ours}
    assert set(due) == {"Damian Allen"}  # Jackie declared within the year; Ros joined 12 days ago
    assert due["Damian Allen"].last is None and "since joining on 1 January 2018" in due["Damian Allen"].message
    later = {d.name: d for d in selectors.declarations_due(datetime.date(2026, 4, 30)) if d.name in ours}
    assert set(later) == {"Damian Allen", "Jackie Pederson", "Ros Jones"}
    assert later["Jackie Pederson"].due == datetime.date(2026, 4, 1)
    assert "1 April 2025" in later["Jackie Pederson"].message
    assert later["Ros Jones"].due == newcomer.starts_on + datetime.timedelta(days=28)


def test_members_of_a_body_that_has_stood_down_are_not_asked_to_declare():
    group = body("BOB Design Group", kind="design_group")
    member(group, "Amelie Bages", organisation("Oxford Health NHS Foundation Trust"))
    assert "Amelie Bages" in {d.name for d in selectors.declarations_due(datetime.date(2026, 4, 1))}
    group.ends_on = datetime.date(2025, 3, 31)
    group.save()
    assert "Amelie Bages" not in {d.name for d in selectors.declarations_due(datetime.date(2026, 4, 1))}


def test_declarations_due_need_the_keepers_attention_and_each_users_own(world):
    today = datetime.date(2026, 6, 1)
    keeper = {i.title for i in needs_attention(world.user("coordinator"), today) if i.tag == "Declaration due"}
    # Priya Shah last declared on 1 April 2025; the chair, an Accord user, never has.
    assert keeper == {"Priya Shah", world.user("executive").get_full_name()}
    executive = [i for i in needs_attention(world.user("executive"), today) if i.tag == "Declaration due"]
    assert [i.title for i in executive] == [world.user("executive").get_full_name()]
    assert [i for i in needs_attention(world.user("auditor"), today) if i.tag == "Declaration due"] == []


@pytest.mark.parametrize(
    ("declared", "began", "joined", "first", "late"),
    [
        ("2026-02-28", "2026-01-31", None, None, False),  # 28 days after it arose
        ("2026-03-01", "2026-01-31", None, None, True),  # 29 days
        ("2026-03-01", "2025-01-01", "2026-02-15", None, False),  # arose before joining: 28 days from joining
        ("2026-04-01", None, "2026-02-15", "2026-04-01", True),  # a first nil return 45 days after joining
        ("2027-04-01", None, "2026-02-15", "2026-03-01", False),  # the annual one is not
    ],
)
def test_the_28_day_rule(declared, began, joined, first, late):
    d = datetime.date.fromisoformat
    entry = Interest(
        name="Ros Jones",
        declared_on=d(declared),
        nil_return=began is None,
        category="" if began is None else "financial",
        applies_from=began and d(began),
    )
    assert entry.late(joined and d(joined), first and d(first)) is late


def test_the_register_page_flags_declarations_due_and_late_ones(client, world):
    Interest.objects.create(
        membership=world.member,
        name="Priya Shah",
        declared_on=datetime.date(2025, 6, 1),
        category="financial",
        details="Shares in a bed management software company.",
        applies_from=datetime.date(2025, 1, 1),
    )
    sign_in(client, world, "auditor")
    register = client.get(reverse("governance:interests")).content.decode()
    assert "Declarations due" in register
    assert "No declaration of interests or nil return since joining on 1 April 2020" in register  # the chair
    assert ">No<" in register  # the shares declared five months after they arose


# --- interests flagged on the items they touch ----------------------------------------------------


def test_a_member_with_a_current_interest_is_flagged_on_the_items_about_that_organisation(client, world):
    Interest.objects.create(
        membership=world.member,
        name="Priya Shah",
        declared_on=datetime.date(2025, 1, 1),
        category="financial",
        details="Shares in an estates contractor.",
        organisation=world.other_org,
    )
    Interest.objects.create(  # lapsed: not flagged
        membership=world.member,
        name="Priya Shah",
        declared_on=datetime.date(2020, 1, 1),
        category="indirect",
        details="Spouse worked there.",
        applies_to=datetime.date(2021, 1, 1),
        organisation=world.other_org,
    )
    services.add_item(AgendaItem(meeting=world.meeting, title="Estates contract", organisation=world.other_org))
    services.add_item(AgendaItem(meeting=world.meeting, title="Staffing"))
    items = selectors.meeting_page(world.meeting)["items"]
    flagged = {i.title: [f.details for f in i.flags] for i in items}
    assert flagged["Estates contract"] == ["Shares in an estates contractor."]
    assert flagged["Staffing"] == []
    sign_in(client, world, "coordinator")
    page = client.get(reverse("governance:meeting", args=[world.meeting.pk])).content.decode()
    assert f"Priya Shah: financial, {world.other_org.name}" in page


# --- decisions by written procedure ---------------------------------------------------------------


def test_a_vote_by_written_procedure_stays_open_until_its_time_unless_everyone_has_voted():
    b, chair, council_lead, _ = jccc()
    now = timezone.now()
    closes = now + datetime.timedelta(days=7)
    d = services.raise_decision(Decision(body=b, title="Approve the winter plan", written_procedure_closes_at=closes))
    services.open_vote(d, now=now)
    services.cast_ballot(d, chair, "for", now=now)
    with pytest.raises(ValidationError, match="1 member who may vote has not voted yet"):
        services.close_vote(d, now=now + datetime.timedelta(hours=1))
    services.cast_ballot(d, council_lead, "for", now=now + datetime.timedelta(hours=2))
    assert services.close_vote(d, now=now + datetime.timedelta(hours=3)).outcome == "carried"

    late = services.open_vote(
        services.raise_decision(Decision(body=b, title="Extend the plan", written_procedure_closes_at=closes)),
        now=now,
    )
    with pytest.raises(ValidationError, match="The time for votes by written procedure has passed"):
        services.cast_ballot(late, chair, "for", now=closes + datetime.timedelta(minutes=1))
    closed = services.close_vote(late, now=closes + datetime.timedelta(minutes=1))
    assert (closed.outcome, closed.votes_for) == ("no_consensus", 0)


def test_a_secretary_puts_a_decision_by_written_procedure_from_the_body_page(client, world):
    sign_in(client, world, "coordinator")
    body_page = client.get(reverse("governance:detail", args=[world.body.pk])).content.decode()
    assert reverse("governance:written_decision_add", args=[world.body.pk]) in body_page
    response = client.post(
        reverse("governance:written_decision_add", args=[world.body.pk]),
        {"title": "Approve the winter plan", "category": "1", "closes_on": "25/10/2099", "closes_time": "01:30"},
    )
    d = Decision.objects.get(title="Approve the winter plan")
    assert response.status_code == 302 and response["Location"] == d.get_absolute_url()
    assert d.item is None and timezone.localtime(d.written_procedure_closes_at).hour == 1
    page = client.get(d.get_absolute_url()).content.decode()
    assert "by written procedure, votes until 25 October 2099, 01:30" in page


def test_the_secretary_reviews_a_declaration_from_the_next_meetings_page(client, world):
    sign_in(client, world, "coordinator")
    meeting_url = reverse("governance:meeting", args=[world.next_meeting.pk])
    before = client.get(meeting_url).content.decode()
    review_url = reverse("governance:review_add", args=[world.next_meeting.pk])
    assert f"{review_url}?declaration=item-{world.item_declaration.pk}" in before
    form = client.get(f"{review_url}?declaration=item-{world.item_declaration.pk}").content.decode()
    assert f'value="item-{world.item_declaration.pk}" selected' in form
    response = client.post(
        review_url,
        {
            "declaration": f"item-{world.item_declaration.pk}",
            "outcome": "action",
            "action_taken": "Noted; no conflict.",
        },
    )
    assert response.status_code == 302
    after = client.get(meeting_url).content.decode()
    assert "Priya Shah: action taken to manage it recorded: Noted; no conflict." in after
    assert f"?declaration=item-{world.item_declaration.pk}" not in after
