"""The coordinator's everyday journey through the register, in a real browser."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, Partnership, Status
from tests.browser.conftest import follow_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partners(db):
    return [
        Organisation.objects.create(
            name="Oxford University Hospitals NHS Foundation Trust",
            ods_code="RTH",
            kind=OrganisationKind.FOUNDATION_TRUST,
        ),
        Organisation.objects.create(name="Oxfordshire Mind", kind=OrganisationKind.VCSE),
    ]


def test_coordinator_creates_partnership_with_two_partners_finds_and_exports_it(users, login, live_server, partners):
    page = login(users["coordinator"])
    follow_menu(page, "Register")
    page.get_by_role("link", name="Add partnership").click()
    page.get_by_label("Title").fill("Oxfordshire eating disorders pathway")
    page.get_by_label("Arrangement type").select_option(label="Memorandum of understanding")
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_label("Annual value (£)").fill("250000")
    page.get_by_label("Start date").fill("01/04/2024")
    page.get_by_role("button", name="Add partnership").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Oxfordshire eating disorders pathway")
    for organisation in partners:
        page.get_by_role("link", name="Add partner").click()
        page.get_by_label("Organisation").select_option(label=organisation.name)
        page.get_by_role("button", name="Add partner role").click()
        expect(page.get_by_role("cell", name=organisation.name, exact=False).first).to_be_visible()

    partnership = Partnership.objects.get(title="Oxfordshire eating disorders pathway")
    assert partnership.partner_roles.count() == 2
    assert partnership.derived_tier() == 2

    page.get_by_role("link", name="Register", exact=True).click()
    filters = page.get_by_role("search", name="Filter partnerships")
    filters.get_by_label("Partner organisation").fill("Oxfordshire Mind")
    filters.get_by_label("Tier", exact=True).select_option(label="Tier 2")
    page.get_by_role("button", name="Apply filters").click()
    results = page.locator("#results")
    expect(results).to_contain_text("Showing 1 to 1 of 1 partnership")
    expect(results.get_by_role("link", name="Oxfordshire eating disorders pathway")).to_be_visible()

    with page.expect_download() as download_info:
        results.get_by_role("link", name="CSV spreadsheet").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert "Oxfordshire eating disorders pathway" in content
    assert "Oxford University Hospitals NHS Foundation Trust; Oxfordshire Mind" in content
    assert content.count("\n") == 2  # the header and exactly the filtered row


def test_lead_cannot_edit_another_leads_partnership(users, make_user, login, live_server):
    other_lead = make_user("lead", username="otherlead", first_name="Olu", last_name="Other")
    mine = Partnership.objects.create(
        reference="P-0001",
        title="Talking Space Plus",
        arrangement_type=ArrangementType.ALLIANCE,
        status=Status.ACTIVE,
        lead=users["lead"],
    )
    theirs = Partnership.objects.create(
        reference="P-0002",
        title="CAMHS partnership",
        arrangement_type=ArrangementType.PROCURED_CONTRACT,
        status=Status.ACTIVE,
        lead=other_lead,
    )

    page = login(users["lead"])
    page.goto(f"{live_server.url}{theirs.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("CAMHS partnership")
    expect(page.get_by_role("link", name="Edit partnership")).to_have_count(0)
    expect(page.get_by_role("link", name="Add headline")).to_have_count(0)

    response = page.goto(f"{live_server.url}/partnerships/{theirs.pk}/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")

    page.goto(f"{live_server.url}{mine.get_absolute_url()}")
    page.get_by_role("link", name="Edit partnership").click()
    page.get_by_label("Purpose").fill("Psychological therapies for adults in Oxfordshire.")
    page.get_by_role("button", name="Save changes").click()
    purpose = "Psychological therapies for adults in Oxfordshire."
    expect(page.get_by_role("definition").filter(has_text=purpose)).to_be_visible()
    latest = page.locator("#history ~ table tbody tr").first
    expect(latest).to_contain_text("Anne Clarke")
    expect(latest).to_contain_text("Purpose")
    page.get_by_role("link", name="See the full change history").click()
    expect(page.locator(".nhsuk-card").first).to_contain_text(purpose)
    theirs.refresh_from_db()
    assert theirs.purpose == ""
