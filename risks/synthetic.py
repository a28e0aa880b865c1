# ruff: noqa: S311 - pseudo-random numbers make synthetic data here, not secrets
"""Synthetic risk profiles for the benchmark register (``manage.py seed_bench --risks N``).

About N risks per partnership on average (six by default: 300,000 for 50,000 partnerships),
shaped like a real register's: positions skewed low (most risks Low or Moderate), controls that
lower the current score and a target lower still, a few per cent escalated (each with a BAF risk
theme), about one in ten open risks past its review date, a few closed ones, further actions on
some, and "no significant risk" recorded in some of the domains a partnership has no risk in.
Titles are drawn from what the seed papers say partnerships risk (the BOB provider
collaborative's limited resources, governance not yet embedded, many partners...).

Everything is written with ``bulk_create`` and audited with :func:`core.audit.record_bulk`, like
the rest of the synthetic register. The positions respect the rules (target not above current; a
reason whenever current is above inherent), which the database also checks.
"""

import argparse
import datetime
import random

from core.audit import record_bulk
from risks.models import NoSignificantRisk, Risk, RiskAction, RiskDomain, RiskStatus, Treatment
from risks.scoring import Scoring

DOMAIN_WEIGHTS = [
    (RiskDomain.PATIENT_SAFETY, 20),
    (RiskDomain.STAFF_WELLBEING, 15),
    (RiskDomain.INFORMATION_GOVERNANCE, 20),
    (RiskDomain.FINANCES, 20),
    (RiskDomain.SYSTEMS, 10),
    (RiskDomain.REPUTATION, 15),
]
LIKELIHOOD_WEIGHTS = [10, 30, 35, 18, 7]  # 1 Rare … 5 Almost certain
CONSEQUENCE_WEIGHTS = [8, 27, 35, 22, 8]  # 1 Negligible … 5 Catastrophic
TREATMENTS = [(Treatment.TREAT, 60), (Treatment.TOLERATE, 30), (Treatment.TRANSFER, 6), (Treatment.TERMINATE, 4)]

TITLES = {
    RiskDomain.PATIENT_SAFETY: (
        "Unclear clinical accountability across partners",
        "Delays in handover between partner services",
        "Inconsistent safeguarding processes between partners",
        "Gaps in clinical governance of the pathway",
        "Patients lost to follow-up between services",
    ),
    RiskDomain.STAFF_WELLBEING: (
        "Limited resources to support the collaborative",
        "Staff working across organisations without clear line management",
        "Vacancies in the partner workforce",
        "Increased workload from joint reporting",
        "Lone working in community settings",
    ),
    RiskDomain.INFORMATION_GOVERNANCE: (
        "Personal data shared without an information sharing agreement",
        "Partner's data security standards not assured",
        "Access to records not removed when staff leave",
        "No data protection impact assessment for new data flows",
        "New information flows not yet agreed",
    ),
    RiskDomain.FINANCES: (
        "Overspend on the pooled budget",
        "Funding not confirmed beyond this financial year",
        "Activity above the contracted level",
        "Income lost if the partner withdraws",
        "Cost pressures from the lead-provider arrangement",
    ),
    RiskDomain.SYSTEMS: (
        "Partner systems do not exchange data",
        "Reliance on a partner's IT supplier",
        "Reporting depends on manual spreadsheets",
        "Business continuity plans not aligned",
    ),
    RiskDomain.REPUTATION: (
        "Governance not yet embedded and effective",
        "Complexity of formalising arrangements with many partners",
        "Adverse publicity if the service fails",
        "Partner's regulatory rating affects the trust",
        "Stakeholders not engaged in changes to the service",
    ),
}
CAUSES = (
    "no new resources have been identified",
    "the governance arrangements are new",
    "many partners are involved",
    "responsibilities are not yet written down",
    "the partner's processes differ from the trust's",
    "funding is agreed a year at a time",
)
EFFECTS = (
    "which would delay the benefits for patients",
    "which could harm patients",
    "which would fall on the trust's budget",
    "which would damage the trust's reputation",
    "which could breach data protection law",
)
CONTROLS = (
    "Dedicated roles in each trust; monthly partnership board.",
    "Information sharing agreement and DPIA in place.",
    "Quarterly performance review with the partner.",
    "Joint clinical governance meeting.",
    "Contract schedule with key performance indicators.",
    "",
)
ACTIONS = (
    "Agree the terms of reference of the partnership board.",
    "Complete a data protection impact assessment.",
    "Recruit to the vacant coordinator post.",
    "Agree the risk share with commissioners.",
    "Align business continuity plans with the partner.",
    "Set up joint clinical governance arrangements.",
)


def pick(rng, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


class RiskGenerator:
    """Draws the risks of chunks of partnerships; seeded apart from the register's own generator,
    so adding risks does not change the partnerships drawn."""

    def __init__(self, per_partnership=6, seed=2019, today=None, people=()):
        self.rng = random.Random(seed * 31 + 7)
        self.per_partnership = per_partnership
        self.today = today or datetime.date.today()
        self.people = list(people) or ["Amelie Bages"]
        self.scoring = Scoring.current()

    def count(self):
        n = self.per_partnership
        return max(0, min(2 * n + 2, round(self.rng.gauss(n, n / 2))))

    def position(self):
        rng = self.rng
        inherent = (rng.choices(range(1, 6), LIKELIHOOD_WEIGHTS)[0], rng.choices(range(1, 6), CONSEQUENCE_WEIGHTS)[0])
        if rng.random() < 0.03:  # worse than first thought: needs a reason
            current = (min(5, inherent[0] + 1), inherent[1])
        else:
            current = (
                max(1, inherent[0] - rng.choice((0, 0, 1, 1, 2))),
                max(1, inherent[1] - rng.choice((0, 0, 1, 1))),
            )
        target = (max(1, current[0] - rng.choice((0, 1, 1, 2))), max(1, current[1] - rng.choice((0, 0, 1))))
        return inherent, current, target

    def risks_for(self, partnership, themes):
        rng, today = self.rng, self.today
        made = []
        for _ in range(self.count()):
            domain = pick(rng, DOMAIN_WEIGHTS)
            inherent, current, target = self.position()
            score = current[0] * current[1]
            closed = rng.random() < 0.08
            roll = rng.random()
            if roll < 0.10 and not closed:
                review = today - datetime.timedelta(days=rng.randrange(1, 365))
            else:
                review = today + datetime.timedelta(days=rng.randrange(1, 365))
            title = rng.choice(TITLES[domain])
            made.append(
                Risk(
                    partnership=partnership,
                    domain=domain,
                    title=title,
                    description=f"Because {rng.choice(CAUSES)}, there is a risk of “{title.lower()}”, "
                    f"{rng.choice(EFFECTS)}.",
                    owner=rng.choice(self.people),
                    existing_controls=rng.choice(CONTROLS),
                    inherent_likelihood=inherent[0],
                    inherent_consequence=inherent[1],
                    current_likelihood=current[0],
                    current_consequence=current[1],
                    current_above_inherent_reason="The partner's capacity has fallen since the first assessment."
                    if score > inherent[0] * inherent[1]
                    else "",
                    target_likelihood=target[0],
                    target_consequence=target[1],
                    treatment=pick(rng, TREATMENTS),
                    review_date=review,
                    baf_theme=rng.choice(themes) if self.scoring.is_escalated(score) and themes else None,
                    status=RiskStatus.CLOSED if closed else RiskStatus.OPEN,
                    closed_on=today - datetime.timedelta(days=rng.randrange(1, 700)) if closed else None,
                    closing_note="The arrangement changed and the risk no longer applies." if closed else "",
                )
            )
        return made

    def chunk(self, partnerships, themes, assessors):
        """Risks, further actions and "no significant risk" records for ``partnerships``, written
        and audited in bulk. Returns how many risks were made."""
        rng = self.rng
        risks, records = [], []
        for p in partnerships:
            own = self.risks_for(p, themes)
            risks += own
            covered = {r.domain for r in own if r.status == RiskStatus.OPEN}
            for domain in RiskDomain.values:
                if domain not in covered and rng.random() < (0.45 if own else 0.1):
                    records.append(
                        NoSignificantRisk(
                            partnership=p,
                            domain=domain,
                            assessed_on=self.today - datetime.timedelta(days=rng.randrange(0, 400)),
                            assessed_by=p.lead or (rng.choice(assessors) if assessors else None),
                        )
                    )
        Risk.objects.bulk_create(risks, batch_size=500)
        record_bulk(risks)
        actions = [
            RiskAction(
                risk=r,
                description=rng.choice(ACTIONS),
                owner=r.owner,
                due_date=self.today + datetime.timedelta(days=rng.randrange(-60, 240)),
                status=rng.choice(("not_started", "in_progress", "in_progress", "complete")),
            )
            for r in risks
            if r.status == RiskStatus.OPEN and rng.random() < 0.2
        ]
        RiskAction.objects.bulk_create(actions, batch_size=500)
        record_bulk(actions)
        NoSignificantRisk.objects.bulk_create(records, batch_size=500)
        record_bulk(records)
        return len(risks)


def _risks_per_partnership(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError("give a number of risks per partnership of 0 or more")
    return value


BENCH_ARGUMENTS = (
    (
        ("--risks",),
        {
            "type": _risks_per_partnership,
            "default": 6,
            "help": "About this many risks per partnership, with actions and domain assessments "
            "(default 6; 0 for none).",
        },
    ),
)


class RiskBench:
    """``seed_bench``'s risk profiles step: risks for every chunk of synthetic partnerships."""

    def __init__(self, generator, context):
        self.generator = generator
        self.context = context

    def partnerships(self, created):
        self.generator.chunk(created, list(self.context.themes.values()), self.context.people["lead"])

    def summary(self):
        return f"{Risk.objects.count():,} risks"


def bench_step(options, context):
    """The risk profiles of ``seed_bench`` (``core.registry.bench_step``), or ``None`` for ``--risks 0``."""
    per_partnership = options.get("risks", 6)
    if not per_partnership:
        return None
    people = context.people
    owners = [f"{u.first_name} {u.last_name}" for u in (people["lead"][:300] + people["executive"])]
    generator = RiskGenerator(per_partnership, seed=context.seed, today=context.today, people=owners)
    return RiskBench(generator, context)
