"""The register and a partnership's page cost the same number of queries however big the register is."""

import itertools
import re

import pytest
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Headline, PartnerRole, Partnership, Status
from tests.counting import PAGE_SIZE, measure, table_rows, total_shown
from tests.spreadsheets import read_rows


def _overdue(qs):
    return qs.filter(next_review_date__lt=timezone.localdate()).exclude(status=Status.CLOSED)


def _with_partner_kind(qs, kind):
    return qs.filter(Exists(PartnerRole.objects.filter(partnership=OuterRef("pk"), organisation__kind=kind)))


REGISTER_VIEWS = {
    "everything, default order": (lambda r: {}, lambda r: Partnership.objects.all()),
    "status and a tier-sorted page": (
        lambda r: {"status": "active", "sort": "tier"},
        lambda r: Partnership.objects.filter(status="active"),
    ),
    "tier 1": (
        lambda r: {"tier": "1", "sort": "-annual_value"},
        lambda r: Partnership.objects.with_tier().filter(tier=1),
    ),
    "partner kind, lead and search, sorted by lead": (
        lambda r: {"q": "Partnership", "partner_kind": "vcse", "lead": r.leads[1].pk, "sort": "-lead"},
        lambda r: _with_partner_kind(Partnership.objects.filter(lead=r.leads[1]), "vcse"),
    ),
    "objective, value range and overdue reviews": (
        lambda r: {
            "strategic_objective": r.objectives[0].pk,
            "value_min": "50000",
            "value_max": "10000000",
            "review_overdue": "on",
            "sort": "next_review_date",
        },
        lambda r: _overdue(
            Partnership.objects.filter(
                strategic_objectives=r.objectives[0], annual_value__gte=50000, annual_value__lte=10000000
            )
        ),
    ),
    "partner name, service area and type": (
        lambda r: {"partner": "Organisation 000", "service_area": r.areas[0].pk, "sort": "title"},
        lambda r: Partnership.objects.filter(
            Exists(
                PartnerRole.objects.filter(partnership=OuterRef("pk"), organisation__name__icontains="Organisation 000")
            ),
            service_area=r.areas[0],
        ),
    ),
}


@pytest.mark.parametrize("view", sorted(REGISTER_VIEWS))
def test_the_register_costs_the_same_for_10_and_200_partnerships(coordinator, register, view):
    params, expected = REGISTER_VIEWS[view]
    url = reverse("partnerships:list")
    counts = []
    for size in (10, 200):
        register.grow_to(size)
        queries, response = measure(coordinator, url, params(register))
        matching = expected(register).count()
        assert matching > 0, "the data set has rows for this view at every size"
        assert total_shown(response) == matching
        assert table_rows(response) == min(matching, PAGE_SIZE)
        counts.append(queries)
    assert counts[0] == counts[1], f"{view}: {counts[0]} queries for 10 partnerships, {counts[1]} for 200"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_register_export_costs_the_same_for_10_and_200_partnerships(coordinator, register, fmt):
    url = reverse("partnerships:list")
    counts = []
    for size in (10, 200):
        register.grow_to(size)
        queries, response = measure(coordinator, url, {"export": fmt})
        _, rows = read_rows(response)
        assert len(rows) == size
        counts.append(queries)
    assert counts[0] == counts[1]


def shown_children(response):
    """(partners, headlines) listed on a partnership page, counted by their "change" links."""
    body = response.content.decode()
    partners = re.findall(r'href="/partnerships/partners/(\d+)/edit/"', body)
    headlines = re.findall(r'href="/partnerships/headlines/(\d+)/edit/"', body)
    return len(set(partners)), len(set(headlines))


def test_a_partnership_page_costs_the_same_with_1_or_20_partners_and_headlines(coordinator, register):
    register.grow_to(1)
    partnership = Partnership.objects.get()
    PartnerRole.objects.filter(partnership=partnership).exclude(pk=PartnerRole.objects.first().pk).delete()
    partnership.delegates.add(register.leads[2])
    Headline.objects.create(partnership=partnership, text="First headline", author=register.leads[0])
    url = reverse("partnerships:detail", args=[partnership.pk])

    small, response = measure(coordinator, url)
    assert shown_children(response) == (1, 1)

    register.add_organisations(20)
    existing = set(partnership.partner_roles.values_list("organisation", flat=True))
    fresh = itertools.islice((o for o in register.organisations if o.pk not in existing), 19)
    PartnerRole.objects.bulk_create(PartnerRole(partnership=partnership, organisation=o) for o in fresh)
    Headline.objects.bulk_create(
        Headline(partnership=partnership, text=f"Headline {i}", author=register.leads[i % 5]) for i in range(19)
    )
    partnership.delegates.add(*register.leads[3:])
    partnership.strategic_objectives.add(*register.objectives)
    large, response = measure(coordinator, url)
    assert shown_children(response) == (20, 20)
    assert small == large, f"{small} queries with 1 partner, {large} with 20"


# --- leads to confirm ------------------------------------------------------------------------------


def record_leads():
    """Recorded leads of every kind, by index: naming the linked user (confirmed, not listed), with
    no user linked, and naming someone other than the linked user. Returns how many are listed."""
    partnerships = list(Partnership.objects.order_by("pk").select_related("lead"))
    for n, partnership in enumerate(partnerships):
        if n % 3 == 0:
            partnership.recorded_lead = f"Dr {partnership.lead} (Partnership Manager)"
        elif n % 3 == 1:
            partnership.recorded_lead, partnership.lead = "Head of Adult Services", None
        else:
            partnership.recorded_lead = "Clinical Director"
    Partnership.objects.bulk_update(partnerships, ["recorded_lead", "lead"])
    return sum(1 for n in range(len(partnerships)) if n % 3)


@pytest.mark.parametrize("params", [{}, {"sort": "-lead"}, {"sort": "recorded_lead"}])
def test_leads_to_confirm_costs_the_same_for_10_and_200_partnerships(coordinator, register, params):
    url = reverse("partnerships:leads_to_confirm")
    counts = []
    for size in (10, 200):
        register.grow_to(size)
        listed = record_leads()
        queries, response = measure(coordinator, url, params)
        assert total_shown(response) == listed > 0
        assert table_rows(response) == min(listed, PAGE_SIZE)
        counts.append(queries)
    assert counts[0] == counts[1], f"{counts[0]} queries for 10 partnerships, {counts[1]} for 200"
