# ruff: noqa: S311 - pseudo-random numbers make synthetic data here, not secrets
"""Synthetic self-assessments for the benchmark (``manage.py seed_bench --self-assessments N``).

A questionnaire of N questions (50 by default; 0 for none) in five sections, issued twice to
every organisation of the bench's register (5,000 for 50,000 partnerships): last year's round
accepted with a finding on every answer, this year's submitted and awaiting review, so the review
page shows every answer beside last round's. Written with ``bulk_create`` once the organisations
exist (the first chunk of partnerships) and audited with :func:`core.audit.record_bulk`.
"""

import argparse
import datetime
import random
from decimal import Decimal

from core.audit import record_bulk
from organisations.models import Organisation
from self_assessments.models import (
    Answer,
    Assessment,
    Issue,
    Question,
    Section,
    Status,
    Template,
    TemplateVersion,
)

NAME = "Bench governance self-assessment"
SECTIONS = ("Governance documents", "Policies", "Insurance", "Information governance", "Finance")
FINDINGS = ("met", "met", "met", "partly_met", "not_met", "not_applicable")


def _count(text):
    if not text.isdigit():
        raise argparse.ArgumentTypeError("give a whole number of questions, 0 or more")
    return int(text)


BENCH_ARGUMENTS = (
    (
        ("--self-assessments",),
        {
            "type": _count,
            "default": 50,
            "metavar": "QUESTIONS",
            "help": "Questions of the self-assessment issued twice to every organisation (default 50; 0 for none).",
        },
    ),
)


class SelfAssessmentsBench:
    def __init__(self, questions, seed, today):
        self.questions = questions
        self.rng = random.Random(seed + 41)
        self.today = today
        self.done = False

    def partnerships(self, created):
        """Once per seed, on the first chunk; not again when a later seed (``--force``) adds
        partnerships to a register that has the questionnaire already (its organisations do too)."""
        if self.done or Template.objects.filter(name=NAME).exists():
            return
        self.done = True
        template = Template.objects.create(name=NAME)
        version = TemplateVersion.objects.create(
            template=template, number=1, published_on=self.today.replace(year=self.today.year - 2)
        )
        sections = [Section.objects.create(version=version, title=t, position=i) for i, t in enumerate(SECTIONS)]
        questions = [
            Question(
                section=sections[n % len(sections)],
                position=n,
                text=f"Question {n + 1}: does your organisation have policy {n + 1} in place and reviewed?",
                answer_type="yes_no_partly",
                weight=Decimal(1 + n % 3),
                evidence_required=n % 5 == 0,
            )
            for n in range(self.questions)
        ]
        Question.objects.bulk_create(questions)
        orgs = list(Organisation.objects.filter(is_home_trust=False).values_list("pk", flat=True))
        last = Issue.objects.create(
            version=version,
            due_date=self.today - datetime.timedelta(days=300),
            issued_on=self.today - datetime.timedelta(days=365),
        )
        this = Issue.objects.create(
            version=version,
            due_date=self.today - datetime.timedelta(days=5),
            issued_on=self.today - datetime.timedelta(days=60),
        )
        rng = self.rng
        for issue, status in ((last, Status.ACCEPTED), (this, Status.SUBMITTED)):
            for start in range(0, len(orgs), 500):
                batch = [
                    Assessment(
                        issue=issue,
                        organisation_id=o,
                        status=status,
                        submitted_on=issue.due_date,
                        accepted_on=issue.due_date + datetime.timedelta(days=20) if status == Status.ACCEPTED else None,
                        score=Decimal(rng.randrange(400, 1000)) / 10 if status == Status.ACCEPTED else None,
                    )
                    for o in orgs[start : start + 500]
                ]
                Assessment.objects.bulk_create(batch)
                record_bulk(batch)
                answers = [
                    Answer(
                        assessment=a,
                        question=q,
                        value=rng.choice(("yes", "yes", "partly", "no")),
                        finding=rng.choice(FINDINGS) if status == Status.ACCEPTED else "",
                    )
                    for a in batch
                    for q in questions
                ]
                Answer.objects.bulk_create(answers, batch_size=2000)
                record_bulk(answers)

    def summary(self):
        return f"{Assessment.objects.count():,} self-assessments ({Answer.objects.count():,} answers)"


def bench_step(options, context):
    """The self-assessments of ``seed_bench`` (``core.registry.bench_step``), or ``None``."""
    questions = options.get("self_assessments", 50)
    if not questions:
        return None
    return SelfAssessmentsBench(questions, seed=context.seed, today=context.today)
