# ruff: noqa: S311 - pseudo-random numbers make synthetic data here, not secrets
"""Synthetic information-governance data for the benchmark register (``manage.py seed_bench``).

Two things, both drawn by :class:`IGGenerator`, seeded apart from the register's own generator so
that adding IG data does not change the partnerships drawn:

- **DSPT statuses and years on the synthetic organisations** (:meth:`IGGenerator.dspt`), set before
  the organisations are created, so their "created" audit entries carry them. They depend on the
  kind of organisation, as on the published toolkit: NHS bodies almost all at Standards Met or
  Exceeded, GP practices and councils mostly so, charities and companies often with nothing
  published; about a quarter of the assessments are older than the one expected (not current).
- **IG items** (:meth:`IGGenerator.chunk`): for each partnership, the recorded items the
  requirements matrix (``assurance.selectors.requirement_matrix``, read once) requires for its
  arrangement type and level of data sharing, in a state that depends on how well kept the
  partnership's IG is: most well-kept partnerships have everything in place (approved in the
  past, review date ahead), others have items in progress, expired (the review date passed) or
  not recorded at all; a few partnerships also record an item they are not required to have.

The levels of data sharing themselves (about 10% not assessed) are drawn with the partnership
(``partnerships.synthetic.DATA_SHARING``); the partners' DSPT is read from the organisations, as
everywhere. No documents are written: an item in place needs its dates, not a file
(``IGItem.clean``). Everything is written with ``bulk_create`` and audited with
:func:`core.audit.record_bulk`, like the rest of the synthetic register; every item passes
``IGItem.full_clean``.
"""

import datetime
import random

from assurance.models import IGItem, IGItemType, RecordedStatus
from assurance.selectors import required_items, requirement_matrix
from core.audit import record_bulk
from organisations.dspt import DsptStatus, expected_year, year_starting
from organisations.models import OrganisationKind

D = DsptStatus
K = OrganisationKind
# The DSPT status published for organisations of each kind ("" for none recorded), with weights.
DSPT_BY_KIND = {
    K.NHS_TRUST: [(D.STANDARDS_MET, 62), (D.STANDARDS_EXCEEDED, 25), (D.APPROACHING_STANDARDS, 10), ("", 3)],
    K.FOUNDATION_TRUST: [(D.STANDARDS_MET, 60), (D.STANDARDS_EXCEEDED, 30), (D.APPROACHING_STANDARDS, 8), ("", 2)],
    K.ICB: [(D.STANDARDS_MET, 70), (D.STANDARDS_EXCEEDED, 25), (D.APPROACHING_STANDARDS, 5)],
    K.PRIMARY_CARE: [
        (D.STANDARDS_MET, 62),
        (D.STANDARDS_EXCEEDED, 3),
        (D.APPROACHING_STANDARDS, 10),
        (D.NOT_PUBLISHED, 7),
        (D.STANDARDS_NOT_MET, 3),
        ("", 15),
    ],
    K.LOCAL_AUTHORITY: [(D.STANDARDS_MET, 60), (D.STANDARDS_EXCEEDED, 5), (D.APPROACHING_STANDARDS, 20), ("", 15)],
    K.INDEPENDENT: [
        (D.STANDARDS_MET, 55),
        (D.STANDARDS_EXCEEDED, 5),
        (D.APPROACHING_STANDARDS, 10),
        (D.STANDARDS_NOT_MET, 5),
        (D.NOT_PUBLISHED, 5),
        ("", 20),
    ],
    K.VCSE: [
        (D.STANDARDS_MET, 35),
        (D.APPROACHING_STANDARDS, 15),
        (D.STANDARDS_NOT_MET, 5),
        (D.NOT_PUBLISHED, 10),
        ("", 35),
    ],
    K.ACADEMIC: [(D.STANDARDS_MET, 45), (D.APPROACHING_STANDARDS, 10), (D.NOT_PUBLISHED, 5), ("", 40)],
    K.INDUSTRY: [(D.STANDARDS_MET, 40), (D.STANDARDS_EXCEEDED, 5), (D.APPROACHING_STANDARDS, 10), ("", 45)],
    K.OTHER: [(D.STANDARDS_MET, 35), (D.APPROACHING_STANDARDS, 10), (D.NOT_PUBLISHED, 10), ("", 45)],
}
# How many years older than the expected one an assessment is: 0 is current, the rest not current.
DSPT_AGE = [(0, 75), (1, 18), (2, 5), (3, 2)]
# How well kept a partnership's IG is: the chance that each required item is (in place, in
# progress, expired); the rest are not recorded.
DILIGENCE = [
    ((0.97, 0.02, 0.01), 45),  # kept up to date: almost always everything in place
    ((0.55, 0.20, 0.10), 40),  # partly done
    ((0.15, 0.25, 0.10), 15),  # hardly started
]
UNREQUIRED_ITEM = 0.04  # the chance a partnership also records an item it is not required to have
NOTES = (
    "",
    "",
    "",
    "Reviewed with the trust's IG team.",
    "Signed off at the partnership board.",
    "Awaiting the partner's comments.",
    "Template from the ICS information sharing framework.",
    "Review brought forward after a change of data flows.",
)


def pick(rng, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def earlier_year(year, age):
    """The financial year ``age`` years before ``year`` ("2024-25", 2 → "2022-23")."""
    return year_starting(int(year[:4]) - age)


class IGGenerator:
    """Draws the DSPT of organisations and the IG items of chunks of partnerships."""

    def __init__(self, seed=2019, today=None, matrix=None):
        self.rng = random.Random(seed * 43 + 11)
        self.dspt_rng = random.Random(seed * 47 + 13)
        self.today = today or datetime.date.today()
        self.expected_year = expected_year(self.today)
        self.matrix = requirement_matrix() if matrix is None else matrix

    # -- organisations ---------------------------------------------------------------------

    def dspt(self, kind):
        """(status, year) for a new organisation of ``kind``: ("", "") when none is recorded."""
        rng = self.dspt_rng
        status = pick(rng, DSPT_BY_KIND.get(kind, DSPT_BY_KIND[K.OTHER]))
        if not status:
            return "", ""
        return status, earlier_year(self.expected_year, pick(rng, DSPT_AGE))

    def give_dspt(self, organisations):
        """Set the DSPT of new (unsaved) ``organisations`` in place, in their order."""
        for org in organisations:
            org.dspt_status, org.dspt_year = self.dspt(org.kind)

    # -- IG items --------------------------------------------------------------------------

    def _days_ago(self, low, high):
        return self.today - datetime.timedelta(days=self.rng.randrange(low, high))

    def item(self, partnership, key, state):
        """An IG item of ``partnership`` in ``state`` ("in_place", "in_progress" or "expired")."""
        rng = self.rng
        notes = rng.choice(NOTES)
        if state == "in_progress":
            return IGItem(partnership=partnership, item=key, status=RecordedStatus.IN_PROGRESS, notes=notes)
        if state == "in_place":
            approved = self._days_ago(0, 3 * 365)
            review = max(self.today, approved) + datetime.timedelta(days=rng.randrange(1, 2 * 365))
        else:  # expired: in place once, its review date passed
            review = self._days_ago(1, 2 * 365)
            approved = review - datetime.timedelta(days=rng.randrange(180, 3 * 365))
        return IGItem(
            partnership=partnership,
            item=key,
            status=RecordedStatus.IN_PLACE,
            approved_on=approved,
            review_on=review,
            notes=notes,
        )

    def items_for(self, partnership):
        """The IG items recorded for one partnership (unsaved)."""
        rng = self.rng
        required = [
            item
            for item in required_items(partnership.arrangement_type, partnership.data_sharing, self.matrix)
            if item != IGItemType.PARTNER_DSPT
        ]
        in_place, in_progress, expired = pick(rng, DILIGENCE)
        made = []
        for key in required:
            roll = rng.random()
            if roll < in_place:
                made.append(self.item(partnership, key, "in_place"))
            elif roll < in_place + in_progress:
                made.append(self.item(partnership, key, "in_progress"))
            elif roll < in_place + in_progress + expired:
                made.append(self.item(partnership, key, "expired"))
        if partnership.data_sharing and rng.random() < UNREQUIRED_ITEM:
            others = [i for i in IGItemType if i != IGItemType.PARTNER_DSPT and i not in required]
            if others:
                made.append(self.item(partnership, rng.choice(others), rng.choice(("in_place", "in_progress"))))
        return made

    def chunk(self, partnerships):
        """The IG items of ``partnerships`` (saved), written and audited in bulk; returns how many."""
        items = [item for p in partnerships for item in self.items_for(p)]
        IGItem.objects.bulk_create(items, batch_size=500)
        record_bulk(items)
        return len(items)


class IGBench:
    """``seed_bench``'s IG step: DSPT statuses on new organisations, IG items on new partnerships."""

    def __init__(self, generator):
        self.generator = generator

    def organisations(self, new):
        self.generator.give_dspt(new)

    def partnerships(self, created):
        self.generator.chunk(created)

    def summary(self):
        return f"{IGItem.objects.count():,} IG items"


def bench_step(options, context):
    """The IG data of ``seed_bench`` (``core.registry.bench_step``), or ``None`` when ``ig=False``."""
    if not options.get("ig", True):
        return None
    return IGBench(IGGenerator(seed=context.seed, today=context.today))
