"""TalkingSpace Plus's contract-monitoring indicators, from the seed paper "Trust partnerships
update report" (``../shared/seeds/``): 15,000 referrals a year to the psychological therapies
service, 19,823 referrals to its wellbeing services in the year, and recovery rates above the
national target of 50%.

The register's TalkingSpace Plus partnership (P-0004, ``partnerships.demo``) has no agreement in
the demo data, so this step adds its contract with the CCG through ``agreements.services``
(drafted, approved, signed by both parties and in force from 1 April 2019, the partnership's start
on the register). The signatories, the signature dates and the monthly figures are demo values,
not taken from the paper: the figures are made to sit around the paper's (about 1,250 referrals
and 1,650 wellbeing referrals a month, recovery around 52%), with a few months short of target so
that the RAG ratings show all three colours. Values are recorded for each of the 24 months before
the current one, through ``monitoring.services``.

A second run adds only what is missing: the contract and its indicators are keyed on their titles,
a value on its month.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from agreements import services as agreements
from agreements.models import Agreement, AgreementKind, AgreementParty, Commencement, Indicator, LegallyBinding
from core.audit import audit_context
from core.dates import local_today
from core.demo import Seeded, counted
from monitoring import periods, services
from monitoring.models import IndicatorValue
from organisations.models import Organisation
from partnerships import demo as register
from partnerships.models import Partnership

TALKINGSPACE = "P-0004"
CONTRACT_TITLE = "TalkingSpace Plus: psychological therapies and wellbeing services contract"
CONTRACT_PURPOSE = (
    "NICE-approved psychological therapies and wellbeing services for adults in Oxfordshire, delivered by "
    "Oxford Health with Oxfordshire Mind and PML, commissioned by the CCG."
)
STARTS = datetime.date(2019, 4, 1)
SIGNED = datetime.date(2019, 3, 29)  # demo value
SIGNATORIES = {
    register.HOME_TRUST: ("Nick Broughton", "Chief Executive"),  # demo value
    register.CCG: ("Demo Signatory", "Accountable Officer"),  # demo value: the paper names nobody
}
MONTHS = 24


def _wave(i, size):
    """A repeatable ups and downs for the ``i``-th month: no randomness, the same every run."""
    return Decimal((i * 7) % 11 - 5) * size


# (measure as the agreement words it, frequency, target as worded, measure's fields, value of month i)
INDICATORS = (
    (
        "Referrals to the psychological therapies service",
        "Monthly",
        "15,000 referrals a year",
        {"unit": "number", "direction": "higher", "target": Decimal(1250), "shared_with_partners": True},
        lambda i: Decimal(1262) + _wave(i, 12) - (Decimal(140) if i in (5, 17) else 0),
    ),
    (
        "Referrals to the wellbeing services",
        "Monthly",
        "19,823 referrals in 2018/19, sustained",
        {"unit": "number", "direction": "higher", "target": Decimal(1650), "shared_with_partners": True},
        lambda i: Decimal(1668) + _wave(i, 15) - (Decimal(260) if i == 11 else 0),
    ),
    (
        "Recovery rate of people completing treatment",
        "Monthly",
        "Above the national target of 50%",
        {
            "unit": "percentage",
            "direction": "higher",
            "target": Decimal(50),
            "national_target": Decimal(50),
            "shared_with_partners": False,
        },
        lambda i: Decimal("52.4") + _wave(i, Decimal("0.6")) - (Decimal(8) if i == 3 else 0),
    ),
)


def seed(today=None):
    """Add what is missing (audited as source "seed"); return (agreements, measures, values) added."""
    partnership = Partnership.objects.filter(reference=TALKINGSPACE).first()
    if partnership is None:
        return 0, 0, 0
    today = today or local_today()
    with audit_context(source="seed"), transaction.atomic():
        contract, added = _contract(partnership)
        measures = values = 0
        for measure_text, frequency, target, fields, figure in INDICATORS:
            indicator = contract.indicators.filter(measure=measure_text).first()
            if indicator is None:
                indicator = Indicator(agreement=contract, measure=measure_text, frequency=frequency, target=target)
                indicator.full_clean()
                indicator.save()
            measure = getattr(indicator, "monitoring_measure", None)
            if measure is None:
                measure = services.define_measure(indicator, frequency="monthly", **fields)
                measures += 1
            values += _values(measure, figure, today)
    return added, measures, values


def _contract(partnership):
    contract = partnership.agreements.filter(title=CONTRACT_TITLE).first()
    if contract is not None:
        return contract, 0
    contract = Agreement(
        partnership=partnership,
        kind=AgreementKind.CONTRACT,
        title=CONTRACT_TITLE,
        purpose=CONTRACT_PURPOSE,
        legally_binding=LegallyBinding.YES,
        commencement=Commencement.STATED_DATE,
        stated_commencement_date=STARTS,
    )
    contract.full_clean()
    contract.save()
    parties = [
        AgreementParty.objects.create(agreement=contract, organisation=_organisation(name)) for name in SIGNATORIES
    ]
    agreements.send_for_comment(contract)
    agreements.approve(contract)
    for party in parties:
        agreements.record_signature(party, *SIGNATORIES[party.organisation.name], SIGNED)
    agreements.bring_into_force(contract)
    return contract, 1


def _organisation(name):
    return Organisation.objects.filter(name=name).first() or register._seed_organisation(
        next(org for org in register.ORGANISATIONS if org.name == name)
    )


def _values(measure, figure, today):
    """The value of each of the ``MONTHS`` months before the current one that has none yet."""
    first = periods.add_months(today.replace(day=1), -MONTHS)
    recorded = set(IndicatorValue.objects.filter(measure=measure).values_list("period_start", flat=True))
    added = 0
    for i in range(MONTHS):
        start = periods.add_months(first, i)
        if start not in recorded:
            services.record_value(measure, start, figure(i).quantize(Decimal("0.1")), today=today)
            added += 1
    return added


def demo_step():
    """``seed_demo``'s contract-monitoring step."""
    agreements_added, measures, values = seed()
    return Seeded(
        added=counted(agreements_added, "agreement")
        | counted(measures, "indicator measure")
        | counted(values, "indicator value")
    )
