"""Two people edit the same partnership at once, each in a browser of their own (the issue's
scenario): the coordinator saves a new title; the lead, whose page was opened before, saves only a
new value. The lead's save is refused and shows the coordinator's change; one press applies the
lead's value on top of it, and the history shows each person's own change. Nothing is overwritten
without a word."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD
from core.models import AuditEntry
from partnerships.models import ArrangementType, Partnership, Status, ValueQualifier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_TITLE = "Thames Valley Forensic Network"
NEW_TITLE = "Thames Valley and Wessex Forensic Network"


@pytest.fixture
def partnership(users):
    return Partnership.objects.create(
        reference="P-0001",
        title=OLD_TITLE,
        purpose="Secure care close to home.",
        arrangement_type=ArrangementType.PROVIDER_COLLABORATIVE,
        status=Status.ACTIVE,
        lead=users["lead"],
        annual_value=Decimal("65000000"),
        value_qualifier=ValueQualifier.APPROXIMATE,
        start_date=datetime.date(2020, 4, 1),
    )


@pytest.fixture
def coordinators_page(browser, live_server, users):
    """The coordinator, signed in in a browser context of their own (their own cookies)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(users["coordinator"].username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    yield page
    context.close()


def test_a_stale_save_shows_what_changed_and_applies_the_users_change_on_top(
    users, login, coordinators_page, axe_violations, partnership, live_server
):
    edit = f"{live_server.url}/partnerships/{partnership.pk}/edit/"
    leads_page = login(users["lead"])
    leads_page.goto(edit)
    coordinators_page.goto(edit)

    coordinators_page.get_by_label("Title").fill(NEW_TITLE)
    coordinators_page.get_by_role("button", name="Save changes").click()
    expect(coordinators_page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)

    leads_page.get_by_label("Annual value (£)").fill("70000000")
    leads_page.get_by_role("button", name="Save changes").click()

    summary = leads_page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Someone else changed the partnership after you opened this page.")
    expect(summary).to_contain_text("Your changes have not been saved.")
    expect(summary).to_contain_text("Ben Cahill saved changes on")
    assert Partnership.objects.get(pk=partnership.pk).annual_value == Decimal("65000000")
    row = leads_page.get_by_role("row").filter(has_text="Title")
    expect(row).to_contain_text(OLD_TITLE)
    expect(row).to_contain_text(NEW_TITLE)
    expect(row).to_contain_text("You did not change it")
    expect(leads_page.get_by_label("Title")).to_have_value(NEW_TITLE)
    expect(leads_page.get_by_label("Annual value (£)")).to_have_value("70000000")
    assert axe_violations() == []

    leads_page.get_by_role("button", name="Save changes").click()

    expect(leads_page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    expect(leads_page.get_by_role("definition").filter(has_text="About £70,000,000")).to_be_visible()
    updates = AuditEntry.objects.for_object(partnership).filter(action="update").order_by("id")
    assert [(e.user_name, e.changed_fields) for e in updates] == [
        ("Ben Cahill", ["title"]),
        ("Anne Clarke", ["annual_value"]),
    ]
