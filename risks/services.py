"""The writes of a risk profile, for the pages and for anything else that records risks (a demo
seed, an import): each validates with the model's rules and is audited by ``core.audit``.

- :func:`save_risk`: add or change a risk; an open risk in a domain replaces a "no significant
  risk" record there (withdrawn, and audited as such).
- :func:`close_risk`: a risk is closed, never deleted, so it stays in the history.
- :func:`record_no_significant_risk`: refused where the domain already has an open risk or a record.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.dates import local_today
from risks.models import NoSignificantRisk, Risk, RiskDomain, RiskStatus


@transaction.atomic
def save_risk(risk):
    """Validate and save ``risk``; returns the labels of the domains whose "no significant risk"
    record was withdrawn because the risk, open, now sits there."""
    risk.full_clean()
    risk.save()
    withdrawn = []
    if risk.status == RiskStatus.OPEN:
        for record in NoSignificantRisk.objects.filter(partnership=risk.partnership, domain=risk.domain):
            withdrawn.append(record.get_domain_display())
            record.delete()
    return withdrawn


@transaction.atomic
def close_risk(risk, closed_on, note):
    if risk.status == RiskStatus.CLOSED:
        raise ValidationError(f"This risk was already closed on {risk.closed_on:%d/%m/%Y}.")
    risk.status, risk.closed_on, risk.closing_note = RiskStatus.CLOSED, closed_on, note
    try:
        risk.full_clean()
    except ValidationError as error:
        raise ValidationError(error.messages) from error
    risk.save()
    return risk


def no_significant_risk_refusal(partnership, domain):
    """Why "no significant risk" cannot be recorded for ``domain`` now, or None."""
    label = RiskDomain(domain).label
    if NoSignificantRisk.objects.filter(partnership=partnership, domain=domain).exists():
        return f"“No significant risk” is already recorded for {label} on this partnership."
    count = Risk.objects.filter(partnership=partnership, domain=domain, status=RiskStatus.OPEN).count()
    if count:
        return (
            f"{label} has {count} open risk{'s' if count != 1 else ''} on this partnership, so it cannot also be "
            "recorded as holding no significant risk. Close the risks that no longer apply first."
        )
    return None


@transaction.atomic
def record_no_significant_risk(record, user=None, on=None):
    """Save a "no significant risk" record (its partnership and domain set), by ``user`` on ``on``."""
    refusal = no_significant_risk_refusal(record.partnership, record.domain)
    if refusal:
        raise ValidationError(refusal)
    record.assessed_by = user if getattr(user, "pk", None) else None
    record.assessed_on = on or local_today()
    record.full_clean()
    record.save()
    return record
