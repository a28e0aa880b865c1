"""The rules of a risk, whatever path saves it: target not above current, a reason for a current
score above the inherent one, a BAF risk theme once escalated, no NHS numbers, and a closed risk
kept with its history. The database refuses what ``bulk_create`` would otherwise let through."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.audit import audit_context, guard_free_text
from core.dates import local_today
from core.models import AuditEntry
from core.validators import NHS_NUMBER_MESSAGE
from partnerships.models import Partnership
from risks.models import NoSignificantRisk, Risk, RiskAction, RiskStatus
from risks.tests.builders import baf_theme, partnership, risk, set_matrix
from tests.world import NHS_NUMBER

pytestmark = pytest.mark.django_db


def unsaved(reference="P-0200", **positions):
    """A risk on a fresh partnership with the positions given (as (l, c) pairs), not yet saved."""
    p = Partnership.objects.filter(reference=reference).first() or partnership(reference)
    values = {"inherent": (3, 3), "current": (3, 3), "target": (2, 2), **positions}
    r = Risk(
        partnership=p,
        domain="finances",
        title="Financial exposure of the pooled budget",
        description="Because the budget is pooled, there is a risk of overspend, which would fall on the trust.",
        owner="Director of Finance",
        treatment="treat",
        review_date=local_today() + datetime.timedelta(days=60),
    )
    for position, (likelihood, consequence) in values.items():
        setattr(r, f"{position}_likelihood", likelihood)
        setattr(r, f"{position}_consequence", consequence)
    return r


def errors_of(r):
    try:
        r.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


TARGET_CASES = [
    # (current, target, refused?)
    ((3, 3), (3, 3), False),  # equal is fine
    ((3, 3), (2, 4), False),  # 8 under 9
    ((3, 3), (5, 2), True),  # 10 over 9, though the likelihood alone is what moved
    ((2, 2), (1, 5), True),  # 5 over 4
    ((1, 1), (1, 1), False),
]


@pytest.mark.parametrize(("current", "target", "refused"), TARGET_CASES)
def test_the_target_may_not_be_above_the_current_score(current, target, refused):
    errors = errors_of(unsaved(inherent=(5, 5), current=current, target=target))
    if refused:
        (message,) = errors["target_likelihood"]
        assert "cannot be higher than the current score" in message
        assert f"= {target[0] * target[1]})" in message
    else:
        assert "target_likelihood" not in errors


def test_a_current_score_above_the_inherent_one_needs_a_reason():
    r = unsaved(inherent=(2, 2), current=(3, 2), target=(1, 1))
    (message,) = errors_of(r)["current_above_inherent_reason"]
    assert message.startswith("Say why the current score (6) is higher than the inherent score (4)")
    r.current_above_inherent_reason = "The partner's key clinician left and cover is not yet in place."
    assert errors_of(r) == {}


def test_escalation_needs_a_baf_theme_and_follows_the_threshold_in_force():
    r = unsaved(inherent=(4, 4), current=(4, 4), target=(2, 2))
    (message,) = errors_of(r)["baf_theme"]
    assert "at or above the escalation threshold of 15" in message
    r.baf_theme = baf_theme()
    assert errors_of(r) == {}

    below = unsaved(inherent=(4, 3), current=(4, 3), target=(2, 2))
    assert errors_of(below) == {}
    set_matrix(threshold=12)
    assert "baf_theme" in errors_of(below), "a score of 12 is escalated once the threshold is 12"


def test_the_database_refuses_what_the_rules_refuse():
    p = partnership("P-0201")
    base = {
        "partnership": p,
        "domain": "systems",
        "title": "Bulk",
        "description": "Cause, event, effect.",
        "owner": "Owner",
        "treatment": "treat",
        "review_date": local_today(),
        "inherent_likelihood": 3,
        "inherent_consequence": 3,
        "current_likelihood": 3,
        "current_consequence": 3,
        "target_likelihood": 1,
        "target_consequence": 1,
    }
    for bad in (
        {"target_likelihood": 4, "target_consequence": 3},  # 12 over 9
        {"current_likelihood": 4},  # 12 over an inherent 9, without a reason
        {"current_likelihood": 6},  # off the matrix
        {"inherent_consequence": 0},
        {"status": RiskStatus.CLOSED},  # closed without a date
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Risk.objects.bulk_create([Risk(**{**base, **bad})])
    assert not Risk.objects.exists()
    Risk.objects.bulk_create([Risk(**{**base, "current_likelihood": 4, "current_above_inherent_reason": "Why"})])
    assert Risk.objects.count() == 1


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Risk, "title"),
        (Risk, "description"),
        (Risk, "owner"),
        (Risk, "existing_controls"),
        (Risk, "current_above_inherent_reason"),
        (Risk, "closing_note"),
        (RiskAction, "description"),
        (RiskAction, "owner"),
        (NoSignificantRisk, "note"),
    ],
)
def test_no_text_field_of_a_risk_profile_takes_an_nhs_number(model, field):
    p = partnership("P-0202")
    r = risk(p)
    instance = {
        Risk: lambda: r,
        RiskAction: lambda: RiskAction.objects.create(
            risk=r, description="Recruit", owner="Jo", due_date=local_today()
        ),
        NoSignificantRisk: lambda: NoSignificantRisk.objects.create(partnership=p, domain="systems"),
    }[model]()
    setattr(instance, field, f"Patient {NHS_NUMBER}")
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    assert NHS_NUMBER_MESSAGE in refused.value.message_dict[field]
    with pytest.raises(ValidationError):
        guard_free_text(instance)
    with pytest.raises(ValidationError), transaction.atomic():
        instance.save()
    assert not model.objects.filter(**{f"{field}__contains": "943"}).exists()


def test_a_closed_risk_is_kept_with_its_history():
    p = partnership("P-0203")
    with audit_context(source="test"):
        r = risk(p, current=(3, 4), inherent=(4, 4))
        r.current_likelihood = 2
        r.full_clean()
        r.save()
        r.status, r.closed_on, r.closing_note = RiskStatus.CLOSED, local_today(), "Service decommissioned."
        r.full_clean()
        r.save()
    r.refresh_from_db()
    assert r.status == RiskStatus.CLOSED
    entries = AuditEntry.objects.filter(object_type__model="risk", object_id=r.pk).order_by("id")
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert entries[1].before["current_likelihood"] == 3 and entries[1].after["current_likelihood"] == 2
    assert entries[2].after["status"] == "Closed"
    shown = AuditEntry.objects.for_object(p).filter(object_type__model="risk", object_id=r.pk)
    assert shown.count() == 3, "shown in the partnership's history"
