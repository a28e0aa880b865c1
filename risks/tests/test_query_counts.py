"""The risk pages cost the same number of queries however many risks there are.

Each test counts the queries of one page over a small data set, grows it twenty fold, and counts
again: the counts must be equal, and the page must show what it should (so that an empty page
cannot pass for a cheap one).
"""

import datetime
import itertools
import re

import pytest
from django.urls import reverse

from core.audit import audit_context
from core.dates import local_today
from core.models import BafRiskTheme
from core.roles import Role
from risks.models import NoSignificantRisk, Risk, RiskAction
from risks.tests.builders import DOMAINS, partnership
from tests.counting import measure, table_rows, total_shown
from tests.spreadsheets import read_rows
from tests.world import make_user

CELLS = list(itertools.product(range(1, 6), repeat=2))
TODAY = local_today()


class RiskRegister:
    """Partnerships with risks in every domain and cell: some escalated, closed or overdue."""

    def __init__(self, partnerships=5):
        self.themes = [BafRiskTheme.objects.create(name=n) for n in ("Financial Sustainability", "Workforce")]
        self.lead = make_user("risklead", role=Role.LEAD, first_name="Rita", last_name="Lead")
        self.partnerships = [partnership(f"P-{n:04d}", tier=1 + n % 3, lead=self.lead) for n in range(partnerships)]
        self.size = 0

    def grow_to(self, total):
        rows = []
        for n in range(self.size, total):
            likelihood, consequence = CELLS[(n * 7) % 25]
            score = likelihood * consequence
            closed = n % 9 == 4
            rows.append(
                Risk(
                    partnership=self.partnerships[n % len(self.partnerships)],
                    domain=DOMAINS[n % 6],
                    title=f"Risk {n:04d}",
                    description="Cause, event and effect.",
                    owner=f"Owner {n % 4}",
                    inherent_likelihood=likelihood,
                    inherent_consequence=consequence,
                    current_likelihood=likelihood,
                    current_consequence=consequence,
                    target_likelihood=1,
                    target_consequence=consequence,
                    treatment="treat",
                    review_date=TODAY + datetime.timedelta(days=-5 if n % 5 == 2 else 40),
                    baf_theme=self.themes[n % 2] if score >= 15 else None,
                    status="closed" if closed else "open",
                    closed_on=TODAY if closed else None,
                )
            )
        Risk.objects.bulk_create(rows)
        self.size = total


@pytest.fixture
def risks(db):
    return RiskRegister()


@pytest.fixture
def coordinator(client, db):
    client.force_login(make_user("coord", role=Role.COORDINATOR, first_name="Ben", last_name="Cahill"))
    return client


def heatmap_total(response):
    match = re.search(r": ([\d,]+) risks?\.", " ".join(response.content.decode().split()))
    return int(match.group(1).replace(",", "")) if match else None


HEATMAPS = {
    "everything": ({}, lambda: Risk.objects.filter(status="open")),
    "one domain": ({"domain": "finances"}, lambda: Risk.objects.filter(status="open", domain="finances")),
    "one partnership": (
        {"partnership": "P-0001"},
        lambda: Risk.objects.filter(status="open", partnership__reference="P-0001"),
    ),
}


@pytest.mark.parametrize("view", sorted(HEATMAPS))
def test_the_heatmap_costs_the_same_for_10_and_200_risks(coordinator, risks, view):
    params, expected = HEATMAPS[view]
    counts = []
    for size in (10, 200):
        risks.grow_to(size)
        queries, response = measure(coordinator, reverse("risks:heatmap"), params)
        assert heatmap_total(response) == expected().count() > 0
        counts.append(queries)
    assert counts[0] == counts[1], f"{view}: {counts[0]} queries for 10 risks, {counts[1]} for 200"


def _escalated():
    return [r for r in Risk.objects.filter(status="open") if r.current_likelihood * r.current_consequence >= 15]


ESCALATED = {
    "everything, most serious first": ({}, lambda: len(_escalated())),
    "a BAF theme, by partnership": (
        {"baf_theme": "theme", "sort": "-partnership"},
        lambda: sum(1 for r in _escalated() if r.baf_theme.name == "Workforce"),
    ),
    "a domain and overdue reviews, by owner": (
        {"domain": "information_governance", "review_overdue": "on", "sort": "owner"},
        lambda: sum(1 for r in _escalated() if r.domain == "information_governance" and r.review_date < TODAY),
    ),
}


@pytest.mark.parametrize("view", sorted(ESCALATED))
def test_the_escalated_list_costs_the_same_for_10_and_200_risks(coordinator, risks, view):
    params, expected = ESCALATED[view]
    if "baf_theme" in params:
        params = {**params, "baf_theme": risks.themes[1].pk}
    counts = []
    for size in (10, 200):
        risks.grow_to(size)
        queries, response = measure(coordinator, reverse("risks:escalated"), params)
        matching = expected()
        assert matching > 0
        assert total_shown(response) == matching
        assert table_rows(response) == min(matching, 50)
        counts.append(queries)
    assert counts[0] == counts[1], f"{view}: {counts[0]} queries for 10 risks, {counts[1]} for 200"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_escalated_export_costs_the_same_for_10_and_200_risks(coordinator, risks, fmt):
    counts = []
    for size in (10, 200):
        risks.grow_to(size)
        queries, response = measure(coordinator, reverse("risks:escalated"), {"export": fmt})
        _, rows = read_rows(response)
        assert len(rows) == len(_escalated())
        counts.append(queries)
    assert counts[0] == counts[1]


RISK_LISTS = {
    "one cell, open": (
        {"likelihood": "3", "consequence": "4", "status": "open"},
        lambda: Risk.objects.filter(status="open", current_likelihood=3, current_consequence=4),
    ),
    "a band, by review date": (
        {"band": "High", "sort": "review_date"},
        lambda: [r for r in Risk.objects.all() if 8 <= r.current_likelihood * r.current_consequence <= 12],
    ),
    "escalated in a partnership, searched": (
        {"escalated": "on", "partnership": "P-0002", "q": "Risk"},
        lambda: [r for r in _escalated() if r.partnership.reference == "P-0002"],
    ),
    "everything": ({}, lambda: Risk.objects.all()),
}


@pytest.mark.parametrize("view", sorted(RISK_LISTS))
def test_the_risks_list_costs_the_same_for_10_and_200_risks(coordinator, risks, view):
    params, expected = RISK_LISTS[view]
    counts = []
    for size in (10, 200):
        risks.grow_to(size)
        queries, response = measure(coordinator, reverse("risks:list"), params)
        matching = len(list(expected()))
        assert matching > 0
        assert total_shown(response) == matching
        assert table_rows(response) == min(matching, 50)
        counts.append(queries)
    assert counts[0] == counts[1], f"{view}: {counts[0]} queries for 10 risks, {counts[1]} for 200"


def open_risk_rows(response, anchor=None):
    """How many risks the page (or its section ``anchor``) links to."""
    body = response.content.decode()
    if anchor:
        body = re.search(rf'<h2 id="{anchor}">(.*?)(?=<h2 id=|$)', body, flags=re.S).group(1)
    return len(set(re.findall(r'href="/risks/(\d+)/"', body)))


@pytest.mark.parametrize("role", ["coordinator", "lead"])
def test_a_partnership_page_and_its_risk_profile_cost_the_same_with_1_or_20_risks(client, risks, role):
    viewer = risks.lead if role == "lead" else make_user("viewer", role=Role.COORDINATOR)
    client.force_login(viewer)
    p = risks.partnerships[0]  # Tier 1
    risks.grow_to(1)
    NoSignificantRisk.objects.create(partnership=p, domain="systems", assessed_by=risks.lead)
    detail = reverse("partnerships:detail", args=[p.pk])
    profile = reverse("risks:profile", args=[p.pk])
    small_detail, response = measure(client, detail)
    assert open_risk_rows(response, "risks") == 1
    small_profile, response = measure(client, profile)
    assert open_risk_rows(response) == 1

    risks.grow_to(100)  # 20 on this partnership, over every domain
    NoSignificantRisk.objects.create(partnership=p, domain="reputation", assessed_by=viewer)
    open_here = Risk.objects.filter(partnership=p, status="open").count()
    assert open_here > 15
    large_detail, response = measure(client, detail)
    assert open_risk_rows(response, "risks") == open_here
    large_profile, response = measure(client, profile)
    assert open_risk_rows(response) == open_here
    assert (small_detail, small_profile) == (large_detail, large_profile)


def test_a_risk_page_costs_the_same_with_1_or_15_actions_and_changes(client, risks):
    client.force_login(risks.lead)
    risks.grow_to(1)
    r = Risk.objects.get()
    RiskAction.objects.create(risk=r, description="Action 0", owner="Jo", due_date=TODAY)
    url = r.get_absolute_url()
    small, response = measure(client, url)
    assert response.content.decode().count("/risks/actions/") == 2  # change and delete

    RiskAction.objects.bulk_create(
        RiskAction(risk=r, description=f"Action {i}", owner="Jo", due_date=TODAY) for i in range(1, 15)
    )
    with audit_context(user=risks.lead):
        for likelihood in (2, 3, 4, 5, 4, 3):
            r.current_likelihood = r.inherent_likelihood = likelihood
            r.target_likelihood = 1
            r.baf_theme = risks.themes[0]
            r.save()
    large, response = measure(client, url)
    assert response.content.decode().count("/risks/actions/") == 30
    assert small == large, f"{small} queries with 1 action, {large} with 15"
