"""``manage.py seed_demo``: TalkingSpace Plus's indicators, through the services, idempotent."""

import pytest

from agreements.models import AgreementStatus
from core.dates import local_today
from monitoring import demo as monitoring_demo
from monitoring import periods, selectors
from monitoring.models import IndicatorValue, Measure
from tests.fixtures import seed_demo

pytestmark = pytest.mark.django_db


def test_talkingspace_plus_has_two_years_of_monthly_figures_and_a_second_run_adds_nothing(demo):
    output = demo.output
    assert "3 indicator measures" in output and "72 indicator values" in output
    measures = Measure.objects.filter(indicator__agreement__partnership__reference=monitoring_demo.TALKINGSPACE)
    assert measures.count() == 3
    assert measures.first().indicator.agreement.status == AgreementStatus.IN_FORCE
    recovery = measures.get(unit="percentage")
    assert recovery.national_target == 50
    latest = recovery.values.order_by("period_start").last()
    assert latest.period_start == periods.add_months(local_today().replace(day=1), -1)
    ratings = {reading.rating for m in measures for reading in selectors.measure_readings(m)}
    assert ratings == {"green", "amber", "red"}

    count = IndicatorValue.objects.count()
    assert "indicator value" not in seed_demo()
    assert IndicatorValue.objects.count() == count
