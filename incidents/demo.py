"""The demo incidents of the Oxfordshire Mental Health Partnership, through ``incidents.services``.

The seed "Trust partnerships update report" says OMHP's senior managers set up, over late 2018, a
process "to report safeguarding, incidents and serious complaints into the partnership so learning
could be disseminated", with regular reports to the Partnership Management Group. Here: a
safeguarding concern reported by Oxfordshire Mind (learning agreed, then closed), a serious
complaint reported by Response (learning agreed) and an incident still under review, recorded
six weeks ago (so it shows in its lead's "needs attention"). The incidents themselves, their
dates and references are demo values; none names a person.

:func:`seed` adds them only when OMHP has no incident yet, so a second run writes nothing.
"""

import datetime

from django.db import transaction

from core.audit import audit_context
from core.dates import local_today
from core.demo import Seeded, counted
from incidents import services
from incidents.models import Incident, IncidentStatus, IncidentType, Severity
from organisations.models import Organisation
from partnerships.models import Partnership

OMHP = "Oxfordshire Mental Health Partnership"


def _partner(name):
    return Organisation.objects.get(name=name)


def _record(partnership, reported_by, shared_with, recorded_on=None, **fields):
    incident = Incident(partnership=partnership, reported_by=_partner(reported_by), **fields)
    if recorded_on:
        incident.recorded_on = recorded_on
    return services.save_incident(incident, [_partner(name) for name in shared_with])


def _agree(incident, learning, on, close=False):
    services.move_incident(incident, IncidentStatus.UNDER_REVIEW)
    services.move_incident(incident, IncidentStatus.LEARNING_AGREED, learning=learning, on=on)
    if close:
        services.move_incident(incident, IncidentStatus.CLOSED)


def seed():
    """The three OMHP incidents; how many were added."""
    partnership = Partnership.objects.filter(title=OMHP).first()
    if partnership is None or Incident.objects.filter(partnership=partnership).exists():
        return 0
    today = local_today()
    with audit_context(source="seed"), transaction.atomic():
        concern = _record(
            partnership,
            "Oxfordshire Mind",
            ["Response", "Restore", "Connection Support"],
            recorded_on=datetime.date(2019, 2, 12),
            kind=IncidentType.SAFEGUARDING,
            occurred_on=datetime.date(2019, 2, 11),
            severity=Severity.LOW,
            summary="A tenant of supported housing told a Mind recovery worker that a visitor was taking their "
            "money. The worker raised a safeguarding concern with the county council the same day.",
            immediate_action="Safeguarding referral to Oxfordshire County Council; the care coordinator told.",
            trust_reference="W-DEMO-0211",
        )
        _agree(
            concern,
            "Recovery workers in every partner raise financial abuse concerns the same day and copy the care "
            "coordinator. Partners will use one safeguarding referral template from April 2019.",
            on=datetime.date(2019, 3, 20),
            close=True,
        )
        complaint = _record(
            partnership,
            "Response",
            ["Oxfordshire Mind"],
            recorded_on=datetime.date(2019, 5, 7),
            kind=IncidentType.SERIOUS_COMPLAINT,
            occurred_on=datetime.date(2019, 5, 2),
            severity=Severity.NO_HARM,
            summary="A family complained that a discharge from hospital to supported accommodation was arranged "
            "without anyone telling them the move date.",
            immediate_action="Apology and a meeting with the family; the discharge checklist reviewed.",
            trust_reference="C-DEMO-0502",
        )
        _agree(
            complaint,
            "Discharge planning meetings name who tells the family the move date. The checklist is shared "
            "with every OMHP housing provider.",
            on=datetime.date(2019, 6, 18),
        )
        still_open = _record(
            partnership,
            "Restore",
            [],
            recorded_on=today - datetime.timedelta(days=42),
            kind=IncidentType.INCIDENT,
            occurred_on=today - datetime.timedelta(days=44),
            severity=Severity.MODERATE,
            summary="A member of a Restore recovery group fell on the stairs of the community garden building.",
            immediate_action="First aid, an ambulance called; the stairs closed until the handrail is repaired.",
        )
        services.move_incident(still_open, IncidentStatus.UNDER_REVIEW)
    return 3


def demo_step():
    """``seed_demo``'s incidents step."""
    return Seeded(added=counted(seed(), "incident"))
