"""What contract monitoring shows on the partnership page (registered in ``monitoring/apps.py``)."""

from agreements.models import Indicator
from core.permissions import OWN, grant
from core.roles import sees_as_partner
from monitoring import charts, selectors
from monitoring.models import Measure


def partnership_indicators(request, partnership):
    """The "Indicators" section: each indicator of the partnership's agreements with its latest
    values charted and rated, and a link to measure those not measured yet. Three queries."""
    rows = selectors.partnership_indicators(partnership, request.user)
    if not rows:
        return None
    for row in rows:
        row.chart = charts.trend_chart(row.readings, row.measure) if row.readings else None
    unmeasured = [row.indicator.pk for row in rows if row.measure is None]
    can_measure = set(_measurable(request.user, unmeasured)) if unmeasured else set()
    return {"rows": rows, "can_measure": can_measure}


def indicators_for_partners(request, partnership):
    """A partner contributor's "Indicators" section: the indicators shared with partners, charted
    and rated, without the trust's notes; nothing when none is shared. Two queries."""
    if not sees_as_partner(request.user):
        return None
    rows = selectors.partner_indicators(partnership, request.user)
    if not rows:
        return None
    for row in rows:
        row.chart = charts.trend_chart(row.readings, row.measure) if row.readings else None
    return {"rows": rows, "can_measure": set()}


def _measurable(user, indicator_ids):
    """The indicators among ``indicator_ids`` the user may give a measure (those of partnerships
    they change, for a lead)."""
    extent = grant(user, "add", Measure)
    if extent is None:
        return []
    indicators = Indicator.objects.filter(pk__in=indicator_ids)
    if extent == OWN:
        indicators = indicators.owned_by(user)
    return indicators.values_list("pk", flat=True)
