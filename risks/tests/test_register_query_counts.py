"""The register with its risk profile columns and filters costs the same number of queries however big it is."""

import datetime

import pytest
from django.urls import reverse

from core.audit import record_bulk
from core.dates import local_today
from partnerships.models import Partnership
from risks.models import NoSignificantRisk, Risk, RiskDomain
from tests.counting import PAGE_SIZE, Register, measure, table_rows, total_shown


def today():
    return local_today()


def risks_of(partnerships, start=0):
    """Risks in bulk for each partnership, by its index: none (n % 4 == 0), or two to four risks
    in some of the six domains, some escalated, some past their review date, one closed; and
    "no significant risk" in the other domains of every third, which makes it complete."""
    domains = list(RiskDomain.values)
    risks, records = [], []
    for n, p in enumerate(partnerships, start=start):
        if n % 4 == 0:
            continue
        used = domains[: 2 + n % 3]
        for k, domain in enumerate(used):
            likelihood, consequence = 1 + (n + k) % 5, 1 + (2 * n + k) % 5
            closed = k == 1 and n % 5 == 0
            risks.append(
                Risk(
                    partnership=p,
                    domain=domain,
                    title=f"Risk {n}-{k}",
                    description="Cause, event and effect.",
                    owner="Owner",
                    inherent_likelihood=likelihood,
                    inherent_consequence=consequence,
                    current_likelihood=likelihood,
                    current_consequence=consequence,
                    target_likelihood=1,
                    target_consequence=1,
                    treatment="treat",
                    review_date=today() + datetime.timedelta(days=-3 if (n + k) % 7 == 0 else 60),
                    status="closed" if closed else "open",
                    closed_on=today() if closed else None,
                )
            )
        if n % 3 == 0:
            records += [NoSignificantRisk(partnership=p, domain=d) for d in domains if d not in used]
    # Recorded as every bulk write is (core.audit.record_bulk): the derived profile states keep up.
    record_bulk(Risk.objects.bulk_create(risks))
    record_bulk(NoSignificantRisk.objects.bulk_create(records))


class RiskRegister(Register):
    """The synthetic register with risk profiles (``risks_of``)."""

    def grow_to(self, total):
        start = self.size
        super().grow_to(total)
        risks_of(Partnership.objects.order_by("reference")[start:total], start=start)


def _profiles(status):
    from risks.selectors import filter_by_profile

    return filter_by_profile(Partnership.objects.all(), status)


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "-risk_highest_score"},
        {"risk_profile": "complete"},
        {"risk_profile": "review_overdue", "sort": "risk_highest_score"},
        {"risk_profile": "incomplete", "status": "active", "sort": "-title"},
        {"risk_profile": "not_required"},
    ],
    ids=lambda p: ", ".join(f"{k}={v}" for k, v in p.items()),
)
def test_the_register_with_risk_profiles_costs_the_same_for_10_and_200_partnerships(coordinator, db, params):
    """The "Risk profile" and "Highest current score" columns, their sort and the profile filter."""
    register = RiskRegister()
    url = reverse("partnerships:list")
    counts = []
    for size in (10, 200):
        register.grow_to(size)
        queries, response = measure(coordinator, url, params)
        expected = _profiles(params["risk_profile"]) if "risk_profile" in params else Partnership.objects.all()
        if "status" in params:
            expected = expected.filter(status=params["status"])
        matching = expected.count()
        assert matching > 0, "the data set has rows for this view at every size"
        assert total_shown(response) == matching
        assert table_rows(response) == min(matching, PAGE_SIZE)
        body = response.content.decode().split("<tbody", 1)[1]
        labels = (">Complete<", ">Incomplete<", ">Review overdue<", ">Not required<")
        assert sum(body.count(label) for label in labels) == table_rows(response), "every row shows its profile"
        counts.append(queries)
    assert counts[0] == counts[1], f"{counts[0]} queries for 10 partnerships, {counts[1]} for 200"
