"""A partnership lead runs a peer review round in the browser: adds it to their partnership (its
five default areas with it), rates an area's five key questions on one page (refused first for a
rating short of good without findings), adds the action that follows, and sees the grid; the pages
have no serious accessibility problems."""

import pytest
from playwright.sync_api import expect

from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, PartnerRole, PartnerRoleKind, Partnership, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def omhp(users):
    partnership = Partnership.objects.create(
        reference="P-0002",
        title="Oxfordshire Mental Health Partnership",
        arrangement_type=ArrangementType.LEAD_PROVIDER_SUBCONTRACT,
        status=Status.ACTIVE,
        lead=users["lead"],
    )
    Organisation.objects.create(
        name="Oxford Health NHS Foundation Trust", kind=OrganisationKind.FOUNDATION_TRUST, is_home_trust=True
    )
    for name in ("Oxfordshire Mind", "Restore"):
        org = Organisation.objects.create(name=name, kind=OrganisationKind.VCSE)
        PartnerRole.objects.create(partnership=partnership, organisation=org, role=PartnerRoleKind.PROVIDER)
    return partnership


def test_a_lead_runs_a_round_rates_an_area_and_adds_an_action(users, login, axe_violations, omhp, live_server):
    page = login(users["lead"])
    page.goto(f"{live_server.url}{omhp.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Peer quality reviews")).to_be_visible()
    page.get_by_role("link", name="Add a peer review round").click()
    page.get_by_label("Title").fill("OMHP October 2019")
    page.get_by_label("Start date").fill("01/10/2019")
    page.get_by_label("End date").fill("31/10/2019")
    page.locator("fieldset", has_text="Reviewing organisations").get_by_label(
        "Oxford Health NHS Foundation Trust"
    ).check()
    page.locator("fieldset", has_text="Reviewed organisations").get_by_label("Restore").check()
    page.get_by_role("button", name="Add peer review round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("OMHP October 2019")
    expect(page.locator("table").first.locator("tbody tr")).to_have_count(5)
    assert axe_violations() == []

    page.get_by_role("link", name="Rate Supported housing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate Supported housing")
    for question in ("Safe", "Effective", "Caring", "Responsive"):
        page.locator("fieldset", has_text=question).first.get_by_label("Good", exact=True).check()
    page.locator("fieldset", has_text="Well-led").get_by_label("Requires improvement").check()
    page.get_by_role("button", name="Save the ratings").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Record the findings that make well-led requires improvement.")
    ).to_be_visible()
    assert axe_violations() == []
    page.get_by_label("Well-led: findings").fill("Serious complaints reach the partnership late.")
    page.get_by_role("button", name="Save the ratings").click()
    expect(page.get_by_text("Ratings saved: Supported housing")).to_be_visible()
    row = page.locator("table").first.locator("tr", has_text="Supported housing")
    expect(row).to_contain_text("Requires improvement")
    expect(row.locator(".nhsuk-tag--green")).to_have_count(4)

    page.get_by_role("link", name="Add an action for Supported housing").click()
    page.get_by_label("Key question").select_option("well_led")
    page.get_by_label("Action").fill("Report serious complaints to the Partnership Management Group every month.")
    page.get_by_label("Owner").select_option(label="Anne Clarke")
    page.get_by_label("Due date").fill("31/01/2020")
    page.get_by_role("button", name="Add peer review action").click()
    actions = page.locator("#actions + table")
    expect(actions).to_contain_text("Supported housing: Well-led")
    expect(actions).to_contain_text("Overdue")
    assert axe_violations() == []
