"""The indicator page, the partnership page's "Indicators" section and the values' download."""

import re

import pytest
from django.urls import reverse

from monitoring.models import IndicatorValue
from monitoring.tests.rows import more_measures, more_values
from tests.counting import measure
from tests.fixtures import sign_in
from tests.spreadsheets import read_records


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_indicator_page_charts_the_values_and_tables_the_same_numbers(client, world):
    sign_in(client, world, "executive")
    more_values(world, 2)
    body = client.get(reverse("monitoring:detail", args=[world.measure.pk])).content.decode()
    chart = re.search(r"<svg[^>]*accord-chart.*?</svg>", body, flags=re.S).group(0)
    assert 'aria-hidden="true"' in chart
    assert chart.count("<circle") == 3  # one dot a value
    assert "Target 5" in chart
    table = _text(re.search(r'<table class="nhsuk-table.*?</table>', body, flags=re.S).group(0))
    values = IndicatorValue.objects.filter(measure=world.measure).order_by("period_start")
    shown = re.findall(r"Value ([\d.,]+)", table)
    assert shown == [f"{v.value.normalize():f}" for v in values]
    # Lower is better, target 5: 4 is on target; the two added values (1 and 2) too.
    assert table.count("Green: on target") == 3
    assert "Record a value" not in body and "Edit the measure" not in body  # an executive reads only


def test_the_partnership_page_shows_its_indicators_and_offers_the_lead_to_measure_the_rest(client, world):
    sign_in(client, world, "owner")
    body = client.get(world.partnership.get_absolute_url()).content.decode()
    section = body[body.index('id="indicators"') :]
    assert reverse("monitoring:detail", args=[world.measure.pk]) in section
    assert "<svg" in section and "The figures charted" in section
    assert reverse("monitoring:add", args=[world.unmeasured_indicator.pk]) in section

    sign_in(client, world, "other_lead")
    body = client.get(world.partnership.get_absolute_url()).content.decode()
    assert reverse("monitoring:detail", args=[world.measure.pk]) in body
    assert reverse("monitoring:add", args=[world.unmeasured_indicator.pk]) not in body


def test_the_partnership_page_costs_the_same_however_many_indicators(client, world):
    sign_in(client, world, "coordinator")
    url = world.partnership.get_absolute_url()
    more_measures(world, 1)
    small, _ = measure(client, url)
    more_measures(world, 10)
    large, response = measure(client, url)
    assert response.content.decode().count("<svg") >= 12
    assert small == large


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_indicators_values_download(client, world, fmt):
    sign_in(client, world, "auditor")
    more_values(world, 3)
    response = client.get(reverse("monitoring:values"), {"measure": world.measure.pk, "export": fmt})
    records = read_records(response)
    assert len(records) == 4
    assert {r["Indicator"] for r in records} == {"Out-of-area placements"}
    assert records[0]["Partnership"] == world.partnership.reference
