"""The governance pages as their users see them (who may use each page is the permission matrix's:
``governance/tests/rows.py``)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Body, Meeting, MeetingStatus, TermsOfReference
from governance.selectors import meeting_frequency
from tests.editing import opened_version
from tests.fixtures import sign_in


def page(client, world, role, name, *args):
    sign_in(client, world, role)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_body_page_shows_members_terms_meetings_and_decisions(client, world):
    body = page(client, world, "auditor", "governance:detail", world.body.pk)
    assert "Forensic Network Partnership Board" in body
    assert "Priya Shah" in body and "Oxford University Hospitals NHS Foundation Trust" in body
    assert "Chair" in body
    assert "2 voting members; 0 organisations represented; the chair or vice-chair present" in body
    assert "Adopt the bed base review" in body and "Carried: No block, and at least one member supported." in body
    assert "Thames Valley Forensic Network" in body  # the partnership it governs
    assert "Meeting as often as the terms of reference say (at least monthly)." in body


def test_a_body_not_meeting_as_often_as_its_terms_say_is_flagged(client, world):
    quiet = Body.objects.create(name="Oxfordshire Estates Group", kind="working_group")
    TermsOfReference.objects.create(body=quiet, effective_from=datetime.date(2024, 1, 1), frequency="quarterly")
    services.schedule_meeting(
        Meeting(body=quiet, starts_at=timezone.now() - datetime.timedelta(days=200), status=MeetingStatus.CLOSED)
    )
    body = page(client, world, "coordinator", "governance:detail", quiet.pk)
    assert "Not meeting as often as the terms of reference say (quarterly): last met on" in body


@pytest.mark.parametrize(
    "last, today, ok",
    [
        (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1), True),  # 31 days: still monthly
        (datetime.date(2026, 3, 1), datetime.date(2026, 4, 2), False),
        (None, datetime.date(2026, 4, 2), False),  # never met, terms from 1 March
    ],
    ids=["31 days after the last", "32 days after the last", "never met"],
)
def test_meeting_frequency(last, today, ok):
    terms = TermsOfReference(effective_from=datetime.date(2026, 3, 1), frequency="monthly")
    assert meeting_frequency(None, terms, last, today).ok is ok


def test_a_body_that_has_stood_down_is_not_expected_to_meet():
    terms = TermsOfReference(effective_from=datetime.date(2023, 3, 1), frequency="monthly")
    design_group = Body(name="Design group", ends_on=datetime.date(2025, 3, 31))
    cadence = meeting_frequency(design_group, terms, datetime.date(2023, 6, 14), datetime.date(2026, 12, 6))
    assert cadence.ok and cadence.text == "Stood down on 31 March 2025: no meetings are expected."
    still_sitting = Body(name="Design group", ends_on=datetime.date(2027, 3, 31))
    assert not meeting_frequency(still_sitting, terms, datetime.date(2023, 6, 14), datetime.date(2026, 12, 6)).ok


def test_the_partnership_page_says_which_bodies_govern_it(client, world):
    url = reverse("partnerships:detail", args=[world.partnership.pk])
    for role in ("owner", "board_member"):
        sign_in(client, world, role)
        body = client.get(url).content.decode()
        assert "Governed by" in body and "Forensic Network Partnership Board" in body
    sign_in(client, world, "other_lead")
    assert "Forensic Network Partnership Board" not in client.get(url).content.decode()


def test_the_list_of_bodies_shows_a_lead_only_the_bodies_of_their_partnerships(client, world):
    owner = page(client, world, "owner", "governance:list")
    assert "Forensic Network Partnership Board" in owner and "Talking Space Plus Steering Group" not in owner
    auditor = page(client, world, "auditor", "governance:list")
    assert "Forensic Network Partnership Board" in auditor and "Talking Space Plus Steering Group" in auditor


def test_a_body_cannot_report_to_itself_further_up(client, world):
    child = Body.objects.create(name="Forensic estates subgroup", kind="working_group", parent=world.body)
    sign_in(client, world, "coordinator")
    url = reverse("governance:edit", args=[world.body.pk])
    response = client.post(
        url,
        {**opened_version(client, url), "name": world.body.name, "kind": world.body.kind, "parent": child.pk},
    )
    assert response.status_code == 400
    assert "A body cannot be its own parent, directly or further up." in response.content.decode()
    assert Body.objects.get(pk=world.body.pk).parent is None


def test_a_member_ended_leaves_the_current_members(client, world):
    sign_in(client, world, "coordinator")
    url = reverse("governance:member_edit", args=[world.member.pk])
    data = {
        **opened_version(client, url),
        "name": "Priya Shah",
        "organisation": world.partner_org.pk,
        "role": "member",
        "voting": "on",
        "starts_on": "01/04/2020",
        "ends_on": "01/01/2025",
    }
    assert client.post(url, data).status_code == 302
    body = page(client, world, "coordinator", "governance:detail", world.body.pk)
    assert "Priya Shah" not in body.split('id="members"')[1].split('id="meetings"')[0]


def test_a_new_terms_version_is_in_force_from_its_date(client, world):
    sign_in(client, world, "coordinator")
    url = reverse("governance:terms_add", args=[world.body.pk])
    form = client.get(url).content.decode()
    assert "Partnership leads\nChief executives\nParent body or ICB\nIndependent mediation" in form
    data = {
        "effective_from": "01/01/2026",
        "frequency": "quarterly",
        "quorum_members": "2",
        "quorum_organisations": "2",
        "method": "unanimity",
        "base": "votes_cast",
        "dispute_window_days": "14",
        "dispute_route": "Chief executives\nIndependent mediation",
    }
    assert client.post(url, data).status_code == 302
    body = page(client, world, "auditor", "governance:detail", world.body.pk)
    assert "In force from 1 January 2026." in body
    assert "Within 14 days, escalated through: Chief executives → Independent mediation" in body
    assert TermsOfReference.objects.filter(body=world.body).count() == 2


@pytest.mark.parametrize(
    "date, utc_hour",
    [("01/07/2026", 13), ("01/12/2026", 14)],
    ids=["summer (BST)", "winter (GMT)"],
)
def test_a_meeting_is_scheduled_in_uk_time_with_its_standing_items(client, world, date, utc_hour):
    sign_in(client, world, "coordinator")
    response = client.post(
        reverse("governance:meeting_add", args=[world.body.pk]), {"date": date, "time": "14:00", "place": "Online"}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(body=world.body, place="Online")
    assert meeting.starts_at.astimezone(datetime.UTC).hour == utc_hour
    body = client.get(response["Location"]).content.decode()
    assert "at 14:00" in body
    for n, title in enumerate(
        ["Apologies for absence", "Declarations of interest", "Minutes of the previous meeting", "Action log"], 1
    ):
        assert f"{n}. {title}" in body


def test_the_meeting_page_shows_declarations_and_decisions_on_each_item(client, world):
    body = page(client, world, "board_member", "governance:meeting", world.meeting.pk)
    assert "5. Bed base review" in body
    assert "Adopt the bed base review</a>: Carried" in body
    assert "Priya Shah (Oxford University Hospitals NHS Foundation Trust): present" in body


def test_a_body_not_meeting_as_often_as_its_terms_say_needs_the_secretarys_attention(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.attention import needs_attention
    from tests.attention import items_of

    today = timezone.localdate()

    def quiet(name, days_ago):
        b = Body.objects.create(name=name, kind="working_group")
        TermsOfReference.objects.create(body=b, effective_from=datetime.date(2024, 1, 1), frequency="quarterly")
        services.schedule_meeting(Meeting(body=b, starts_at=timezone.now() - datetime.timedelta(days=days_ago)))
        return b

    quiet("Oxfordshire Estates Group", 200)
    quiet("Oxfordshire Digital Group", 30)  # met a month ago: fine
    titles = [item.title for item in needs_attention(world.user("coordinator"), today)]
    assert "Oxfordshire Estates Group" in titles and "Oxfordshire Digital Group" not in titles
    meetings = items_of("meetings_due", world.user("coordinator"), today)
    item = next(i for i in meetings if i.title == "Oxfordshire Estates Group")
    assert item.message.startswith("Meets quarterly under its terms of reference; the last was on ")
    assert item.due == timezone.localdate(timezone.now() - datetime.timedelta(days=200)) + datetime.timedelta(92)
    assert items_of("meetings_due", world.user("owner"), today) == []  # a lead is not the secretary

    with CaptureQueriesContext(connection) as few:
        items_of("meetings_due", world.user("coordinator"), today)
    for n in range(10):
        quiet(f"Group {n}", 300)
    with CaptureQueriesContext(connection) as many:
        assert len(items_of("meetings_due", world.user("coordinator"), today)) >= 11
    assert len(few) == len(many) == 1
    messages = [i.message for i in needs_attention(world.user("coordinator"), today)]
    assert any(m.startswith("Meets quarterly under its terms of reference; the last was on ") for m in messages)


def test_the_published_register_withholds_what_it_must(client, world):
    body = page(client, world, "auditor", "governance:interests")
    assert "Priya Shah" in body and "Trustee of a mental health charity." in body
    assert "Declared at each meeting where the charity" in body
    assert "Entry withheld from publication" in body
    for secret in ("Sam Withheld", "A relative works for a secure care provider.", "Personal safety"):
        assert secret not in body
    sign_in(client, world, "auditor")
    export = client.get(reverse("governance:interests"), {"export": "csv"}).content.decode()
    assert "Entry withheld from publication" in export and "Priya Shah" in export
    for secret in ("Sam Withheld", "A relative works", "Personal safety", "Consultant forensic psychiatrist"):
        assert secret not in export


def test_a_declaration_by_an_accord_user_takes_their_name_and_job_title(client, world):
    owner = world.user("owner")
    owner.job_title = "Partnership Manager"
    owner.save()
    sign_in(client, world, "coordinator")
    response = client.post(
        reverse("governance:interest_add"),
        {"user": owner.pk, "declared_on": "01/04/2026", "nil_return": "on"},
    )
    assert response.status_code == 302
    register = client.get(reverse("governance:interests"), {"q": "Anne"}).content.decode()
    assert "Anne Clarke" in register and "Partnership Manager" in register
    assert "Nil return: nothing to declare" in register


def test_minutes_are_circulated_carried_to_the_next_meeting_approved_there_and_then_fixed(client, world):
    from core.append_only import AppendOnlyError
    from governance.models import Interest, Minutes

    Interest.objects.create(
        name="Priya Shah",
        declared_on=timezone.localdate(world.meeting.starts_at),
        category="financial",
        details="Shares in an estates contractor.",
        declared_at_meeting=world.meeting,
    )
    sign_in(client, world, "coordinator")
    assert client.post(reverse("governance:minutes_circulate", args=[world.minutes.pk])).status_code == 302
    nxt = page(client, world, "coordinator", "governance:meeting", world.next_meeting.pk)
    held = f"{world.meeting.starts_at:%-d %B %Y}"
    assert f"Minutes of {held}, version 1 (circulated)" in nxt  # on the standing item
    assert "2 declarations from earlier meetings to review" in nxt
    assert "Priya Shah: financial, Shares in an estates contractor." in nxt

    url = reverse("governance:minutes_approve", args=[world.minutes.pk])
    assert client.post(url, {"at_meeting": world.next_meeting.pk}).status_code == 302
    approved = Minutes.objects.get(pk=world.minutes.pk)
    assert approved.approved_at == world.next_meeting
    assert "version 1 (circulated)" not in page(
        client, world, "coordinator", "governance:meeting", world.next_meeting.pk
    )
    again = client.post(url, {"at_meeting": world.next_meeting.pk})
    assert again.status_code == 400
    assert "These minutes are already approved: a correction is a new version." in again.content.decode()
    approved.text = "Rewritten."
    with pytest.raises(AppendOnlyError):
        approved.save()

    add = reverse("governance:minutes_add", args=[world.meeting.pk])
    assert client.post(add, {"text": "Present: the chair and Priya Shah (corrected)."}).status_code == 302
    assert Minutes.objects.get(meeting=world.meeting, version=2).status == "draft"
    refused = client.post(add, {"text": "A third version."})
    assert "Version 2 of these minutes is still draft: approve it before adding another." in refused.content.decode()
