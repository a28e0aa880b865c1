"""A partner contributor's work: their organisation's self-assessments and actions, nothing else."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from self_assessments.models import AssessmentAction, Issue
from tests.spreadsheets import read_records
from tests.text import readable_text

pytestmark = pytest.mark.django_db

WORK = reverse("reporting:work")


def test_a_partner_contributor_sees_only_their_organisations_items(world):
    long_ago = datetime.date(2024, 1, 31)
    AssessmentAction.objects.filter(pk=world.sa_action.pk).update(due_date=long_ago)
    Issue.objects.filter(pk=world.assessment.issue_id).update(due_date=long_ago)  # the other organisation's too
    client = Client()
    client.force_login(world.user("contributor"))
    page = client.get(WORK).content.decode()
    text = readable_text(page)
    assert world.other_org.name not in text
    for kind in ("reviews_overdue", "milestones_overdue", "declarations_due", "meetings_due", "incidents_open"):
        assert f"kinds={kind}" not in page
    records = read_records(client.get(WORK, {"export": "csv"}))
    assert sorted(r["Kind"] for r in records) == ["Self-assessment actions overdue", "Self-assessments overdue"]
    assert {r["Partnership or body"] for r in records} == {world.partner_org.name}


def test_partner_contributors_are_refused_the_dashboard(world):
    client = Client()
    client.force_login(world.user("contributor"))
    assert client.get(reverse("reporting:dashboard")).status_code in (403, 404)
    assert client.get(reverse("reporting:dashboard"), {"chart": "network", "export": "csv"}).status_code in (403, 404)
