"""``seed_bench``'s contract-monitoring step: the values asked for, five years to an indicator."""

import pytest

from monitoring.models import IndicatorValue, Measure
from partnerships.synthetic import seed_bench

pytestmark = pytest.mark.django_db


def test_the_bench_writes_the_values_asked_for():
    seed_bench(30, risks=0, governance_bodies=0, interests=0, ig=False, indicator_values=130)
    assert IndicatorValue.objects.count() == 130
    first = Measure.objects.order_by("pk").first()
    assert first.values.count() == 60
    assert set(Measure.objects.values_list("indicator__agreement__status", flat=True)) == {"in_force"}
    assert Measure.objects.count() == 3
