"""Synthetic contract monitoring for the benchmark (``manage.py seed_bench --indicator-values N``).

The first partnerships of the register, one after another, get a contract with one measured
indicator and five years of monthly values (60) up to the month before today's, until N values
are written (100,000 by default: 1,667 indicators). The first such indicator is the benchmark's
"indicator page with five years of monthly values".

Written with ``bulk_create``; agreements, indicators and measures are audited with
:func:`core.audit.record_bulk`, the values are not (the audit trail is not what this benchmark
measures, as in ``governance.synthetic``).
"""

from decimal import Decimal

from agreements.models import Agreement, AgreementKind, AgreementStatus, Commencement, Indicator
from core.audit import record_bulk
from monitoring import periods
from monitoring.models import IndicatorValue, Measure

MONTHS = 60

BENCH_ARGUMENTS = (
    (
        ("--indicator-values",),
        {
            "type": int,
            "default": 100_000,
            "help": f"Monthly indicator values in all, {MONTHS} per indicator (default 100,000; 0 for none).",
        },
    ),
)


class MonitoringBench:
    """``seed_bench``'s contract-monitoring step."""

    def __init__(self, values, today):
        self.wanted, self.made = values, 0
        self.first = periods.add_months(today.replace(day=1), -MONTHS)

    def partnerships(self, created):
        counts = []
        for _ in created:
            n = min(MONTHS, self.wanted - self.made - sum(counts))
            if n <= 0:
                break
            counts.append(n)
        if not counts:
            return
        partnerships = created[: len(counts)]
        agreements = Agreement.objects.bulk_create(
            Agreement(
                partnership=p,
                kind=AgreementKind.CONTRACT,
                title=f"{p.reference} service contract",
                commencement=Commencement.STATED_DATE,
                stated_commencement_date=self.first,
                status=AgreementStatus.IN_FORCE,
            )
            for p in partnerships
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(agreement=a, measure="Referrals received", frequency="Monthly", target="1,000 a month")
            for a in agreements
        )
        measures = Measure.objects.bulk_create(
            Measure(indicator=i, unit="number", direction="higher", target=Decimal(1000), frequency="monthly")
            for i in indicators
        )
        for batch in (agreements, indicators, measures):
            record_bulk(batch)
        IndicatorValue.objects.bulk_create(
            (value for measure, n in zip(measures, counts, strict=True) for value in self.values(measure, n)),
            batch_size=5000,
        )
        self.made += sum(counts)

    def values(self, measure, n):
        for i in range(n):
            start = periods.add_months(self.first, i)
            figure = Decimal(900 + (measure.pk * 37 + i * 53) % 250)
            yield IndicatorValue(
                measure=measure, period_start=start, period_end=periods.period_end(start, "monthly"), value=figure
            )

    def summary(self):
        return f"{Measure.objects.count():,} measured indicators, {IndicatorValue.objects.count():,} indicator values"


def bench_step(options, context):
    """The contract monitoring of ``seed_bench`` (``core.registry.bench_step``), or ``None``."""
    values = options.get("indicator_values", 100_000)
    if values <= 0:
        return None
    return MonitoringBench(values, context.today)
