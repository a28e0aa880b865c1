"""``manage.py seed_demo``: the OMHP incidents through the services, audited, and idempotent; and
``seed_bench``'s incidents, valid and spread over the register."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.dates import local_today
from core.models import AuditEntry
from incidents.models import Incident, IncidentStatus
from incidents.selectors import open_too_long_rows
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_the_demo_omhp_incidents_with_learning_and_one_still_open():
    call_command("seed_demo", stdout=StringIO())
    omhp = Partnership.objects.get(title="Oxfordshire Mental Health Partnership")
    incidents = {i.kind: i for i in Incident.objects.filter(partnership=omhp)}
    assert set(incidents) == {"safeguarding", "serious_complaint", "incident"}
    concern = incidents["safeguarding"]
    assert (concern.reported_by.name, concern.status) == ("Oxfordshire Mind", IncidentStatus.CLOSED)
    assert incidents["serious_complaint"].status == IncidentStatus.LEARNING_AGREED
    assert all(incidents[k].learning for k in ("safeguarding", "serious_complaint"))
    assert incidents["incident"].status == IncidentStatus.UNDER_REVIEW
    assert list(open_too_long_rows(omhp.lead, local_today())) == [incidents["incident"]]
    assert AuditEntry.objects.filter(object_id=concern.pk, object_type__model="incident", source="seed").count() >= 4

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert Incident.objects.count() == 3


def test_the_benchmark_incidents_are_valid_and_reported_by_partners():
    call_command(
        "seed_bench", "--partnerships", "300", "--governance-bodies", "0", "--interests", "0", stdout=StringIO()
    )
    incidents = Incident.objects.select_related("partnership").prefetch_related("shared_with")
    assert incidents.count() == 120, "40 for every 100 partnerships"
    for i in incidents:
        i.full_clean()
        partners = set(i.partnership.partner_roles.values_list("organisation_id", flat=True))
        assert i.reported_by_id in partners
        assert {o.pk for o in i.shared_with.all()} <= partners
    assert set(incidents.values_list("status", flat=True)) == set(IncidentStatus.values)
