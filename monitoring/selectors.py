"""What the monitoring pages read: a measure's values with their RAG ratings, a partnership's
indicators, and the values that are overdue."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, DateField, Exists, OuterRef, Q, Value, When

from agreements.models import AgreementStatus, Indicator
from core.dates import day
from core.permissions import grant, scope
from monitoring import charts, periods, rules
from monitoring.models import Frequency, IndicatorValue, Measure

PANEL_PERIODS = 12  # how many of the latest values the partnership page charts


@dataclass(frozen=True)
class Reading:
    """One period's value as the pages show it."""

    value: IndicatorValue
    name: str
    rating: str | None

    @property
    def shown(self):
        return charts.figure_text(self.value.value)

    @property
    def rating_label(self):
        return rules.LABELS.get(self.rating, "")

    @property
    def colour(self):
        return rules.TAG_COLOURS.get(self.rating, "grey")


def readings(measure, values):
    """Each value of ``measure`` (oldest first) with its period's name and RAG rating."""
    return [
        Reading(
            v,
            periods.period_name(v.period_start, measure.frequency),
            rules.rag(v.value, measure.target, measure.direction),
        )
        for v in values
    ]


def measure_readings(measure):
    """Every value of the measure, oldest first, rated: one query."""
    return readings(measure, measure.values.order_by("period_start"))


@dataclass
class IndicatorRow:
    """An indicator of one of the partnership's agreements, with its measure and latest values."""

    indicator: Indicator
    measure: Measure | None
    readings: list
    chart: object = None  # monitoring.charts.Chart of the readings, set by the panel

    @property
    def latest(self):
        return self.readings[-1] if self.readings else None


def partnership_indicators(partnership, user):
    """The indicators of the partnership's agreements the user may see, each with its measure and
    its latest values (at most :data:`PANEL_PERIODS`): two queries, whatever the number."""
    indicators = scope(user, "view", Indicator.objects.filter(agreement__partnership=partnership))
    indicators = list(
        indicators.select_related("agreement", "monitoring_measure").order_by(
            "agreement__title", "agreement__version", "pk"
        )
    )
    measures = [i.monitoring_measure for i in indicators if _measure_of(i) is not None]
    values = {}
    if measures and grant(user, "view", IndicatorValue) is not None:
        for value in IndicatorValue.objects.filter(measure__in=measures).order_by("measure_id", "period_start"):
            values.setdefault(value.measure_id, []).append(value)
    rows = []
    for indicator in indicators:
        measure = _measure_of(indicator)
        shown = readings(measure, values.get(measure.pk, [])[-PANEL_PERIODS:]) if measure else []
        rows.append(IndicatorRow(indicator, measure, shown))
    return rows


def partner_indicators(partnership, user):
    """A partner contributor's indicators of ``partnership``: only those whose measure is shared with
    partners, each with its latest values (at most :data:`PANEL_PERIODS`). Two queries."""
    measures = list(
        Measure.objects.party_to(user)
        .filter(indicator__agreement__partnership=partnership)
        .select_related("indicator__agreement")
        .order_by("indicator__agreement__title", "indicator__agreement__version", "indicator_id")
    )
    values = {}
    if measures:
        for value in IndicatorValue.objects.filter(measure__in=measures).order_by("measure_id", "period_start"):
            values.setdefault(value.measure_id, []).append(value)
    return [IndicatorRow(m.indicator, m, readings(m, values.get(m.pk, [])[-PANEL_PERIODS:])) for m in measures]


def _measure_of(indicator):
    return getattr(indicator, "monitoring_measure", None)


@dataclass(frozen=True)
class ValueOverdue:
    """A measure whose latest due period has no value (``core.attention`` fields)."""

    measure: Measure
    period: str
    due: datetime.date
    tag: str = "Indicator value overdue"
    colour: str = "red"

    @property
    def title(self):
        return str(self.measure)

    @property
    def url(self):
        return self.measure.get_absolute_url()

    @property
    def reference(self):
        return self.measure.indicator.agreement.partnership.reference

    @property
    def message(self):
        return f"No value recorded for {self.period}: it was due by {day(self.due)}."


def overdue_value_rows(user, today):
    """The measures of agreements in force, among those the user enters values for, whose latest
    period that ended more than a month ago has no value. Each frequency's latest period due is
    worked out once (``periods``), so the filter and the due date are plain SQL; "no value since"
    is one look in the values' (measure, period) index per measure, not a maximum over them all."""
    measures = (
        scope(user, "change", Measure.objects.all())
        .filter(indicator__agreement__status=AgreementStatus.IN_FORCE)
        .select_related("indicator__agreement__partnership")
    )
    missing, due = Q(pk__in=[]), []
    for frequency in Frequency.values:
        start = periods.last_due(today, frequency)
        since = IndicatorValue.objects.filter(measure=OuterRef("pk"), period_start__gte=start)
        missing |= Q(frequency=frequency) & ~Exists(since)
        due.append(When(frequency=frequency, then=Value(_due_by(start, frequency))))
    return measures.filter(missing).annotate(attention_due=Case(*due, output_field=DateField()))


def _due_by(start, frequency):
    """A period's value is due a month after the period ends."""
    return periods.same_day_months_later(periods.period_end(start, frequency), 1)


def overdue_value_item(measure, today):
    start = periods.last_due(today, measure.frequency)
    return ValueOverdue(measure, periods.period_name(start, measure.frequency), measure.attention_due)
