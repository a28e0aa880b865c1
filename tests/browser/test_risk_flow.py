"""A lead completes a Tier 1 partnership's risk profile in the browser, raises a risk to 16, sees
it escalated and on the heatmap; the risk pages have no serious accessibility problems."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from core.models import BafRiskTheme
from partnerships.models import ArrangementType, Partnership, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIVE_DOMAINS = [
    "Patient safety",
    "Staff wellbeing",
    "Information governance (data security)",
    "Systems",
    "Organisational reputation",
]


@pytest.fixture
def partnership(users):
    BafRiskTheme.objects.create(name="Financial Sustainability")
    return Partnership.objects.create(
        reference="P-0007",
        title="BOB Mental Health Provider Collaborative",
        arrangement_type=ArrangementType.PROVIDER_COLLABORATIVE,
        status=Status.ACTIVE,
        lead=users["lead"],
        annual_value=2_500_000,
    )


def test_a_lead_completes_a_profile_and_escalates_a_risk(users, login, axe_violations, partnership, live_server):
    page = login(users["lead"])
    page.goto(f"{live_server.url}{partnership.get_absolute_url()}")
    profile_status = page.locator("#risks + p")
    expect(page.get_by_text("0 of 6 domains assessed")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Risk profile and heatmap")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk profile")
    assert axe_violations() == []

    for domain in FIVE_DOMAINS:
        page.get_by_role("link", name=f"Record no significant risk in {domain.lower()}").click()
        page.get_by_label("Why is there no significant risk in this domain?").fill("No patient data is shared.")
        page.get_by_role("button", name="Record no significant risk").click()
        expect(page.get_by_text(f"Recorded: no significant risk in {domain}.")).to_be_visible()

    page.get_by_role("link", name="Add risk in finances").click()
    page.get_by_role("button", name="Add risk").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations() == []
    expect(page.get_by_label("Finances")).to_be_checked()
    page.get_by_label("Risk", exact=True).fill("Limited resources to support the collaborative")
    page.get_by_label("Description").fill(
        "Because no new resources are identified, there is a risk that the work stalls, which would delay benefits."
    )
    page.get_by_label("Risk owner").fill("Amelie Bages")
    for position, (likelihood, consequence) in {"Inherent": (4, 4), "Current": (3, 4), "Target": (2, 3)}.items():
        page.get_by_label(f"{position} likelihood").select_option(str(likelihood))
        page.get_by_label(f"{position} consequence").select_option(str(consequence))
    page.get_by_label("Treat: act to reduce it").check()
    page.get_by_label("Next review").fill((datetime.date.today() + datetime.timedelta(days=90)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Add risk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Limited resources to support the collaborative")
    assert axe_violations() == []

    page.goto(f"{live_server.url}{partnership.get_absolute_url()}")
    expect(profile_status.get_by_text("Complete", exact=True)).to_be_visible()
    expect(page.get_by_text("6 of 6 domains assessed")).to_be_visible()

    page.goto(f"{live_server.url}/risks/")
    page.get_by_role("link", name=re.compile("^1 open risk scored 3 × 4")).click()
    page.get_by_role("link", name="Limited resources to support the collaborative").click()
    page.get_by_role("link", name="Edit risk").click()
    page.get_by_label("Current likelihood").select_option("4")
    page.get_by_label("BAF risk theme").select_option(label="Financial Sustainability")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name=re.compile("Escalated to the corporate risk register"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Each change of the scores")).locator("tbody tr")).to_have_count(2)

    page.get_by_role("link", name="Risks", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk heatmap")
    expect(page.get_by_role("link", name=re.compile("^1 open risk scored 4 × 4"))).to_be_visible()
    assert axe_violations() == []
    page.get_by_role("link", name="see the escalated risks").click()
    expect(page.get_by_role("link", name="Limited resources to support the collaborative")).to_be_visible()
    assert axe_violations() == []


def test_the_risk_matrix_page_and_its_errors_are_accessible(users, login, axe_violations, live_server):
    page = login(users["administrator"])
    page.goto(f"{live_server.url}/administration/risk-matrix/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk matrix")
    assert axe_violations() == []
    page.get_by_label("Band 3: lowest score").fill("9")
    page.get_by_role("button", name="Save the risk matrix").click()
    expect(page.get_by_role("alert")).to_contain_text("No band holds a score of 8")
    assert axe_violations() == []
