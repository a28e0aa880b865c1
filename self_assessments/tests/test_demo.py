"""The demo's self-assessments: seeded through the services (Mind accepted with a score and an
action, Response returned with a comment, Restore overdue); a second run adds nothing."""

import pytest

from core.models import AuditEntry
from partnerships import demo as register_demo
from self_assessments import demo, selectors
from self_assessments.models import Assessment, AssessmentAction, Status

pytestmark = pytest.mark.django_db


def test_mind_accepted_response_returned_restore_overdue():
    register_demo.seed()
    assert demo.demo_step().added == {("self-assessment", "self-assessments"): 4}
    mind = Assessment.objects.get(organisation__name="Oxfordshire Mind", status=Status.ACCEPTED)
    assert 80 < mind.score < 100
    (action,) = AssessmentAction.objects.filter(assessment=mind)
    assert "business continuity" in action.description
    returned = Assessment.objects.get(organisation__name="Response")
    assert returned.status == Status.RETURNED and "employer's liability" in returned.return_comment
    _, overdue = selectors.due_and_overdue()
    assert [a.organisation.name for a in overdue] == ["Restore"]
    assert Assessment.objects.get(organisation__name="Restore").status == Status.IN_PROGRESS
    assert Assessment.objects.filter(organisation__name="Oxfordshire Mind", status=Status.ISSUED).exists()
    assert AuditEntry.objects.filter(source="seed", object_label__startswith="Oxfordshire Mind:").exists()
    assert demo.demo_step().added == {("self-assessment", "self-assessments"): 0}
