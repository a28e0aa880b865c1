"""Recording values (the refusals), the overdue-value attention items, and ``shared_with``."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements.tests import builders
from core.roles import Role
from monitoring import selectors, services
from monitoring.models import IndicatorValue, Measure
from partnerships.models import PartnerRole
from tests.world import make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def setting():
    """A lead's partnership with an agreement in force from 3 April 2023 and a monthly measure."""
    lead = make_user("lead", role=Role.LEAD)
    partner = builders.organisation("Oxfordshire Mind", kind="vcse")
    partnership = builders.partnership("P-0100", lead=lead)
    PartnerRole.objects.create(partnership=partnership, organisation=partner)
    agreement = builders.in_force(builders.agreement(partnership, parties=[partner]))
    indicator = agreement.indicators.create(measure="Recovery rate", target="Above 50%")
    measure = services.define_measure(indicator, unit="percentage", direction="higher", target=Decimal(50))
    return lead, partner, measure


def test_a_value_is_recorded_for_the_period_holding_the_day(setting):
    lead, _, measure = setting
    value = services.record_value(measure, datetime.date(2026, 10, 17), Decimal("51.5"), user=lead, today=TODAY)
    assert (value.period_start, value.period_end, value.recorded_by) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 31),
        lead,
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime.date(2027, 1, 1), "January 2027 has not started yet"),
        (datetime.date(2023, 3, 1), "March 2023 ended before the agreement came into force on 3 April 2023"),
        (datetime.date(2026, 9, 1), "A value for September 2026 is already recorded"),
    ],
)
def test_a_period_to_come_before_the_agreement_or_recorded_already_is_refused(setting, day, message):
    _, _, measure = setting
    services.record_value(measure, datetime.date(2026, 9, 1), Decimal(50), today=TODAY)
    with pytest.raises(ValidationError, match=message):
        services.record_value(measure, day, Decimal(50), today=TODAY)
    assert IndicatorValue.objects.count() == 1


def test_the_month_the_agreement_began_may_have_a_value(setting):
    _, _, measure = setting
    assert services.record_value(measure, datetime.date(2023, 4, 1), Decimal(50), today=TODAY).pk


def overdue_values(user, today):
    """The monitoring kind of the user's "needs attention" items, as they read."""
    return [selectors.overdue_value_item(m, today) for m in selectors.overdue_value_rows(user, today)]


def test_an_overdue_value_needs_the_leads_attention_not_another_leads(setting):
    lead, _, measure = setting
    other = make_user("other", role=Role.LEAD)
    coordinator = make_user("coordinator", role=Role.COORDINATOR)
    executive = make_user("executive", role=Role.EXECUTIVE)
    services.record_value(measure, datetime.date(2026, 9, 1), Decimal(50), today=TODAY)

    (item,) = overdue_values(lead, TODAY)  # October ended more than a month ago
    assert (item.reference, item.title, item.due) == ("P-0100", "Recovery rate", datetime.date(2026, 11, 30))
    assert item.message == "No value recorded for October 2026: it was due by 30 November 2026."
    assert len(overdue_values(coordinator, TODAY)) == 1
    assert overdue_values(other, TODAY) == []
    assert overdue_values(executive, TODAY) == []

    services.record_value(measure, datetime.date(2026, 10, 1), Decimal(50), today=TODAY)
    assert overdue_values(lead, TODAY) == []


def test_overdue_values_are_counted_in_one_query(setting, django_assert_num_queries):
    lead, _, _ = setting
    with django_assert_num_queries(1):
        assert selectors.overdue_value_rows(lead, TODAY).count() == 1


def test_shared_with_gives_a_partners_shared_measures_only(setting):
    _, partner, measure = setting
    stranger = builders.organisation("Elsewhere Trust")
    assert list(Measure.objects.shared_with(partner)) == []
    measure.shared_with_partners = True
    measure.save()
    services.record_value(measure, datetime.date(2026, 9, 1), Decimal(50), today=TODAY)
    assert list(Measure.objects.shared_with(partner)) == [measure]
    assert IndicatorValue.objects.shared_with(partner).count() == 1
    assert list(Measure.objects.shared_with(stranger)) == []
    assert IndicatorValue.objects.shared_with(stranger).count() == 0
