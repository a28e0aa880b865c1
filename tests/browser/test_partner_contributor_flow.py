"""The coordinator invites a partner contributor from Oxfordshire Mind's page; the contributor opens
the link in the e-mail, chooses a password, logs in and sees only Mind's partnerships, on pages
with no serious accessibility problems."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from organisations.models import Organisation
from partnerships.models import PartnerRole, Partnership
from tests.browser.conftest import follow_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "violet-harbour-lantern-42"  # noqa: S105 - the test's own password


@pytest.fixture
def mind(users):
    mind = Organisation.objects.create(name="Oxfordshire Mind", kind="vcse")
    other = Organisation.objects.create(name="Restore", kind="vcse")
    for reference, title, organisation in (
        ("P-0001", "Oxfordshire Mental Health Partnership", mind),
        ("P-0002", "Recovery College", other),
    ):
        partnership = Partnership.objects.create(
            reference=reference, title=title, arrangement_type="alliance", lead=users["lead"], annual_value=35000000
        )
        PartnerRole.objects.create(partnership=partnership, organisation=organisation)
    return mind


def test_a_contributor_accepts_an_invitation_and_sees_only_their_organisations_partnerships(
    users, login, axe_violations, mind, live_server
):
    page = login(users["coordinator"])
    page.goto(f"{live_server.url}{mind.get_absolute_url()}")
    page.get_by_role("link", name="Invite a partner contributor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a partner contributor")
    assert axe_violations() == []
    page.get_by_label("First name").fill("Rachel")
    page.get_by_label("Last name").fill("Green")
    page.get_by_label("E-mail address").fill("rachel.green@oxfordshiremind.org.uk")
    expect(page.get_by_label("Organisation")).to_have_value(str(mind.pk))
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to rachel.green@oxfordshiremind.org.uk")).to_be_visible()

    page.context.clear_cookies()
    [message] = mail.outbox
    link = re.search(r"(https?://\S+/invitation/\S+)", message.body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    assert axe_violations() == []
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Confirm the password").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Accord")
    page.get_by_label("Username").fill("rachel.green@oxfordshiremind.org.uk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")  # where signing in leads
    follow_menu(page, "Register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's partnerships")
    expect(page.get_by_role("link", name="Oxfordshire Mental Health Partnership")).to_be_visible()
    expect(page.get_by_text("Recovery College")).to_have_count(0)
    expect(page.get_by_text("35,000,000")).to_have_count(0)
    assert axe_violations() == []
    page.get_by_role("link", name="Oxfordshire Mental Health Partnership").click()
    expect(page.get_by_role("heading", level=2, name="Partners", exact=True)).to_be_visible()
    expect(page.get_by_text("Change history")).to_have_count(0)
    assert axe_violations() == []
