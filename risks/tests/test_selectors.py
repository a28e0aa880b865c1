"""Completeness, the highest score and escalation from tables of cases, and the heatmap's counts
against a direct SQL count of the same rows."""

import datetime
import itertools
import random

import pytest
from django.db import connection

from core.dates import local_today
from core.models import TierThresholds
from partnerships.models import Partnership
from risks.models import Risk, RiskStatus
from risks.scoring import Scoring
from risks.selectors import attach_risk_profiles, escalated_risks, filter_by_profile, heatmap_counts, with_risk_profile
from risks.tests.builders import DOMAINS, baf_theme, bulk_risks, no_significant_risk, partnership, risk, set_matrix

pytestmark = pytest.mark.django_db

TODAY = local_today()
PAST = TODAY - datetime.timedelta(days=1)

# Each domain of the six is given one of: "" (nothing), "nsr" (no significant risk recorded),
# "open" (an open risk, review in the future), "overdue" (an open risk past its review date),
# "today" (an open risk due for review today), "closed" / "closed-overdue" (a closed risk only),
# "nsr+open" (both a record and an open risk: counted once).
COMPLETENESS = [
    # (case, tier, six domain states, expected status)
    ("tier 1, nothing assessed", 1, [""] * 6, "incomplete"),
    ("tier 1, six domains with no significant risk", 1, ["nsr"] * 6, "complete"),
    ("tier 1, five no significant risk and one risk", 1, ["nsr"] * 5 + ["open"], "complete"),
    ("tier 2, six open risks", 2, ["open"] * 6, "complete"),
    ("tier 2, five assessed", 2, ["nsr"] * 5 + [""], "incomplete"),
    ("tier 1, a closed risk does not assess its domain", 1, ["nsr"] * 5 + ["closed"], "incomplete"),
    ("tier 1, a closed risk past its review is ignored", 1, ["nsr"] * 5 + ["closed-overdue"], "incomplete"),
    ("tier 1, all six, one risk past review", 1, ["nsr"] * 5 + ["overdue"], "review_overdue"),
    ("tier 2, review overdue wins over incomplete", 2, ["overdue"] + [""] * 5, "review_overdue"),
    ("tier 1, a review due today is not overdue", 1, ["nsr"] * 5 + ["today"], "complete"),
    ("tier 1, a record and a risk in one domain count once", 1, ["nsr+open"] + ["nsr"] * 4 + [""], "incomplete"),
    ("tier 1, all six and closed risks past review", 1, ["nsr+closed-overdue"] + ["nsr"] * 5, "complete"),
    ("tier 3, nothing assessed", 3, [""] * 6, "not_required"),
    ("tier 3, a risk past its review", 3, ["overdue"] + [""] * 5, "not_required"),
    ("tier 3, all six assessed", 3, ["nsr"] * 6, "not_required"),
]


def build(reference, tier, states):
    p = partnership(reference, tier=tier)
    for domain, state in zip(DOMAINS, states, strict=True):
        for part in filter(None, state.split("+")):
            if part == "nsr":
                no_significant_risk(p, domain)
            elif part in ("open", "overdue", "today"):
                review = {"open": None, "overdue": PAST, "today": TODAY}[part]
                risk(p, domain=domain, review_date=review)
            elif part.startswith("closed"):
                r = risk(p, domain=domain, review_date=PAST if part.endswith("overdue") else None)
                r.status, r.closed_on, r.closing_note = RiskStatus.CLOSED, TODAY, "No longer applies."
                r.full_clean()
                r.save()
    return p


def test_completeness_from_a_table_of_cases():
    built = {case: build(f"P-{n:04d}", tier, states) for n, (case, tier, states, _) in enumerate(COMPLETENESS)}
    found = dict(with_risk_profile(Partnership.objects.all()).values_list("reference", "risk_profile_status"))
    for case, _, _, expected in COMPLETENESS:
        assert found[built[case].reference] == expected, case
    # The register's filter selects exactly the same partnerships.
    for status in ("complete", "incomplete", "review_overdue", "not_required"):
        selected = set(filter_by_profile(Partnership.objects.all(), status).values_list("reference", flat=True))
        assert selected == {built[c].reference for c, _, _, e in COMPLETENESS if e == status}, status
    # And the page's rows get the same answer (one query for the page).
    page = list(Partnership.objects.order_by("reference"))
    attach_risk_profiles(page)
    assert {p.reference: p.risk_profile_status for p in page} == found


def test_tier_follows_the_thresholds_in_force():
    p = build("P-0300", 3, ["nsr"] * 6)
    assert with_risk_profile(Partnership.objects.filter(pk=p.pk)).get().risk_profile_status == "not_required"
    TierThresholds.objects.update_or_create(pk=1, defaults={"tier1_min_value": 10_000_000, "tier2_min_value": 1_000})
    assert with_risk_profile(Partnership.objects.filter(pk=p.pk)).get().risk_profile_status == "complete"


def test_the_highest_current_score_counts_open_risks_only():
    theme = baf_theme()
    p = partnership("P-0301")
    risk(p, current=(2, 3))
    risk(p, current=(4, 4), baf_theme=theme)
    closed = risk(p, current=(5, 5), baf_theme=theme)
    closed.status, closed.closed_on = RiskStatus.CLOSED, TODAY
    closed.save()
    q = partnership("P-0302")
    row = with_risk_profile(Partnership.objects.filter(pk=p.pk)).get()
    assert (row.risk_highest_score, row.risk_highest_band, row.risk_highest_colour) == (16, "Extreme", "red")
    assert with_risk_profile(Partnership.objects.filter(pk=q.pk)).get().risk_highest_score is None


ESCALATION = [
    # (current likelihood × consequence, threshold, open?, escalated?)
    ((3, 5), 15, True, True),
    ((4, 4), 15, True, True),
    ((3, 4), 15, True, False),
    ((3, 4), 12, True, True),
    ((5, 5), 15, False, False),  # a closed risk is never escalated
    ((2, 2), 4, True, True),
    ((1, 3), 4, True, False),
]


@pytest.mark.parametrize(("cell", "threshold", "is_open", "expected"), ESCALATION)
def test_escalation_from_a_table_of_cases(cell, threshold, is_open, expected):
    set_matrix(threshold=threshold)
    p = partnership("P-0303")
    r = risk(p, current=cell)
    if not is_open:
        r.status, r.closed_on = RiskStatus.CLOSED, TODAY
        r.save()
    scoring = Scoring.current()
    listed = escalated_risks(scoring).filter(pk=r.pk).exists()
    assert listed == expected
    assert (r.is_open and scoring.is_escalated(cell[0] * cell[1])) == expected
    if expected:
        assert Risk.objects.get(pk=r.pk).baf_theme is not None, "an escalated risk was saved with its BAF theme"


# --- the heatmap -----------------------------------------------------------------------------------


def raw_counts(where="", params=()):
    """The heatmap's numbers written by hand in SQL, to check the ORM's GROUP BY against."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_likelihood, current_consequence, COUNT(*) FROM risks_risk "  # noqa: S608 - fixed text
            f"WHERE status = 'open' {where} GROUP BY current_likelihood, current_consequence",
            params,
        )
        return {(likelihood, consequence): n for likelihood, consequence, n in cursor.fetchall()}


def test_the_heatmap_counts_equal_a_direct_sql_count_of_the_same_data():
    rng = random.Random(4)  # noqa: S311 - test data, not a secret
    theme = baf_theme()
    partnerships = [partnership(f"P-04{n:02d}", tier=1 + n % 3) for n in range(4)]
    cells = list(itertools.product(range(1, 6), repeat=2))
    for n, (p, domain) in enumerate(itertools.product(partnerships, DOMAINS)):
        chosen = rng.choices(cells, weights=[6 - max(c) for c in cells], k=3 + n % 5)
        bulk_risks(p, chosen, domain=domain, theme=theme)
        bulk_risks(p, rng.choices(cells, k=2), domain=domain, status="closed", theme=theme)
    assert Risk.objects.filter(status="closed").exists()

    def nonzero(counts):
        return {cell: n for cell, n in counts.items() if n}

    everything = heatmap_counts(Risk.objects.all())
    assert len(everything) == 25
    assert nonzero(everything) == raw_counts()
    assert sum(everything.values()) == Risk.objects.filter(status="open").count()

    p = partnerships[1]
    assert nonzero(heatmap_counts(Risk.objects.filter(partnership=p))) == raw_counts("AND partnership_id = %s", [p.pk])
    assert nonzero(heatmap_counts(Risk.objects.filter(domain="systems"))) == raw_counts("AND domain = %s", ["systems"])
    both = heatmap_counts(Risk.objects.filter(partnership=p, domain="finances"))
    assert nonzero(both) == raw_counts("AND partnership_id = %s AND domain = %s", [p.pk, "finances"])


def test_the_derived_profile_state_follows_every_write_and_never_drifts():
    """The completeness rule reads ``risks.profile_state``: each write to a risk or a record moves
    the partnership between incomplete, complete and review overdue at once, and working the
    table out again from the risks finds nothing to correct."""
    from risks import profile_state

    p = partnership("P-0901", tier=1)

    def status():
        return next(
            s
            for s in ("incomplete", "complete", "review_overdue")
            if filter_by_profile(Partnership.objects.filter(pk=p.pk), s).exists()
        )

    records = [no_significant_risk(p, domain) for domain in DOMAINS[:5]]
    assert status() == "incomplete"
    last = risk(p, domain=DOMAINS[5])
    assert status() == "complete"
    last.review_date = PAST
    last.save()
    assert status() == "review_overdue"
    last.status, last.closed_on = RiskStatus.CLOSED, TODAY
    last.save()
    assert status() == "incomplete"  # a closed risk assesses nothing, and its review no longer counts
    no_significant_risk(p, DOMAINS[5])
    assert status() == "complete"
    records[0].delete()
    assert status() == "incomplete"
    assert profile_state.rebuild() == 0
