"""A partner contributor and the indicators of their partnership: they read those shared with
partners (never the trust's notes, nor an indicator kept internal) and add a period's value to
one, through the same service as the lead, audited and validated alike."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import escape

from core.models import AuditEntry
from core.roles import Role
from monitoring import rules
from monitoring.models import IndicatorValue
from monitoring.tests.rows import INTERNAL, INTERNAL_NOTE, NOTE, _new_value, _quarter
from tests.fixtures import sign_in
from tests.rows import CONTRIBUTOR
from tests.world import make_user

pytestmark = pytest.mark.django_db


def test_a_contributor_sees_the_shared_indicators_without_the_trusts_notes(client, world):
    sign_in(client, world, CONTRIBUTOR)
    page = client.get(world.partnership.get_absolute_url()).content.decode()
    section = page[page.index('id="indicators"') :]
    assert reverse("monitoring:detail", args=[world.measure.pk]) in section and "<svg" in section
    assert INTERNAL not in page and reverse("monitoring:detail", args=[world.internal_measure.pk]) not in page
    assert escape(NOTE) not in page

    response = client.get(reverse("monitoring:detail", args=[world.measure.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert rules.LABELS[rules.GREEN] in body  # 4 against a target of 5, lower is better
    assert escape(NOTE) not in body and ">Note<" not in body
    assert reverse("monitoring:values") not in body  # no list of values, no download
    assert world.draft_agreement.get_absolute_url() not in body  # the agreement's page is the trust's
    assert reverse("monitoring:value_edit", args=[world.indicator_value.pk]) not in body
    assert reverse("monitoring:edit", args=[world.measure.pk]) not in body
    assert reverse("monitoring:value_add", args=[world.measure.pk]) in body

    assert client.get(reverse("monitoring:values")).status_code == 403
    assert client.get(reverse("monitoring:values"), {"export": "xlsx"}).status_code == 403
    assert client.get(reverse("monitoring:value_edit", args=[world.indicator_value.pk])).status_code == 403
    assert client.get(reverse("monitoring:edit", args=[world.measure.pk])).status_code == 403


@pytest.mark.parametrize("name", ["internal_measure", "other_measure"])
def test_an_indicator_not_shared_with_the_contributor_is_not_found(client, world, name):
    sign_in(client, world, CONTRIBUTOR)
    measure = getattr(world, name)
    for url_name in ("monitoring:detail", "monitoring:value_add"):
        assert client.get(reverse(url_name, args=[measure.pk])).status_code == 404, url_name
    assert client.post(reverse("monitoring:value_add", args=[measure.pk]), _new_value(world)).status_code == 404
    for value in (world.internal_value, world.other_indicator_value):
        assert client.get(reverse("monitoring:value_edit", args=[value.pk])).status_code == 404


def test_a_contributor_of_another_organisation_finds_none_of_them(client, world):
    client.force_login(make_user("other-contributor", role=Role.PARTNER_CONTRIBUTOR, organisation=world.other_org))
    for measure in (world.measure, world.internal_measure):
        assert client.get(reverse("monitoring:detail", args=[measure.pk])).status_code == 404
    assert client.get(reverse("monitoring:detail", args=[world.other_measure.pk])).status_code == 200


def test_a_contributors_value_is_recorded_audited_and_rated(client, world):
    sign_in(client, world, CONTRIBUTOR)
    url = reverse("monitoring:value_add", args=[world.measure.pk])
    assert 'name="note"' not in client.get(url).content.decode()
    # 9 against a target of 5 where lower is better: red, and the latest period.
    response = client.post(url, _new_value(world, back=0, value="9") | {"note": "Typed anyway"})
    recorded = IndicatorValue.objects.get(measure=world.measure, period_start=_quarter(world, 0))
    assert response.status_code == 302 and response["Location"] == recorded.get_absolute_url()
    assert recorded.value == 9 and recorded.note == "" and recorded.recorded_by == world.user(CONTRIBUTOR)
    entry = AuditEntry.objects.get(
        object_type=ContentType.objects.get_for_model(IndicatorValue), object_id=recorded.pk, action="create"
    )
    assert entry.user == world.user(CONTRIBUTOR)
    body = client.get(reverse("monitoring:detail", args=[world.measure.pk])).content.decode()
    latest = body[: body.index("latest:")]
    assert rules.LABELS[rules.RED] in latest


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda w: _new_value(w, value="twelve"), "Enter the value as a number"),
        (lambda w: _new_value(w, back=-1), "has not started yet"),
        (lambda w: _new_value(w, back=1), "is already recorded: change that value"),
        (lambda w: {"month": "", "year": "", "value": ""}, "Choose the month of the period."),
    ],
)
def test_a_contributors_bad_value_says_why_and_writes_nothing(client, world, data, message):
    sign_in(client, world, CONTRIBUTOR)
    before, audit = IndicatorValue.objects.count(), AuditEntry.objects.count()
    response = client.post(reverse("monitoring:value_add", args=[world.measure.pk]), data(world))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (IndicatorValue.objects.count(), AuditEntry.objects.count()) == (before, audit)
    # INTERNAL_NOTE never reached them on the way.
    assert INTERNAL_NOTE not in response.content.decode()
