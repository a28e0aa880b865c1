"""Contract monitoring's rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

from decimal import Decimal

from core.dates import local_today
from monitoring import periods
from monitoring.models import IndicatorValue, Measure
from tests.rows import (
    CHANGERS,
    NHS_NUMBER_SHOWN,
    NOT_ALLOWED,
    OK,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    changes,
    everyone,
    only,
    pk_of,
)
from tests.world import NHS_NUMBER

NOTE = "Two placements out of area while the ward was closed for refurbishment."
INTERNAL = "Delayed transfers of care"
INTERNAL_NOTE = "Counted from the trust's bed-management system."


def _quarter(w, back):
    """The start of the quarter ``back`` quarters before the current one."""
    return periods.add_months(periods.period_start(local_today(), "quarterly"), -3 * back)


def build(w):
    """``measure`` on the agreements' world ``indicator`` (out-of-area placements, quarterly, lower is
    better, target 5, shared with partners) with ``indicator_value`` for last quarter (its note the
    trust's), ``other_measure`` on the other lead's ``other_indicator`` (recovery rate, shared with
    that partnership's partners) with ``other_indicator_value``; ``internal_measure`` on P-0001,
    not shared (``internal_value``); and an indicator not measured yet on each partnership's
    agreement (``unmeasured_indicator``, ``other_unmeasured_indicator``)."""
    w.measure = Measure.objects.create(
        indicator=w.indicator,
        unit="number",
        direction="lower",
        target=5,
        frequency="quarterly",
        shared_with_partners=True,
    )
    w.indicator_value = _value(w.measure, _quarter(w, 1), 4, NOTE)
    w.other_measure = Measure.objects.create(
        indicator=w.other_indicator,
        unit="percentage",
        direction="higher",
        target=50,
        national_target=50,
        shared_with_partners=True,
    )
    w.internal_measure = Measure.objects.create(
        indicator=w.draft_agreement.indicators.create(measure=INTERNAL),
        unit="number",
        direction="lower",
        target=10,
        frequency="quarterly",
    )
    w.internal_value = _value(w.internal_measure, _quarter(w, 1), 12, INTERNAL_NOTE)
    w.other_indicator_value = _value(w.other_measure, periods.add_months(local_today().replace(day=1), -2), 47, "")
    w.unmeasured_indicator = w.draft_agreement.indicators.create(measure="People seen within 18 weeks")
    w.other_unmeasured_indicator = w.other_agreement.indicators.create(measure="Wellbeing referrals")


def _value(measure, start, value, note):
    return IndicatorValue.objects.create(
        measure=measure,
        period_start=start,
        period_end=periods.period_end(start, measure.frequency),
        value=Decimal(value),
        note=note,
    )


def measure_data(measure, **changes):
    data = {
        "unit": measure.unit,
        "direction": measure.direction,
        "target": str(measure.target),
        "national_target": "" if measure.national_target is None else str(measure.national_target),
        "frequency": measure.frequency,
    }
    if measure.shared_with_partners:
        data["shared_with_partners"] = "on"
    return data | changes


def _new_value(w, back=2, value="3"):
    start = _quarter(w, back)
    return {"month": str(start.month), "year": str(start.year), "value": value, "note": ""}


def _measure(w, name="measure"):
    return Measure.objects.get(pk=getattr(w, name).pk)


# Read by everyone, like the agreement's indicators; measured and given values by the keepers and
# the partnership's own leads. A value is corrected, never deleted. A partner contributor of
# P-0001's partner reads ``measure`` (shared with partners) and adds a value to it; the values
# list, the measure's form and a value's correction are the trust's.
PAGES = {
    "monitoring:values": Page(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "monitoring:detail": Page(args=pk_of("measure"), get=everyone(OK, contributor=OK), post=everyone(NOT_ALLOWED)),
    "monitoring:add": changes(
        pk_of("unmeasured_indicator"),
        data=lambda w: {"unit": "percentage", "direction": "higher", "target": "92", "frequency": "monthly"},
        effect=lambda w: Measure.objects.filter(
            indicator=w.unmeasured_indicator, target=92, unit="percentage"
        ).exists(),
    ),
    "monitoring:edit": changes(
        pk_of("measure"),
        data=lambda w: measure_data(w.measure, target="4"),
        effect=lambda w: _measure(w).target == 4,
    ),
    "monitoring:value_add": Page(
        args=pk_of("measure"),
        get=only(OK, CHANGERS, contributor=OK),
        post=only(SAVED, CHANGERS, contributor=SAVED),
        data=_new_value,
        effect=lambda w: IndicatorValue.objects.filter(
            measure=w.measure, period_start=_quarter(w, 2), value=3
        ).exists(),
    ),
    "monitoring:value_edit": changes(
        pk_of("indicator_value"),
        data=lambda w: {"value": "6", "note": NOTE},
        effect=lambda w: IndicatorValue.objects.get(pk=w.indicator_value.pk).value == 6,
    ),
}

THEIRS = {
    "monitoring:add": (
        pk_of("other_unmeasured_indicator"),
        lambda w: {"unit": "number", "direction": "higher", "target": "1", "frequency": "monthly"},
    ),
    "monitoring:edit": (pk_of("other_measure"), lambda w: measure_data(w.other_measure, target="1")),
    "monitoring:value_add": (pk_of("other_measure"), lambda w: _new_value(w)),
    "monitoring:value_edit": (pk_of("other_indicator_value"), lambda w: {"value": "99", "note": ""}),
}

EXPORTS = {
    # Every role reads every indicator's values; the download of one indicator's is filtered by it.
    "monitoring:values": Export(
        key="Indicator",
        rows=lambda w, role: sorted(
            str(v.measure) for v in IndicatorValue.objects.select_related("measure__indicator")
        ),
        filter={"q": "Recovery"},
        filtered_rows=lambda w, role: [str(w.other_measure)],
    ),
}


def private(w):
    """What only those signed in may read (a partner contributor: never, the notes are the trust's;
    nor the indicators not shared with partners)."""
    return [NOTE, INTERNAL, INTERNAL_NOTE]


AUDIT = {
    "monitoring.Measure": Change(
        lambda w: Measure.objects.create(
            indicator=w.unmeasured_indicator, unit="number", direction="higher", target=Decimal(10), frequency="monthly"
        ),
        "target",
        "10",
        Decimal(12),
        "12",
        parent=lambda w: w.unmeasured_indicator,
        actions=("create", "update"),
    ),
    "monitoring.IndicatorValue": Change(
        lambda w: _value(w.measure, _quarter(w, 3), 2, ""),
        "value",
        "2",
        Decimal(3),
        "3",
        parent=lambda w: w.measure,
        actions=("create", "update"),
    ),
}

FORMS = {
    "indicator measure: nothing filled in": Form(
        "monitoring:add",
        pk_of("unmeasured_indicator"),
        lambda w: {"target": "about fifty"},
        {
            "unit": "Choose the unit the indicator is measured in.",
            "direction": "Choose whether a higher or a lower value is better.",
            "target": "Enter the target as a number",
            "frequency": "Choose how often a value is recorded.",
        },
    ),
    "indicator measure: frequency changed once values are recorded": Form(
        "monitoring:edit",
        pk_of("measure"),
        lambda w: measure_data(w.measure, frequency="monthly"),
        {"frequency": "its frequency cannot change"},
        role="owner",
    ),
    "indicator value: not a number, no period": Form(
        "monitoring:value_add",
        pk_of("measure"),
        lambda w: {"month": "", "year": "", "value": "twelve"},
        {
            "month": "Choose the month of the period.",
            "year": "Enter the year of the period",
            "value": "Enter the value as a number",
        },
    ),
    "indicator value: a period to come": Form(
        "monitoring:value_add",
        pk_of("measure"),
        lambda w: _new_value(w, back=-1),
        {"month": "has not started yet"},
    ),
    "indicator value: a period already recorded": Form(
        "monitoring:value_add",
        pk_of("measure"),
        lambda w: _new_value(w, back=1),
        {"month": "is already recorded: change that value"},
        role="delegate",
    ),
    "indicator value edit: an NHS number in the note": Form(
        "monitoring:value_edit",
        pk_of("indicator_value"),
        lambda w: {"value": "4", "note": f"Placement of {NHS_NUMBER}"},
        {"note": NHS_NUMBER_SHOWN},
    ),
}


def more_values(w, n):
    first = IndicatorValue.objects.filter(measure=w.measure).order_by("period_start").first().period_start
    for i in range(1, n + 1):
        _value(w.measure, periods.add_months(first, -3 * i), i % 7, "")


def more_measures(w, n):
    for i in range(n):
        indicator = w.draft_agreement.indicators.create(measure=f"Indicator {i}")
        measure = Measure.objects.create(indicator=indicator, unit="number", target=10)
        _value(measure, periods.add_months(local_today().replace(day=1), -2), i, "")


QUERIES = {
    "monitoring:values": Growth(more_values),
    "monitoring:detail": Growth(more_values, args=pk_of("measure")),
}

STALE = {
    "indicator measure": Stale(
        "monitoring:edit",
        pk_of("measure"),
        theirs={"target": "4"},
        yours={"national_target": "3"},
        row=("Target", "5", "4", None),
        their_fields={"target"},
        your_fields={"national_target"},
    ),
    "indicator value": Stale(
        "monitoring:value_edit",
        pk_of("indicator_value"),
        theirs={"value": "6"},
        yours={"note": "Counted again after the ward reopened."},
        row=("Value", "4", "6", None),
        their_fields={"value"},
        your_fields={"note"},
    ),
}

RECORDS = {
    "monitoring.IndicatorValue": lambda w: w.indicator_value,
}


# A partner contributor's own: the indicator shared with partners, and adding its value.
PARTNER_PAGES = {
    "monitoring:detail": lambda w: [[w.measure.pk]],
    "monitoring:value_add": lambda w: [[w.measure.pk]],
}
# Another organisation's indicator and value, and P-0001's kept from partners, typed into every URL.
OTHER_RECORDS = ("other_measure", "internal_measure", "other_indicator_value", "internal_value")
