"""A partnership lead records a safeguarding concern reported by a partner on their partnership's
page, moves it under review, agrees the learning, and finds it in the learning digest; the pages
have no serious accessibility problems."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from incidents.tests.builders import partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_records_a_concern_and_agrees_its_learning(users, login, axe_violations, live_server):
    omhp = partnership(lead=users[Role.LEAD], partners=("Oxfordshire Mind", "Response", "Restore"))
    page = login(users[Role.LEAD])
    page.goto(f"{live_server.url}{omhp.get_absolute_url()}")
    page.get_by_role("link", name="Record an incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add incident")
    assert axe_violations() == []
    page.get_by_label("Safeguarding concern").check()
    page.get_by_label("Date", exact=True).fill("11/02/2019")
    page.get_by_label("Reported by").select_option(label="Oxfordshire Mind")
    page.get_by_label("Low harm").check()
    page.get_by_label("Summary").fill("A tenant said a visitor was taking their money.")
    page.get_by_label("Response").check()
    page.get_by_role("button", name="Add incident").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding concern of 11/02/2019")
    expect(page.get_by_text("Open", exact=True)).to_be_visible()
    assert axe_violations() == []
    page.get_by_role("link", name="Move to “under review”").click()
    page.get_by_role("button", name="Move the incident").click()
    expect(page.get_by_text("Incident now under review.")).to_be_visible()

    page.get_by_role("link", name="Move to “learning agreed”").click()
    page.get_by_role("button", name="Move the incident").click()
    expect(page.get_by_text("Record the learning before it is agreed.").first).to_be_visible()
    assert axe_violations() == []
    page.get_by_role("textbox", name="Learning").fill("Partners raise financial abuse concerns the same day.")
    page.get_by_role("button", name="Move the incident").click()
    expect(page.get_by_text("Incident now learning agreed.")).to_be_visible()

    page.goto(f"{live_server.url}/incidents/learning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning digest")
    expect(page.get_by_text("Partners raise financial abuse concerns the same day.")).to_be_visible()
    assert axe_violations() == []
