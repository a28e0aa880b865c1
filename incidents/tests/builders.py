"""A partnership with its partners, and incidents recorded through ``incidents.services``."""

import datetime

from incidents import services
from incidents.models import Incident
from organisations.models import Organisation
from partnerships.models import PartnerRole, Partnership


def organisation(name, kind="vcse"):
    return Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def partnership(reference="P-0002", title="Oxfordshire Mental Health Partnership", lead=None, partners=()):
    p = Partnership.objects.create(
        reference=reference, title=title, arrangement_type="lead_provider_subcontract", status="active", lead=lead
    )
    for name in partners:
        PartnerRole.objects.create(partnership=p, organisation=organisation(name), role="provider")
    return p


def incident(p, reported_by="Oxfordshire Mind", shared_with=(), **fields):
    values = {
        "kind": "safeguarding",
        "occurred_on": datetime.date(2019, 2, 11),
        "severity": "low",
        "summary": "A tenant said a visitor was taking their money.",
    } | fields
    return services.save_incident(
        Incident(partnership=p, reported_by=organisation(reported_by), **values),
        [organisation(name) for name in shared_with],
    )
