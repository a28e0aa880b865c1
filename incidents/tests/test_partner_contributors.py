"""A partner contributor and the incidents of their partnership: they read those shared with their
organisation (never the trust's reference, its history or an incident kept within the trust) and
report one, which is their organisation's and shared with the partnership's partners."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import escape

from core.models import AuditEntry
from core.roles import Role
from incidents.models import Incident
from partnerships.models import PartnerRole
from tests.fixtures import sign_in
from tests.rows import CONTRIBUTOR
from tests.world import NHS_NUMBER, make_user

pytestmark = pytest.mark.django_db


def _other_contributor(w):
    """A contributor of P-0002's partner organisation."""
    return make_user("other-contributor", role=Role.PARTNER_CONTRIBUTOR, organisation=w.other_org)


def test_a_contributor_sees_the_incidents_shared_with_their_organisation_and_nothing_internal(client, world):
    sign_in(client, world, CONTRIBUTOR)
    page = client.get(world.partnership.get_absolute_url()).content.decode()
    section = page[page.index('id="incidents"') :]
    assert reverse("incidents:detail", args=[world.incident.pk]) in section
    assert reverse("incidents:detail", args=[world.lesson.pk]) in section
    assert escape(world.internal_incident.summary) not in page
    assert reverse("incidents:detail", args=[world.internal_incident.pk]) not in page
    assert f'href="{reverse("incidents:list")}?' not in page  # no list page for them
    assert reverse("incidents:add", args=[world.partnership.pk]) in section

    detail = client.get(reverse("incidents:detail", args=[world.lesson.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200
    assert escape(world.lesson.summary) in body and escape(world.lesson.learning) in body
    assert world.lesson.trust_reference not in body and "incident reference" not in body
    assert reverse("incidents:history", args=[world.lesson.pk]) not in body
    assert reverse("incidents:edit", args=[world.lesson.pk]) not in body

    for name in ("incidents:history", "incidents:edit", "incidents:move"):
        assert client.get(reverse(name, args=[world.incident.pk])).status_code == 403, name
    for name in ("incidents:list", "incidents:learning"):
        assert client.get(reverse(name)).status_code == 403
        assert client.get(reverse(name), {"export": "csv"}).status_code == 403


@pytest.mark.parametrize("name", ["internal_incident", "other_incident"])
def test_an_incident_not_shared_with_the_contributor_is_not_found(client, world, name):
    sign_in(client, world, CONTRIBUTOR)
    assert client.get(reverse("incidents:detail", args=[getattr(world, name).pk])).status_code == 404


def test_a_contributor_of_another_organisation_finds_none_of_them(client, world):
    client.force_login(_other_contributor(world))
    for incident in (world.incident, world.lesson, world.internal_incident):
        assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 404
    assert client.get(reverse("incidents:add", args=[world.partnership.pk])).status_code == 404
    # Their own partnership's incident, shared with their organisation, is theirs.
    assert client.get(reverse("incidents:detail", args=[world.other_incident.pk])).status_code == 200


def test_a_contributor_reports_an_incident_shared_with_the_partnerships_partners(client, world):
    second = PartnerRole.objects.create(partnership=world.partnership, organisation=world.spare_org).organisation
    sign_in(client, world, CONTRIBUTOR)
    url = reverse("incidents:add", args=[world.partnership.pk])
    form = client.get(url).content.decode()
    assert 'name="summary"' in form
    for trusts in ("trust_reference", "learning", "shared_with", "reported_by"):
        assert f'name="{trusts}"' not in form
    response = client.post(
        url,
        {
            "kind": "safeguarding",
            "occurred_on": "03/02/2026",
            "severity": "no_harm",
            "summary": "A volunteer raised a concern about a carer.",
            "immediate_action": "Referred to the local authority the same day.",
            # What the form does not offer is not taken from the request.
            "trust_reference": "X1",
            "reported_by": str(world.other_org.pk),
            "shared_with": [str(world.other_org.pk)],
        },
    )
    reported = Incident.objects.get(summary="A volunteer raised a concern about a carer.")
    assert response.status_code == 302 and response["Location"] == reported.get_absolute_url()
    assert reported.reported_by == world.partner_org and reported.trust_reference == ""
    assert sorted(o.pk for o in reported.shared_with.all()) == sorted([world.partner_org.pk, second.pk])
    entry = AuditEntry.objects.get(
        object_type=ContentType.objects.get_for_model(Incident), object_id=reported.pk, action="create"
    )
    assert entry.user == world.user(CONTRIBUTOR)
    assert client.get(reported.get_absolute_url()).status_code == 200


def test_a_contributors_bad_report_says_why_and_writes_nothing(client, world):
    sign_in(client, world, CONTRIBUTOR)
    before, audit = Incident.objects.count(), AuditEntry.objects.count()
    url = reverse("incidents:add", args=[world.partnership.pk])
    response = client.post(url, {"occurred_on": "31/02/2026", "summary": f"Patient {NHS_NUMBER} fell."})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose the type" in body and "Choose the harm" in body and "Enter a real date" in body
    assert "NHS number" in body and NHS_NUMBER not in body
    assert (Incident.objects.count(), AuditEntry.objects.count()) == (before, audit)
    # Not a partnership of their organisation's: refused without a word on whether it exists.
    response = client.post(reverse("incidents:add", args=[world.other_partnership.pk]), {"kind": "incident"})
    assert response.status_code == 404 and Incident.objects.count() == before
