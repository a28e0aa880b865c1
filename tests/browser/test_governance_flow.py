"""A secretary runs a meeting of the BOB design group in the browser: attendance, a declaration of
interest, a category 2 vote where the conflicted member is refused with the reason, the result
computed and the organisations bound, minutes drafted and an action raised, the meeting closed (the
confirmation saying no next meeting is scheduled yet), and the meeting scheduled next shows the
carried-over items; the pages have no serious accessibility problems."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance import services
from governance.models import Body, Meeting, Membership, TermsOfReference
from organisations.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def design_group(users):
    body = Body.objects.create(name="BOB Mental Health Design Group", kind="design_group")
    TermsOfReference.objects.create(
        body=body, effective_from=datetime.date(2023, 3, 1), quorum_members=1, method="simple_majority"
    )
    orgs = [
        Organisation.objects.create(name=name, kind=kind)
        for name, kind in (
            ("Oxford Health NHS Foundation Trust", "foundation_trust"),
            ("Berkshire Healthcare NHS Foundation Trust", "foundation_trust"),
            ("BOB Integrated Care Board", "icb"),
        )
    ]
    for name, org, role in zip(
        ("Nick Broughton", "Julian Emms", "Rachael Corser"), orgs, ("chair", "member", "member"), strict=True
    ):
        Membership.objects.create(
            body=body, name=name, organisation=org, role=role, starts_on=datetime.date(2023, 3, 1)
        )
    services.schedule_meeting(Meeting(body=body, starts_at=timezone.now() + datetime.timedelta(days=1), place="Online"))
    return body


def choose_person(page, label, name):
    """Selects the option that starts with the person's name (options also carry the organisation),
    waiting for the form to have loaded: reading the options straight after a click can see none."""
    option = page.get_by_label(label).locator("option").filter(has_text=re.compile(rf"^{name}"))
    expect(option).to_have_count(1)
    page.get_by_label(label).select_option(label=option.inner_text())


def test_a_secretary_runs_a_meeting_with_a_category_2_vote(users, login, axe_violations, design_group, live_server):
    page = login(users["coordinator"])
    page.goto(f"{live_server.url}/governance/")  # the menu may fold "Governance" under "More" on a narrow header
    page.get_by_role("link", name="BOB Mental Health Design Group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("BOB Mental Health Design Group")
    assert axe_violations() == []
    page.locator("#meetings").locator("xpath=following-sibling::ul[1]").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=2, name="Agenda")).to_be_visible()
    assert axe_violations() == []

    for name in ("Nick Broughton", "Julian Emms", "Rachael Corser"):
        page.get_by_role("link", name="Record attendance").click()
        choose_person(page, "Member", name)
        page.get_by_role("button").filter(has_text="Add").first.click()
        expect(page.get_by_text(re.compile(rf"^{name} \(.*\): present$"))).to_be_visible()

    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Title").fill("First shared priority")
    page.get_by_label("Purpose").select_option("decision")
    page.get_by_role("button").filter(has_text="Add").first.click()

    page.get_by_role("link", name="Record a declaration on item 5").click()
    page.get_by_label("Member declaring").select_option(index=2)  # Julian Emms
    page.get_by_label("Details").fill("Director of a provider bidding for the crisis service.")
    page.get_by_label("May take part in discussion but not the decision").check()
    page.get_by_role("button").filter(has_text="Add").first.click()
    expect(page.get_by_text("Julian Emms: May take part in discussion but not the decision")).to_be_visible()

    page.get_by_role("link", name="Put a decision on item 5").click()
    page.get_by_label("Title").fill("Make crisis care the first shared priority")
    page.get_by_label("Category 2: binding on those affected").check()
    page.get_by_label("Oxford Health NHS Foundation Trust").check()
    page.get_by_label("Berkshire Healthcare NHS Foundation Trust").check()
    page.get_by_role("button").filter(has_text="Add").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make crisis care the first shared priority")

    page.get_by_role("link", name="Open the vote").click()
    page.get_by_role("button", name="Open the vote").click()
    expect(page.get_by_text("No: conflicted: a declared interest bars them from the decision")).to_be_visible()
    assert axe_violations() == []

    page.get_by_role("link", name="Record a vote").click()
    choose_person(page, "Member voting", "Julian Emms")
    page.get_by_label("For", exact=True).check()
    page.get_by_role("button", name="Record the vote").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(
        "Julian Emms cannot vote: they have a declared interest that bars them from this decision."
    )
    assert axe_violations() == []
    choose_person(page, "Member voting", "Nick Broughton")
    page.get_by_label("For", exact=True).check()
    page.get_by_role("button", name="Record the vote").click()

    page.get_by_role("link", name="Close the vote").click()
    page.get_by_role("button", name="Close the vote and compute the result").click()
    expect(page.get_by_text("Carried", exact=True)).to_be_visible()
    expect(page.locator("dl")).to_contain_text("Berkshire Healthcare NHS Foundation Trust")
    assert axe_violations() == []

    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Draft the minutes").click()
    page.get_by_label("Minutes").fill("Present: all three members. Julian Emms declared an interest.")
    page.get_by_role("button").filter(has_text="Add").first.click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action", exact=True).fill("Write up the crisis care priority for the trust boards.")
    page.get_by_label("Owner (person outside Accord)").fill("Rachael Corser")
    page.get_by_label("Due date").fill((timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"))
    page.get_by_role("button").filter(has_text="Add").first.click()
    expect(page.locator("#actions").locator("xpath=following-sibling::table[1]")).to_contain_text("Overdue")
    assert axe_violations() == []

    page.get_by_role("link", name="Close the meeting").click()
    expect(page.get_by_text("No next meeting of the body is scheduled yet")).to_be_visible()
    assert axe_violations() == []
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()

    page.get_by_role("link", name="Back to BOB Mental Health Design Group").click()
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Date").fill((timezone.localdate() + datetime.timedelta(days=29)).strftime("%d/%m/%Y"))
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Place").fill("Online")
    page.get_by_role("button").filter(has_text="Add").first.click()
    agenda = page.locator("#agenda").locator("xpath=following-sibling::table[1]")
    expect(agenda.locator("#item-3")).to_contain_text("version 1 (draft)")  # minutes of the previous meeting
    expect(agenda.locator("#item-4")).to_contain_text("1 open action carried over")
    expect(agenda.locator("#item-2")).to_contain_text("1 declaration from earlier meetings to review")
    expect(page.get_by_text("Write up the crisis care priority for the trust boards.")).to_be_visible()
    expect(page.locator("#declarations-review").locator("xpath=following-sibling::ul[1]")).to_contain_text(
        "Julian Emms: Director of a provider bidding for the crisis service."
    )
    assert axe_violations() == []
