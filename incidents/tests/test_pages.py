"""The incident pages for the people who use them: the partnership page's section, recording and
moving an incident, the list's filters and the learning digest for a period."""

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from incidents import services
from incidents.models import Incident, IncidentStatus
from incidents.tests.builders import incident, organisation, partnership
from tests.world import NHS_NUMBER

pytestmark = pytest.mark.django_db

PARTNERS = ("Oxfordshire Mind", "Response")


@pytest.fixture
def omhp(users):
    return partnership(lead=users[Role.LEAD], partners=PARTNERS)


def agreed(p, learning, on, **fields):
    i = incident(p, **fields)
    services.move_incident(i, IncidentStatus.UNDER_REVIEW)
    return services.move_incident(i, IncidentStatus.LEARNING_AGREED, learning=learning, on=on)


def test_the_partnership_page_shows_its_incidents_and_its_lead_records_one(client, users, omhp):
    incident(omhp, summary="A tenant said a visitor was taking their money.")
    client.force_login(users[Role.LEAD])
    page = client.get(reverse("partnerships:detail", args=[omhp.pk])).content.decode()
    assert "Incidents, safeguarding concerns and serious complaints" in page
    assert "A tenant said a visitor was taking their money." in page
    assert reverse("incidents:add", args=[omhp.pk]) in page

    form = client.get(reverse("incidents:add", args=[omhp.pk])).content.decode()
    assert "Oxfordshire Mind" in form and "Southern Health" not in form
    response = client.post(
        reverse("incidents:add", args=[omhp.pk]),
        {
            "kind": "serious_complaint",
            "occurred_on": "02/05/2019",
            "reported_by": organisation("Response").pk,
            "severity": "no_harm",
            "summary": "A family was not told the move date.",
            "shared_with": [organisation("Oxfordshire Mind").pk],
        },
    )
    recorded = Incident.objects.get(kind="serious_complaint")
    assert response.status_code == 302 and response["Location"] == recorded.get_absolute_url()
    assert [o.name for o in recorded.shared_with.all()] == ["Oxfordshire Mind"]


def test_an_executive_reads_the_section_without_the_button(client, users, omhp):
    incident(omhp)
    client.force_login(users[Role.EXECUTIVE])
    page = client.get(reverse("partnerships:detail", args=[omhp.pk])).content.decode()
    assert "A tenant said a visitor was taking their money." in page
    assert reverse("incidents:add", args=[omhp.pk]) not in page


def test_moving_an_incident_on_and_a_refusal_that_says_why(client, users, omhp):
    i = incident(omhp)
    client.force_login(users[Role.COORDINATOR])
    url = reverse("incidents:move", args=[i.pk])
    assert "Under review" in client.get(url).content.decode()
    page = client.get(url).content.decode()
    version = page.split('name="record_version" value="')[1].split('"')[0]
    response = client.post(url, {"record_version": version, "new_status": "closed"})
    assert response.status_code == 400
    assert Incident.objects.get(pk=i.pk).status == IncidentStatus.OPEN

    for step in ("under_review", "learning_agreed", "closed"):
        version = client.get(url).content.decode().split('name="record_version" value="')[1].split('"')[0]
        response = client.post(url, {"record_version": version, "new_status": step, "learning": "Same-day referral."})
        assert response.status_code == 302, step
    closed = client.get(url)
    assert closed.status_code == 200
    assert "This incident is closed: its status no longer changes." in closed.content.decode()


def test_the_list_filters_by_type_harm_status_partner_and_dates(client, users, omhp):
    incident(omhp, summary="Safeguarding in February.")
    incident(
        omhp,
        kind="serious_complaint",
        severity="no_harm",
        reported_by="Response",
        summary="A complaint in May.",
        occurred_on=datetime.date(2019, 5, 2),
    )
    client.force_login(users[Role.AUDITOR])
    url = reverse("incidents:list")

    def shown(**query):
        body = client.get(url, query).content.decode()
        return [s for s in ("Safeguarding in February.", "A complaint in May.") if s in body]

    assert shown() == ["Safeguarding in February.", "A complaint in May."]
    assert shown(kind="serious_complaint") == ["A complaint in May."]
    assert shown(severity="low") == ["Safeguarding in February."]
    assert shown(reported_by="respon") == ["A complaint in May."]
    assert shown(date_from="01/03/2019", date_to="31/12/2019") == ["A complaint in May."]
    assert shown(partnership="P-0002", status="open") == ["Safeguarding in February.", "A complaint in May."]
    refused = client.get(url, {"date_from": "01/06/2019", "date_to": "01/01/2019"})
    assert refused.status_code == 400
    assert "The end of the period must be the same as or after its start." in refused.content.decode()


def test_the_learning_digest_lists_the_learning_agreed_in_the_period(client, users, omhp):
    agreed(omhp, "One safeguarding referral template.", datetime.date(2019, 3, 20), shared_with=["Response"])
    agreed(omhp, "Families told the move date.", datetime.date(2019, 6, 18))
    incident(omhp, summary="Still open, nothing learned yet.")
    client.force_login(users[Role.BOARD_MEMBER])
    url = reverse("incidents:learning")
    body = client.get(url, {"date_from": "01/03/2019", "date_to": "31/03/2019"}).content.decode()
    assert "One safeguarding referral template." in body
    assert "Families told the move date." not in body and "Still open" not in body
    export = client.get(url, {"date_from": "01/03/2019", "date_to": "31/03/2019", "export": "csv"})
    text = (
        b"".join(export.streaming_content).decode("utf-8-sig")
        if export.streaming
        else export.content.decode("utf-8-sig")
    )
    assert "One safeguarding referral template." in text and "Response" in text
    assert "Families told the move date." not in text
    assert export["Content-Disposition"].startswith('attachment; filename="learning-digest')


def test_an_nhs_number_is_refused_in_every_free_text_field_and_never_echoed(client, users, omhp):
    client.force_login(users[Role.COORDINATOR])
    for field in ("summary", "immediate_action", "trust_reference", "learning"):
        data = {
            "kind": "incident",
            "occurred_on": "02/05/2019",
            "reported_by": organisation("Response").pk,
            "severity": "no_harm",
            "summary": "A fall.",
            field: f"About {NHS_NUMBER}",
        }
        response = client.post(reverse("incidents:add", args=[omhp.pk]), data)
        body = response.content.decode()
        assert response.status_code == 400, field
        assert "This looks like it contains an NHS number" in body and NHS_NUMBER not in body
    assert not Incident.objects.exists()
