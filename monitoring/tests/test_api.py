"""Indicators' measurable forms and their values through the API: the monitoring pages' forms,
rules (one value a period, a frequency fixed once values are recorded) and messages, audited as
the API's. Who may call what is walked by ``tests/test_api_matrix.py``."""

from decimal import Decimal

from core.dates import local_today
from core.validators import NHS_NUMBER_MESSAGE
from monitoring import periods
from monitoring.models import IndicatorValue, Measure
from tests.api_calls import api_entries, assert_list_cost_fixed, etag_of, last_entry, send, state, token_client
from tests.world import NHS_NUMBER

MEASURES = "/api/measures/"
VALUES = "/api/indicator-values/"


def test_an_indicator_is_given_its_measurable_form_once(world):
    client, token = token_client(world, "owner")
    since = last_entry()
    data = {"indicator": world.unmeasured_indicator.pk, "unit": "number", "direction": "higher", "target": "80"}

    made = send(client, "post", MEASURES, {**data, "frequency": "monthly"})

    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["indicator"], body["target"], body["frequency"]) == (world.unmeasured_indicator.pk, "80.00", "monthly")
    url = f"{MEASURES}{body['id']}/"
    changed = send(client, "patch", url, {"target": "85.5"}, made["ETag"])
    assert changed.status_code == 200, changed.content
    assert Measure.objects.get(pk=body["id"]).target == Decimal("85.5")
    assert [e.action for e in api_entries(since, token)] == ["create", "update"]
    before = state()
    again = send(client, "post", MEASURES, {**data, "frequency": "monthly"})
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "This indicator already has its measurable form: change it from the indicator's page."
    )
    assert state() == before


def test_a_measures_rules_give_the_pages_messages_and_write_nothing(world):
    client, _ = token_client(world, "coordinator")
    url = f"{MEASURES}{world.measure.pk}/"
    before = state()

    refused = send(client, "patch", url, {"frequency": "monthly", "target": "lots"}, etag_of(client, url))

    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "frequency": ["Values are already recorded for this indicator's periods: its frequency cannot change."],
        "target": ["Enter the target as a number, for example 50 or 15000."],
    }
    assert state() == before


def test_a_periods_value_is_recorded_once_then_corrected(world):
    client, token = token_client(world, "delegate")
    since = last_entry()
    today = local_today()
    data = {"measure": world.measure.pk, "month": str(today.month), "year": today.year, "value": "3"}

    made = send(client, "post", VALUES, data)

    assert made.status_code == 201, made.content
    body = made.json()
    assert body["period_start"] == periods.period_start(today, "quarterly").isoformat()
    assert body["recorded_by"] == world.user("delegate").pk
    url = f"{VALUES}{body['id']}/"
    corrected = send(client, "patch", url, {"value": "2", "note": "Recounted"}, made["ETag"])
    assert corrected.status_code == 200, corrected.content
    assert IndicatorValue.objects.get(pk=body["id"]).value == Decimal("2")
    assert [e.action for e in api_entries(since, token)] == ["create", "update"]

    before = state()
    twice = send(client, "post", VALUES, data)
    assert twice.status_code == 400
    assert twice.json()["errors"]["month"][0].endswith(
        "is already recorded: change that value instead of adding another."
    )
    nhs = send(client, "patch", url, {"note": f"Patient {NHS_NUMBER}"}, corrected["ETag"])
    assert nhs.status_code == 400 and nhs.json()["errors"]["note"] == [NHS_NUMBER_MESSAGE]
    assert send(client, "delete", url, etag=corrected["ETag"]).status_code == 405  # corrected, never deleted
    assert state() == before


def test_the_values_list_filters_as_the_page_does(world):
    client, _ = token_client(world, "auditor")
    of_measure = client.get(f"{VALUES}?measure={world.measure.pk}").json()["results"]
    assert [row["id"] for row in of_measure] == [world.indicator_value.pk]
    searched = client.get(f"{VALUES}?q=recovery").json()["results"]
    assert [row["id"] for row in searched] == [world.other_indicator_value.pk]
    assert client.get(f"{VALUES}?measure=many").status_code == 400


def test_a_page_of_values_costs_the_same_queries_whatever_its_length(world):
    def grow(n):
        start = periods.period_start(local_today(), "monthly")
        for back in range(3, 3 + n):  # the world holds one two months back
            period = periods.add_months(start, -back)
            IndicatorValue.objects.create(
                measure=world.other_measure,
                period_start=period,
                period_end=periods.period_end(period, "monthly"),
                value=back,
            )

    assert_list_cost_fixed(token_client(world)[0], f"{VALUES}?page_size=200", grow)
