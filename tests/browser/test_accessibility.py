"""axe-core finds no serious or critical accessibility problems on the key pages."""

import pytest
from playwright.sync_api import expect

from organisations.models import Organisation
from partnerships.models import ArrangementType, PartnerRole, Partnership, Status
from tests.browser.conftest import follow_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership(users):
    p = Partnership.objects.create(
        reference="P-0001",
        title="Oxfordshire Mental Health Partnership",
        arrangement_type=ArrangementType.ALLIANCE,
        status=Status.ACTIVE,
        lead=users["lead"],
        annual_value=34_000_000,
        value_qualifier="approximate",
    )
    PartnerRole.objects.create(
        partnership=p, organisation=Organisation.objects.create(name="Oxfordshire Mind", kind="vcse")
    )
    return p


def test_register_has_no_serious_violations(users, login, axe_violations, partnership):
    page = login(users["coordinator"])
    follow_menu(page, "Register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership register")
    assert axe_violations() == []


@pytest.mark.parametrize(("role", "heading"), [("coordinator", "Work queue"), ("lead", "My work")])
def test_the_work_page_signing_in_leads_to_has_no_serious_violations(
    users, login, axe_violations, partnership, role, heading
):
    page = login(users[role])
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert axe_violations() == []


def test_the_dashboard_has_no_serious_violations(users, login, axe_violations, partnership):
    page = login(users["executive"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert axe_violations() == []


def test_partnership_page_has_no_serious_violations(users, login, axe_violations, partnership, live_server):
    page = login(users["coordinator"])
    page.goto(f"{live_server.url}{partnership.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Oxfordshire Mental Health Partnership")
    assert axe_violations() == []


def test_form_with_errors_has_no_serious_violations(users, login, axe_violations, live_server):
    page = login(users["coordinator"])
    page.goto(f"{live_server.url}/partnerships/add/")
    page.get_by_label("Annual value (£)").fill("lots")
    page.get_by_label("End date").fill("31/02/2024")
    page.get_by_role("button", name="Add partnership").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Enter a real date")
    assert axe_violations() == []
