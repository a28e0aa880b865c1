"""A partnership lead gives an indicator of their agreement a measurable form, records two months'
values (the second short of the target, so amber), is refused a second value for the same month
with a clear message, and sees the trend chart and its table; the pages have no serious
accessibility problems."""

import datetime

import pytest
from playwright.sync_api import expect

from agreements.tests import builders
from core.dates import local_today
from monitoring import periods

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership(users):
    p = builders.partnership("P-0004", lead=users["lead"], title="TalkingSpace Plus")
    mind = builders.organisation("Oxfordshire Mind", kind="vcse")
    agreement = builders.in_force(builders.agreement(p, parties=[mind], title="TalkingSpace Plus contract"))
    agreement.indicators.create(measure="Recovery rate", target="Above the national target of 50%")
    return p


def record(page, month, value):
    page.get_by_role("link", name="Record a value").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a value")
    page.get_by_label("Month").select_option(label=f"{month:%B}")
    page.get_by_label("Year").fill(str(month.year))
    page.get_by_label("Value").fill(value)
    page.get_by_role("button", name="Record the value").click()


def test_a_lead_measures_an_indicator_and_records_its_values(users, login, axe_violations, partnership, live_server):
    page = login(users["lead"])
    page.goto(f"{live_server.url}{partnership.get_absolute_url()}")
    expect(page.get_by_role("heading", level=2, name="Indicators")).to_be_visible()
    page.get_by_role("link", name="Give it a unit and a target").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measure an indicator")
    assert axe_violations() == []
    page.get_by_label("Percentage").check()
    page.get_by_label("Higher is better").check()
    page.get_by_label("Target", exact=True).fill("50")
    page.get_by_label("National target").fill("50")
    page.get_by_label("Monthly").check()
    page.get_by_role("button", name="Save the measure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery rate")

    last_month = periods.add_months(local_today().replace(day=1), -1)
    month_before = periods.add_months(last_month, -1)
    record(page, month_before, "52.5")
    expect(page.get_by_role("cell", name=f"{month_before:%B %Y}", exact=True)).to_be_visible()
    record(page, last_month, "47")
    expect(page.locator("p strong.nhsuk-tag").first).to_have_text("Amber: within 10% of target")
    assert page.locator("svg.accord-chart circle").count() == 2
    assert axe_violations() == []

    record(page, last_month + datetime.timedelta(days=3), "49")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text(f"A value for {last_month:%B %Y} is already recorded")
    assert axe_violations() == []
