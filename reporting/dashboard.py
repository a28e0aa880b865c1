"""What the dashboard shows, each figure one aggregate query whatever the register's size: the
partnerships and their value by arrangement type, tier, status and directorate; assurance at a
glance; agreements expiring; and the network of partner organisations."""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from agreements.models import Agreement, AgreementStatus
from assurance.selectors import has_gaps
from core.models import ServiceArea
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, PartnerRole, Partnership, PartnerTotal, Status
from partnerships.tiering import TIER_CHOICES
from peer_reviews.models import KeyQuestion, Rating, ReviewArea
from self_assessments.models import ANSWERING, AWAITING_REVIEW, Assessment

NO_VALUE = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    value: object  # pounds a year, summed


@dataclass(frozen=True)
class Breakdown:
    """The partnerships by one grouping, largest number first: a chart and its table."""

    key: str
    title: str
    bars: list

    @property
    def total(self):
        return sum(bar.count for bar in self.bars)


def _bars(totals, labels):
    bars = [Bar(labels.get(key, key or "Not recorded"), n, value) for key, (n, value) in totals.items()]
    return sorted(bars, key=lambda bar: (-bar.count, bar.label))


GROUPINGS = ("arrangement_type", "tier", "status", "service_area")


def _totals(rows, index, open_only):
    """{key: (partnerships, value)} of the ``index``-th grouping, summed over the finer groups."""
    totals = {}
    for row in rows:
        if open_only and row[2] == Status.CLOSED:
            continue
        n, value = totals.get(row[index], (0, Decimal(0)))
        totals[row[index]] = (n + row[4], value + (row[5] or 0))
    return totals


def breakdowns():
    """The register (closed partnerships left out but for the status chart) by arrangement type,
    tier, status and directorate: one GROUP BY of all four together (a few hundred groups, each
    chart summed from them), rather than a pass over the register for each."""
    rows = list(
        Partnership.objects.with_tier()
        .order_by()
        .values_list(*GROUPINGS)
        .annotate(n=Count("*"), value=Coalesce(Sum("annual_value"), NO_VALUE))
        .values_list(*GROUPINGS, "n", "value")
    )
    labels = {
        "arrangement_type": dict(ArrangementType.choices),
        "tier": dict(TIER_CHOICES),
        "status": dict(Status.choices),
        "service_area": dict(ServiceArea.objects.values_list("pk", "name")),
    }
    charts = [
        ("type", "By arrangement type", "arrangement_type"),
        ("tier", "By tier", "tier"),
        ("status", "By status", "status"),
        ("directorate", "By directorate", "service_area"),
    ]
    return [
        Breakdown(key, title, _bars(_totals(rows, GROUPINGS.index(name), name != "status"), labels[name]))
        for key, title, name in charts
    ]


def assurance(today):
    """IG gaps, self-assessments outstanding and awaiting review, and the peer review ratings of
    every area: three queries."""
    gaps = Partnership.objects.filter(has_gaps(today)).count()
    assessments = Assessment.objects.aggregate(
        outstanding=Count("pk", filter=Q(status__in=ANSWERING)),
        overdue=Count("pk", filter=Q(status__in=ANSWERING, issue__due_date__lt=today)),
        to_review=Count("pk", filter=Q(status__in=AWAITING_REVIEW)),
    )
    counts = ReviewArea.objects.aggregate(
        **{f"{q.value}__{r.value}": Count("pk", filter=Q(**{q.value: r.value})) for q in KeyQuestion for r in Rating}
    )
    ratings = [(q.label, [(r, counts[f"{q.value}__{r.value}"]) for r in Rating]) for q in KeyQuestion]
    return {"ig_gaps": gaps, **assessments, "ratings": ratings, "rating_names": list(Rating)}


def agreements_expiring(today, days=90, shown=10):
    """Agreements in force whose term ends within ``days`` (or has ended): how many, and the first."""
    ending = Agreement.objects.filter(
        status=AgreementStatus.IN_FORCE, term_end_date__lte=today + datetime.timedelta(days=days)
    ).select_related("partnership")
    return ending.count(), list(ending.order_by("term_end_date", "pk")[:shown])


# --- the network -----------------------------------------------------------------------------------

NETWORK_SHOWN = 40  # organisations drawn; the table beside lists as many, the download all
KIND_COLOURS = {
    OrganisationKind.NHS_TRUST: "#005eb8",
    OrganisationKind.FOUNDATION_TRUST: "#003087",
    OrganisationKind.ICB: "#41b6e6",
    OrganisationKind.SUB_ICB: "#768692",
    OrganisationKind.LOCAL_AUTHORITY: "#007f3b",
    OrganisationKind.VCSE: "#ffb81c",
    OrganisationKind.PRIMARY_CARE: "#330072",
    OrganisationKind.INDEPENDENT: "#ae2573",
    OrganisationKind.ACADEMIC: "#ed8b00",
    OrganisationKind.INDUSTRY: "#425563",
    OrganisationKind.OTHER: "#aeb7bd",
}


@dataclass
class Node:
    organisation: Organisation
    partnerships: int
    value: object
    x: float = 0
    y: float = 0
    r: float = 0

    @property
    def colour(self):
        return KIND_COLOURS.get(self.organisation.kind, KIND_COLOURS[OrganisationKind.OTHER])


def partner_organisations(limit=None):
    """Every organisation but the home trust that is a party to an open partnership, with how many
    partnerships (``partnership_count``) and their value a year (``partnership_value``), largest
    value first (the first ``limit`` only, when given): read from the totals kept per organisation
    (``partnerships.partner_totals``) rather than grouped from 125,000 partner roles, as
    organisations (their id, name and kind). The download reads all of it, the map the first."""
    rows = (
        PartnerTotal.objects.exclude(organisation__is_home_trust=True)
        .order_by("-value", "organisation__name", "organisation")
        .values_list("organisation", "organisation__name", "organisation__kind", "partnerships", "value")
    )
    for pk, name, kind, n, value in rows[:limit].iterator(2000):
        organisation = Organisation(pk=pk, name=name, kind=kind)
        organisation.partnership_count, organisation.partnership_value = n, value
        yield organisation


def network(shown=NETWORK_SHOWN, size=640):
    """The trust at the centre and its ``shown`` largest partner organisations on a circle around
    it, in a stable order (kind, then name: the same picture every time for the same register),
    each sized by the value of the partnerships it is in; links from the trust to each, and
    between two organisations that are partners in the same partnership. Two queries."""
    found = list(partner_organisations(limit=shown))
    nodes = sorted((Node(o, o.partnership_count, o.partnership_value) for o in found), key=_place)
    centre = size / 2
    largest = max((float(n.value) for n in nodes), default=0) or 1
    ring = centre - 40
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / max(len(nodes), 1) - math.pi / 2
        node.x, node.y = round(centre + ring * math.cos(angle), 1), round(centre + ring * math.sin(angle), 1)
        node.r = round(5 + 15 * math.sqrt(float(node.value) / largest), 1)
    by_value = sorted(nodes, key=lambda n: (-n.value, n.organisation.name))
    return {"nodes": nodes, "by_value": by_value, "links": _links(nodes), "size": size, "centre": centre}


def _place(node):
    return (
        list(OrganisationKind).index(node.organisation.kind)
        if node.organisation.kind in OrganisationKind.values
        else 99,
        node.organisation.name,
    )


def _links(nodes):
    """Pairs of drawn organisations that share a partnership (open), and how many: one query."""
    at = {node.organisation.pk: node for node in nodes}
    # One filter() call, so that every condition on the other party is on the same join.
    pairs = (
        PartnerRole.objects.exclude(partnership__status=Status.CLOSED)
        .filter(
            organisation__in=at,
            partnership__partner_roles__organisation__in=at,
            partnership__partner_roles__organisation__gt=F("organisation"),
        )
        .values_list("organisation", "partnership__partner_roles__organisation")
        .annotate(n=Count("partnership", distinct=True))
        .order_by()
    )
    return [Link(at[a], at[b], n) for a, b, n in pairs]


@dataclass(frozen=True)
class Link:
    """Two drawn organisations that share ``n`` open partnerships. Its ends' coordinates are
    written here, once: hundreds of lines, each number through the template's localisation, were
    a third of the dashboard's time."""

    a: Node
    b: Node
    n: int

    @property
    def ends(self):
        return {"x1": repr(self.a.x), "y1": repr(self.a.y), "x2": repr(self.b.x), "y2": repr(self.b.y)}


def kinds_shown(nodes):
    """The legend: each kind drawn, with its colour."""
    kinds = dict.fromkeys(node.organisation.kind for node in nodes)
    labels = dict(OrganisationKind.choices)
    return [(labels.get(kind, kind), KIND_COLOURS.get(kind, KIND_COLOURS[OrganisationKind.OTHER])) for kind in kinds]
