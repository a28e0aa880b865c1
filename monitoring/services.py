"""The writes of contract monitoring, each validated, audited (``core.audit`` records every save)
and all-or-nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.lifecycle import commencement_date
from core.dates import day, local_today
from monitoring import periods
from monitoring.models import IndicatorValue, Measure


def period_refusal(measure, start, today=None):
    """Why no value may be recorded for the period starting on ``start``, or None.

    A period still to come has no value yet; nor has one that ended before the agreement came
    into force (when that date is known); and a period has one value only: a second is an edit of
    the first.
    """
    today = today or local_today()
    name = periods.period_name(start, measure.frequency)
    if start > today:
        return f"{name} has not started yet: enter a period up to today."
    agreement = measure.indicator.agreement
    began = commencement_date(agreement)
    if began and periods.period_end(start, measure.frequency) < began:
        return f"{name} ended before the agreement came into force on {day(began)}."
    if measure.values.filter(period_start=start).exists():
        return f"A value for {name} is already recorded: change that value instead of adding another."
    return None


@transaction.atomic
def define_measure(indicator, **fields):
    """Give an agreement's indicator its measurable form."""
    measure = Measure(indicator=indicator, **fields)
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def record_value(measure, start, value, note="", user=None, today=None):
    """Record ``measure``'s value for the period holding ``start`` (refused as ``period_refusal`` says)."""
    start = periods.period_start(start, measure.frequency)
    refusal = period_refusal(measure, start, today)
    if refusal:
        raise ValidationError(refusal)
    recorded = IndicatorValue(
        measure=measure,
        period_start=start,
        period_end=periods.period_end(start, measure.frequency),
        value=value,
        note=note,
        recorded_by=user,
    )
    recorded.full_clean()
    recorded.save()
    return recorded
