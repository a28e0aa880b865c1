# ruff: noqa: S311 - pseudo-random numbers make synthetic data here, not secrets
"""Synthetic incidents for the benchmark (``manage.py seed_bench --incidents N``).

N incidents for every 100 partnerships (40 by default: 20,000 for 50,000), spread at random over
the partnerships of each chunk, each reported by one of its partnership's partners and shared with
up to two others; a quarter open, a fifth under review, the rest with their learning agreed
(half of those closed since), over the last three years. Written with ``bulk_create`` and audited
with :func:`core.audit.record_bulk`.
"""

import argparse
import datetime
import random

from core.audit import record_bulk
from incidents.models import Incident, IncidentStatus, IncidentType, Severity
from partnerships.models import PartnerRole

SUMMARIES = (
    "A service user was found to have left supported accommodation without telling staff.",
    "Medication was given late on two evenings running.",
    "A carer complained that a referral had not been acknowledged for six weeks.",
    "A safeguarding concern about financial abuse was raised by a recovery worker.",
    "A visitor fell on wet flooring in a day centre.",
)
LEARNING = (
    "Handover sheets now name who follows up each missed contact.",
    "Partners use one referral acknowledgement letter, sent within five working days.",
    "Safeguarding concerns are copied to the care coordinator the same day.",
)
STATUSES = (
    (IncidentStatus.OPEN, 0.25),
    (IncidentStatus.UNDER_REVIEW, 0.2),
    (IncidentStatus.LEARNING_AGREED, 0.275),
    (IncidentStatus.CLOSED, 0.275),
)


def _per_hundred(text):
    if not text.isdigit():
        raise argparse.ArgumentTypeError("give a whole number of incidents for every 100 partnerships, 0 or more")
    return int(text)


BENCH_ARGUMENTS = (
    (
        ("--incidents",),
        {
            "type": _per_hundred,
            "default": 40,
            "metavar": "PER_100",
            "help": "Incidents for every 100 partnerships (default 40: 20,000 for 50,000; 0 for none).",
        },
    ),
)


class IncidentsBench:
    """``seed_bench``'s incidents step."""

    def __init__(self, per_hundred, seed, today):
        self.per_hundred = per_hundred
        self.rng = random.Random(seed + 29)
        self.today = today
        self.owed = 0.0  # the fraction of an incident carried from one chunk to the next

    def partnerships(self, created):
        partners = {}
        for partnership_id, organisation_id in PartnerRole.objects.filter(partnership__in=created).values_list(
            "partnership_id", "organisation_id"
        ):
            partners.setdefault(partnership_id, []).append(organisation_id)
        self.owed += len(created) * self.per_hundred / 100
        count, self.owed = int(self.owed), self.owed - int(self.owed)
        reporting = [p for p in created if partners.get(p.pk)]
        incidents = [self.incident(self.rng.choice(reporting), partners) for _ in range(count if reporting else 0)]
        Incident.objects.bulk_create(incidents, batch_size=2000)
        links = [
            Incident.shared_with.through(incident_id=i.pk, organisation_id=o)
            for i in incidents
            for o in self.rng.sample(partners[i.partnership_id], min(2, len(partners[i.partnership_id])))
        ]
        Incident.shared_with.through.objects.bulk_create(links, batch_size=2000)
        record_bulk(incidents)

    def incident(self, partnership, partners):
        rng = self.rng
        recorded = self.today - datetime.timedelta(days=rng.randrange(0, 1095))
        status = rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]
        agreed = status in (IncidentStatus.LEARNING_AGREED, IncidentStatus.CLOSED)
        return Incident(
            partnership=partnership,
            kind=rng.choice(IncidentType.values),
            occurred_on=recorded - datetime.timedelta(days=rng.randrange(0, 10)),
            reported_by_id=rng.choice(partners[partnership.pk]),
            severity=rng.choices(Severity.values, weights=(40, 35, 18, 6, 1))[0],
            summary=rng.choice(SUMMARIES),
            immediate_action="Reported to the partnership's lead the same day.",
            trust_reference=f"W{rng.randrange(100000, 999999)}",
            status=status,
            learning=rng.choice(LEARNING) if agreed else "",
            learning_agreed_on=min(self.today, recorded + datetime.timedelta(days=rng.randrange(14, 90)))
            if agreed
            else None,
            recorded_on=recorded,
        )

    def summary(self):
        return f"{Incident.objects.count():,} incidents"


def bench_step(options, context):
    """The incidents of ``seed_bench`` (``core.registry.bench_step``), or ``None`` when there are none."""
    per_hundred = options.get("incidents", 40)
    if not per_hundred:
        return None
    return IncidentsBench(per_hundred, seed=context.seed, today=context.today)
