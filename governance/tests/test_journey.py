"""A secretary runs a meeting end to end through the pages: attendance, a declaration, a category 2
vote where a conflicted member and a member of an organisation not affected are refused with the
reason, the result computed with the organisations bound, and the meeting closed."""

import re

import pytest
from django.urls import reverse

from governance.models import Binding, Decision, EligibilityRecord, Meeting
from governance.tests.builders import body, meeting, member, organisation

pytestmark = pytest.mark.django_db


def errors(response):
    """The messages shown next to the fields."""
    body = response.content.decode()
    spans = re.findall(r'<span class="nhsuk-error-message" id="id_\w+-error">(.*?)</span>\s*(?:</div>|<)', body, re.S)
    return [" ".join(re.sub(r"<[^>]+>|Error:", " ", span).split()) for span in spans]


def test_a_secretary_runs_a_meeting_with_a_category_2_vote(client, make_user):
    client.force_login(make_user(role="coordinator"))
    b = body("BOB Mental Health Provider Collaborative Design Group", kind="design_group", quorum_members=1)
    oh, bh = (
        organisation("Oxford Health NHS Foundation Trust"),
        organisation("Berkshire Healthcare NHS Foundation Trust"),
    )
    icb = organisation("BOB Integrated Care Board", kind="icb")
    chair, emms, corser = (
        member(b, "Nick Broughton", oh, role="chair"),
        member(b, "Julian Emms", bh),
        member(b, "Rachael Corser", icb),
    )
    mtg = meeting(b)
    for m in (chair, emms, corser):
        response = client.post(reverse("governance:attendance", args=[mtg.pk]), {"membership": m.pk, "present": "on"})
        assert response.status_code == 302
    response = client.post(
        reverse("governance:item_add", args=[mtg.pk]), {"title": "Crisis pathway priority", "purpose": "decision"}
    )
    item = mtg.items.get(title="Crisis pathway priority")
    client.post(
        reverse("governance:declare", args=[item.pk]),
        {"membership": emms.pk, "details": "Director of a bidding provider.", "management": "discuss_not_vote"},
    )
    response = client.post(
        reverse("governance:decision_add", args=[item.pk]),
        {"title": "Make the crisis pathway a priority", "category": "2", "affected": [oh.pk, bh.pk]},
    )
    decision = Decision.objects.get(title="Make the crisis pathway a priority")
    assert response["Location"] == reverse("governance:decision", args=[decision.pk])
    assert client.post(reverse("governance:decision_open", args=[decision.pk])).status_code == 302

    vote = reverse("governance:ballot", args=[decision.pk])
    refused = client.post(vote, {"membership": emms.pk, "vote": "against"})
    assert refused.status_code == 400
    assert errors(refused) == [
        "Julian Emms cannot vote: they have a declared interest that bars them from this decision."
    ]
    refused = client.post(vote, {"membership": corser.pk, "vote": "against"})
    assert errors(refused) == [
        "Rachael Corser cannot vote: they represent an organisation this category 2 decision does not affect."
    ]
    assert client.post(vote, {"membership": chair.pk, "vote": "for"}).status_code == 302

    refused = client.post(reverse("governance:meeting_close", args=[mtg.pk]))
    assert refused.status_code == 400
    assert (
        "Close the vote on “Make the crisis pathway a priority” before closing the meeting." in refused.content.decode()
    )

    assert client.post(reverse("governance:decision_close", args=[decision.pk]), {"casting": ""}).status_code == 302
    decision.refresh_from_db()
    assert (decision.outcome, decision.votes_for, decision.base) == ("carried", 1, 1)
    assert set(Binding.objects.filter(decision=decision).values_list("organisation", flat=True)) == {oh.pk, bh.pk}
    record = client.get(reverse("governance:decision", args=[decision.pk])).content.decode()
    assert "No: conflicted: a declared interest bars them from the decision" in record
    assert "No: organisation not affected by this category 2 decision" in record
    assert "Organisations bound" in record and "Berkshire Healthcare NHS Foundation Trust" in record
    assert EligibilityRecord.objects.filter(decision=decision, stage="close").count() == 3

    assert client.post(reverse("governance:meeting_close", args=[mtg.pk])).status_code == 302
    assert Meeting.objects.get(pk=mtg.pk).status == "closed"
    # A closed meeting takes no more attendance, and a closed vote no more votes.
    late = client.post(reverse("governance:attendance", args=[mtg.pk]), {"membership": emms.pk})
    assert late.status_code == 400 and "Attendance cannot change once the meeting is closed." in late.content.decode()
    assert client.post(vote, {"membership": chair.pk, "vote": "against"}).status_code == 400
