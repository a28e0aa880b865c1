"""The rules of an incident through ``incidents.services``: partners only, the status moving one
step at a time with clear refusals, the learning before it is agreed, and what the queries find."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.audit import audit_context
from core.models import AuditEntry
from incidents import services
from incidents.models import Incident, IncidentStatus
from incidents.tests.builders import incident, organisation, partnership
from tests.attention import items_of

pytestmark = pytest.mark.django_db

PARTNERS = ("Oxfordshire Mind", "Response", "Restore")


@pytest.fixture
def omhp():
    return partnership(partners=PARTNERS)


def test_an_incident_is_reported_by_and_shared_with_partners_only(omhp):
    organisation("Southern Health NHS Foundation Trust", kind="foundation_trust")
    with pytest.raises(ValidationError) as refused:
        incident(omhp, reported_by="Southern Health NHS Foundation Trust")
    assert refused.value.message_dict["reported_by"] == [
        "Choose an organisation that is a partner of this partnership."
    ]
    with pytest.raises(ValidationError) as refused:
        incident(omhp, shared_with=["Response", "Southern Health NHS Foundation Trust"])
    assert refused.value.message_dict["shared_with"][0].startswith(
        "Southern Health NHS Foundation Trust is not a partner of this partnership"
    )
    assert not Incident.objects.exists()

    shared = incident(omhp, shared_with=["Response", "Restore"])
    assert sorted(o.name for o in shared.shared_with.all()) == ["Response", "Restore"]


def test_the_status_moves_one_step_at_a_time_and_the_learning_comes_first(omhp):
    i = incident(omhp)
    with pytest.raises(ValidationError) as refused:
        services.move_incident(i, IncidentStatus.CLOSED)
    assert refused.value.messages == [
        "An incident that is open moves next to “under review”, not to “closed”: the status moves one step at a time."
    ]
    services.move_incident(i, IncidentStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError) as refused:
        services.move_incident(i, IncidentStatus.LEARNING_AGREED, learning="   ")
    assert refused.value.message_dict == {"learning": ["Record the learning before it is agreed."]}
    stored = Incident.objects.get(pk=i.pk)
    assert (stored.status, stored.learning_agreed_on) == (IncidentStatus.UNDER_REVIEW, None)

    services.move_incident(
        stored, IncidentStatus.LEARNING_AGREED, learning="One referral template.", on=datetime.date(2019, 3, 20)
    )
    services.move_incident(stored, IncidentStatus.CLOSED)
    stored = Incident.objects.get(pk=i.pk)
    assert (stored.status, stored.learning_agreed_on) == (IncidentStatus.CLOSED, datetime.date(2019, 3, 20))
    with pytest.raises(ValidationError) as refused:
        services.move_incident(stored, IncidentStatus.OPEN)
    assert refused.value.messages == ["This incident is closed: its status no longer changes."]


def test_every_move_is_audited_with_the_partnership(omhp):
    with audit_context(source="test"):
        i = incident(omhp, shared_with=["Response"])
        services.move_incident(i, IncidentStatus.UNDER_REVIEW)
    entries = AuditEntry.objects.for_object(omhp)
    assert any("status" in e.changed_fields for e in entries)


def test_shared_with_finds_what_an_organisation_was_given(omhp):
    mine = incident(omhp, shared_with=["Response"])
    incident(omhp, shared_with=["Restore"])
    incident(omhp)
    assert list(Incident.objects.shared_with(organisation("Response"))) == [mine]


def test_the_learning_agreed_in_a_period(omhp):
    def agreed(on):
        i = incident(omhp)
        services.move_incident(i, IncidentStatus.UNDER_REVIEW)
        return services.move_incident(i, IncidentStatus.LEARNING_AGREED, learning="Learned.", on=on)

    march, june = agreed(datetime.date(2019, 3, 20)), agreed(datetime.date(2019, 6, 18))
    incident(omhp)
    period = Incident.objects.learning_agreed_between(datetime.date(2019, 3, 1), datetime.date(2019, 3, 31))
    assert list(period) == [march]
    assert set(Incident.objects.learning_agreed_between()) == {march, june}


def test_an_incident_open_more_than_28_days_needs_its_lead(omhp, make_user):
    lead, other = make_user(), make_user()
    omhp.lead = lead
    omhp.save()
    today = datetime.date(2026, 12, 7)
    old = incident(omhp, summary="Old and still open.")
    Incident.objects.filter(pk=old.pk).update(recorded_on=today - datetime.timedelta(days=29))
    recent = incident(omhp)
    Incident.objects.filter(pk=recent.pk).update(recorded_on=today - datetime.timedelta(days=28))
    agreed = incident(omhp)
    Incident.objects.filter(pk=agreed.pk).update(
        recorded_on=today - datetime.timedelta(days=60),
        status="learning_agreed",
        learning="x",
        learning_agreed_on=today,
    )
    items = items_of("incidents_open", lead, today)
    assert [(i.incident, i.due, i.reference) for i in items] == [(old, today - datetime.timedelta(days=1), "P-0002")]
    assert "still open" in items[0].message
    assert items_of("incidents_open", other, today) == []
