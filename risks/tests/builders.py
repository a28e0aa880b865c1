"""Small builders for the risk tests: partnerships of a known tier, risks, "no significant risk".

Risks are validated (``full_clean``) before they are saved, so a test starts only from states
the rules allow; ``bulk_risks`` writes many at once for the tests that only read them.
"""

import datetime
from decimal import Decimal

from core.audit import record_bulk
from core.dates import local_today
from core.models import BafRiskTheme
from partnerships.models import ArrangementType, Partnership, Status
from risks.models import NoSignificantRisk, Risk, RiskDomain, RiskMatrix

DOMAINS = [d.value for d in RiskDomain]
TIER_VALUES = {1: Decimal("2500000"), 2: Decimal("250000"), 3: Decimal("5000")}


def partnership(reference, tier=1, lead=None, title=None):
    p = Partnership(
        reference=reference,
        title=title or f"Partnership {reference}",
        arrangement_type=ArrangementType.MOU,
        status=Status.ACTIVE,
        lead=lead,
        annual_value=TIER_VALUES[tier],
    )
    p.full_clean()
    p.save()
    return p


def baf_theme(name="Governance of external Partners"):
    return BafRiskTheme.objects.get_or_create(name=name)[0]


def risk(
    partnership,
    domain=RiskDomain.PATIENT_SAFETY,
    current=(2, 3),
    inherent=None,
    target=None,
    review_date=None,
    title=None,
    **fields,
):
    """An open risk: inherent defaults to the current position, target to (1, 1)."""
    inherent = inherent or current
    target = target or (1, 1)
    r = Risk(
        partnership=partnership,
        domain=domain,
        title=title or f"Risk in {domain} at {current[0]}×{current[1]}",
        description="Because of limited resources, there is a risk that the work stalls, which would delay benefits.",
        owner="Amelie Bages",
        inherent_likelihood=inherent[0],
        inherent_consequence=inherent[1],
        current_likelihood=current[0],
        current_consequence=current[1],
        target_likelihood=target[0],
        target_consequence=target[1],
        treatment="treat",
        review_date=review_date or local_today() + datetime.timedelta(days=90),
        **fields,
    )
    if r.current_likelihood * r.current_consequence >= RiskMatrix.current().escalation_threshold:
        r.baf_theme = r.baf_theme or baf_theme()
    r.full_clean()
    r.save()
    return r


def no_significant_risk(partnership, domain, user=None):
    record = NoSignificantRisk(partnership=partnership, domain=domain, assessed_by=user, note="")
    record.full_clean()
    record.save()
    return record


def bulk_risks(partnership, cells, domain=RiskDomain.FINANCES, status="open", theme=None):
    """Risks written in one go at the given current cells (inherent the same, target 1×1), and
    recorded with ``core.audit.record_bulk`` as every bulk write is (which keeps the highest
    current scores in step)."""
    today = local_today()
    risks = Risk.objects.bulk_create(
        Risk(
            partnership=partnership,
            domain=domain,
            title=f"Bulk risk {n}",
            description="Cause, event and effect.",
            owner="Owner",
            inherent_likelihood=likelihood,
            inherent_consequence=consequence,
            current_likelihood=likelihood,
            current_consequence=consequence,
            target_likelihood=1,
            target_consequence=1,
            treatment="tolerate",
            review_date=today + datetime.timedelta(days=30),
            status=status,
            closed_on=today if status == "closed" else None,
            baf_theme=theme,
        )
        for n, (likelihood, consequence) in enumerate(cells)
    )
    record_bulk(risks)
    return risks


def set_matrix(bands=None, threshold=None):
    """Save a changed matrix, the way the administration page does (validated first)."""
    matrix = RiskMatrix.current()
    if bands is not None:
        matrix.bands = bands
    if threshold is not None:
        matrix.escalation_threshold = threshold
    matrix.full_clean()
    matrix.save()
    return matrix
