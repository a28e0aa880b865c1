# ruff: noqa: S311 - pseudo-random numbers make synthetic data here, not secrets
"""Synthetic governance for the benchmark (``manage.py seed_bench --governance-bodies N --interests M``).

A body for every N partnerships (100 by default: 500 bodies for 50,000), each with terms of
reference, five members (a chair, a vice-chair, two members and one in attendance without a
vote, from different organisations) and 40 meetings a month apart, the last still to come. Each
meeting has its four standing items and five decision items with a decision on each (not yet
open at the meeting to come); each meeting held, its attendance and closed decisions: eligibility
at opening and at close, the four voting members' ballots, the result and, when carried, the
organisations bound. One declaration on an item in ten. The latest meeting held of the first body
has 30 items (the benchmark's meeting page). And M entries in the register of interests per
partnership (1 by default: 50,000), a few nil returns and a few withheld. For 500 bodies: 20,000
meetings, 100,000 decisions, about 390,000 ballots and 975,000 eligibility records.

All of it is written with ``bulk_create``, chunk by chunk of the synthetic partnerships (each
chunk's bodies govern two of its partnerships each). Bodies, terms, members, meetings,
decisions and declarations are audited with :func:`core.audit.record_bulk`; the rows under them
that run to the million (items, attendance, eligibility, ballots, bindings) are not: the audit
trail is not what this benchmark measures, and auditing them would take longer than the seed.
"""

import argparse
import datetime
import random

from django.utils import timezone

from core.audit import record_bulk
from governance import rules
from governance.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Binding,
    Body,
    BodyKind,
    Decision,
    DecisionStatus,
    EligibilityRecord,
    Interest,
    InterestCategory,
    ItemDeclaration,
    Meeting,
    MeetingStatus,
    Membership,
    Stage,
    StandingItem,
    TermsOfReference,
)
from organisations.models import Organisation

MEETINGS_PER_BODY = 40
DECISIONS_PER_MEETING = 5
BIG_MEETING_ITEMS = 30
BODIES_AT_A_TIME = 25  # what one round of bulk writes holds: 1,000 meetings, 5,000 decisions
ROLES = ("chair", "vice_chair", "member", "member", "in_attendance")
TOPICS = (
    "Crisis pathway",
    "Shared care records",
    "Workforce plan",
    "Estates strategy",
    "Waiting list recovery",
    "Pooled budget",
    "Digital inclusion",
    "Discharge to assess",
)


class GovernanceGenerator:
    def __init__(self, partnerships_per_body, interests_per_partnership, seed, today):
        self.partnerships_per_body = partnerships_per_body
        self.interests_per_partnership = interests_per_partnership
        self.rng = random.Random(seed + 13)
        self.today = today
        self.bodies_made = self.interests_made = 0
        self.orgs = None

    def chunk(self, partnerships):
        """A body for every ``partnerships_per_body`` partnerships of the chunk (governing some of
        them), with its meetings and decisions, and the chunk's share of the register."""
        if self.orgs is None:
            self.orgs = list(Organisation.objects.order_by("pk")[:400])
        wanted = len(partnerships) // self.partnerships_per_body if self.partnerships_per_body else 0
        for start in range(0, wanted, BODIES_AT_A_TIME):
            self.bodies(min(BODIES_AT_A_TIME, wanted - start), partnerships)
        self.interests(len(partnerships) * self.interests_per_partnership)

    # -- bodies, terms, members ------------------------------------------------------------------

    def bodies(self, size, partnerships):
        rng, orgs, first = self.rng, self.orgs, self.bodies_made == 0
        kinds = [k for k, _ in BodyKind.choices]
        bodies = [
            Body(name=f"Bench {rng.choice(kinds).replace('_', ' ')} {n:04d}", kind=rng.choice(kinds))
            for n in range(self.bodies_made + 1, self.bodies_made + size + 1)
        ]
        self.bodies_made += size
        Body.objects.bulk_create(bodies)
        record_bulk(bodies)
        links = [
            Body.partnerships.through(body_id=b.pk, partnership_id=p.pk)
            for b in bodies
            for p in rng.sample(partnerships, min(2, len(partnerships)))
        ]
        Body.partnerships.through.objects.bulk_create(links, ignore_conflicts=True)
        terms = [
            TermsOfReference(
                body=b,
                effective_from=datetime.date(2018, 1, 1),
                quorum_members=2,
                method=rng.choice((rules.Method.SIMPLE_MAJORITY, rules.Method.CONSENSUS)),
            )
            for b in bodies
        ]
        TermsOfReference.objects.bulk_create(terms)
        record_bulk(terms)
        members = [
            Membership(
                body=b,
                name=f"Member {b.pk}-{n}",
                organisation=orgs[(b.pk * 7 + n * 13) % len(orgs)],
                role=role,
                voting=role != "in_attendance",
                starts_on=datetime.date(2018, 1, 1),
            )
            for b in bodies
            for n, role in enumerate(ROLES)
        ]
        Membership.objects.bulk_create(members)
        record_bulk(members)
        by_body = {}
        for m in members:
            by_body.setdefault(m.body_id, []).append(m)
        terms = dict(zip((b.pk for b in bodies), terms, strict=True))
        self.meetings(bodies, terms, by_body, partnerships, big_first=first)

    # -- meetings, items, attendance, decisions ------------------------------------------------------

    def meetings(self, bodies, terms, members, partnerships, big_first):
        rng, now = self.rng, timezone.now()
        meetings = []
        for b in bodies:
            first = now - datetime.timedelta(days=30 * (MEETINGS_PER_BODY - 1)) + datetime.timedelta(days=15)
            for n in range(MEETINGS_PER_BODY):
                starts = (first + datetime.timedelta(days=30 * n)).replace(hour=10, minute=0, second=0, microsecond=0)
                held = starts < now
                meetings.append(
                    Meeting(
                        body=b,
                        starts_at=starts,
                        place=rng.choice(("Littlemore", "Warneford", "Civic Office", "Online")),
                        status=MeetingStatus.CLOSED if held else MeetingStatus.SCHEDULED,
                    )
                )
        Meeting.objects.bulk_create(meetings, batch_size=1000)
        record_bulk(meetings)
        held = [m for m in meetings if m.status == MeetingStatus.CLOSED]
        big = max((m for m in held if m.body_id == bodies[0].pk), key=lambda m: m.starts_at) if big_first else None
        items = []
        for m in meetings:
            items += [
                AgendaItem(meeting=m, number=n, title=label, purpose="information", standing=value)
                for n, (value, label) in enumerate(StandingItem.choices, start=1)
            ]
            count = BIG_MEETING_ITEMS - len(StandingItem.choices) if m is big else DECISIONS_PER_MEETING
            items += [
                AgendaItem(
                    meeting=m,
                    number=len(StandingItem.choices) + n,
                    title=f"{rng.choice(TOPICS)} ({n})",
                    purpose="decision",
                    partnership=rng.choice(partnerships),
                )
                for n in range(1, count + 1)
            ]
        AgendaItem.objects.bulk_create(items, batch_size=2000)
        attendance = [Attendance(meeting=m, membership=p) for m in held for p in members[m.body_id]]
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        self.decisions([i for i in items if not i.standing], terms, members)

    def decisions(self, items, terms, members):
        """A closed decision on each decision item of a meeting held; one not yet open on those of
        the meeting to come."""
        rng = self.rng
        decisions = []
        for item in items:
            meeting = item.meeting
            if meeting.status == MeetingStatus.SCHEDULED:
                decisions.append(Decision(body=meeting.body, item=item, title=f"Agree the {item.title.lower()}"))
                continue
            body_terms = terms[meeting.body_id]
            votes = [rng.choices(("for", "against", "abstain"), (8, 1, 1))[0] for _ in range(4)]
            carried = votes.count("for") > votes.count("against")
            decision = Decision(
                body=meeting.body,
                item=item,
                title=f"Agree the {item.title.lower()}",
                status=DecisionStatus.CLOSED,
                terms=body_terms,
                rule=Decision.rule_to_json(body_terms.rule()),
                opened_at=meeting.starts_at + datetime.timedelta(minutes=5 * item.number),
                closed_at=meeting.starts_at + datetime.timedelta(minutes=5 * item.number + 3),
                quorate_at_open=True,
                quorate_at_close=True,
                outcome=rules.Outcome.CARRIED if carried else rules.Outcome.NOT_CARRIED,
                votes_for=votes.count("for"),
                votes_against=votes.count("against"),
                abstentions=votes.count("abstain"),
                base=4 - votes.count("abstain"),
                explanation="More for than against." if carried else "Not more for than against.",
            )
            decision.votes = votes
            decisions.append(decision)
        Decision.objects.bulk_create(decisions, batch_size=1000)
        record_bulk(decisions)
        decisions = [d for d in decisions if d.status == DecisionStatus.CLOSED]
        self.votes(decisions, members)
        declarations = [
            ItemDeclaration(
                item=d.item,
                membership=members[d.body_id][3],
                details="Trustee of a charity bidding for the work.",
                management=rules.Conflict.NO_ACTION,
                declared_at=d.item.meeting.starts_at,
            )
            for d in decisions[::10]
        ]
        ItemDeclaration.objects.bulk_create(declarations, batch_size=1000)
        record_bulk(declarations)

    def votes(self, decisions, members):
        eligibility, ballots, bindings = [], [], []
        for d in decisions:
            people = members[d.body_id]
            for stage in (Stage.OPENING, Stage.CLOSE):
                eligibility += [
                    EligibilityRecord(
                        decision=d,
                        stage=stage,
                        membership=m,
                        member_name=m.name,
                        organisation_id=m.organisation_id,
                        eligible=m.voting,
                        reason="" if m.voting else rules.Reason.NON_VOTING,
                        counts_to_quorum=m.voting,
                    )
                    for m in people
                ]
            voters = [m for m in people if m.voting]
            ballots += [
                Ballot(decision=d, membership=m, vote=vote, cast_at=d.opened_at + datetime.timedelta(minutes=1))
                for m, vote in zip(voters, d.votes, strict=True)
            ]
            if d.outcome == rules.Outcome.CARRIED:
                bound = {m.organisation_id for m in voters}
                bindings += [Binding(decision=d, organisation_id=org) for org in sorted(bound)]
        EligibilityRecord.objects.bulk_create(eligibility, batch_size=2000)
        Ballot.objects.bulk_create(ballots, batch_size=2000)
        Binding.objects.bulk_create(bindings, batch_size=2000)

    # -- the register of interests ---------------------------------------------------------------

    def interests(self, count):
        rng, today = self.rng, self.today
        categories = [c for c, _ in InterestCategory.choices]
        batch = []
        for n in range(self.interests_made, self.interests_made + count):
            declared = today - datetime.timedelta(days=rng.randrange(0, 1100))
            nil = rng.random() < 0.05
            withheld = not nil and rng.random() < 0.02
            batch.append(
                Interest(
                    name=f"Declarer {n:05d}",
                    job_title=rng.choice(("Director of Strategy", "Consultant psychiatrist", "Non-executive")),
                    declared_on=declared,
                    nil_return=nil,
                    category="" if nil else rng.choice(categories),
                    details="" if nil else f"Interest in {rng.choice(TOPICS).lower()} provider {n}.",
                    applies_from=None if nil else declared - datetime.timedelta(days=rng.randrange(0, 60)),
                    action_taken="" if nil else "Leaves the meeting for items about it.",
                    withheld=withheld,
                    withheld_reason="Personal safety." if withheld else "",
                )
            )
        self.interests_made += count
        Interest.objects.bulk_create(batch, batch_size=2000)
        record_bulk(batch)


def _count(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError("give a number of 0 or more")
    return value


BENCH_ARGUMENTS = (
    (
        ("--governance-bodies",),
        {
            "type": _count,
            "default": 100,
            "metavar": "PARTNERSHIPS",
            "help": f"One governance body for this many partnerships, with {MEETINGS_PER_BODY} meetings and "
            f"{DECISIONS_PER_MEETING} decisions a meeting held (default 100: 500 bodies for 50,000; 0 for none).",
        },
    ),
    (
        ("--interests",),
        {
            "type": _count,
            "default": 1,
            "help": "Register of interests entries per partnership (default 1: 50,000 for 50,000; 0 for none).",
        },
    ),
)


class GovernanceBench:
    """``seed_bench``'s governance step."""

    def __init__(self, generator):
        self.generator = generator

    def partnerships(self, created):
        self.generator.chunk(created)

    def summary(self):
        return (
            f"{Body.objects.count():,} governance bodies, {Meeting.objects.count():,} meetings, "
            f"{Decision.objects.count():,} decisions, {Ballot.objects.count():,} ballots, "
            f"{Interest.objects.count():,} register entries"
        )


def bench_step(options, context):
    """The governance of ``seed_bench`` (``core.registry.bench_step``), or ``None`` when there is none."""
    per_body, interests = options.get("governance_bodies", 100), options.get("interests", 1)
    if not per_body and not interests:
        return None
    return GovernanceBench(GovernanceGenerator(per_body, interests, seed=context.seed, today=context.today))
