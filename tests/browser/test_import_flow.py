"""The coordinator imports the trust's spreadsheet through the page: preview, then commit."""

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from core.models import AuditEntry, ServiceArea
from organisations.models import Organisation
from partnerships.models import Partnership
from partnerships.tests.registers import OXFORD_HEALTH
from tests.browser.conftest import follow_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register_file(tmp_path, users):
    """A register as trusts keep it: a title row above the headings, values written by hand."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Oxford Health NHS FT – partnerships register (April 2019)"])
    ws.append([])
    ws.append(
        [
            "Partnership name",
            "Partner organisation(s)",
            "Annual value (£)",
            "Lead",
            "Start date",
            "Status",
            "Type of arrangement",
        ]
    )
    ws.append(
        [
            "Thames Valley and Wessex Forensic Network",
            "Southern Health NHS FT; Berkshire Healthcare NHS FT",
            "£65m",
            "Anne Clarke",
            "01/04/2017",
            "Live",
            "Provider collaborative",
        ]
    )
    ws.append(["Talking Space Plus", "Oxfordshire Mind", "5,800,000", "", "April 2015", "Live", "Alliance"])
    ws.append(["Oxfordshire Carer Alliance", "PML", "TBC", "", "", "In development", "Informal"])
    path = tmp_path / "register.xlsx"
    wb.save(path)
    return path


def test_coordinator_previews_and_commits_an_import(users, login, live_server, register_file, axe_violations):
    Organisation.objects.create(name="Oxfordshire Mind", kind="vcse")
    page = login(users["coordinator"])
    follow_menu(page, "Import")
    page.get_by_label("Register spreadsheet").set_input_files(str(register_file))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator("#rows")).to_be_visible()
    expect(page.get_by_text("Thames Valley and Wessex Forensic Network").first).to_be_visible()
    expect(page.locator("#new-organisations")).to_be_visible()
    assert Partnership.objects.count() == 0, "the preview must not write anything"
    assert not AuditEntry.objects.filter(object_type__model="partnership").exists()
    assert axe_violations() == []

    page.get_by_role("button", name="Import 3 partnerships").click()
    # The worker writes it (inline here); the import's page then says what it did.
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of the register")
    expect(page.locator("#import-run")).to_contain_text("Imported register.xlsx: 3 partnerships added, 0 updated")
    assert axe_violations() == []
    page.get_by_role("link", name="Go to the register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership register")
    expect(page.locator("#results")).to_contain_text("of 3 partnerships")

    network = Partnership.objects.get(title="Thames Valley and Wessex Forensic Network")
    assert network.annual_value == 65_000_000
    assert network.lead == users["lead"]
    assert network.derived_tier() == 1
    assert sorted(network.partner_roles.values_list("organisation__name", flat=True)) == [
        "Berkshire Healthcare NHS FT",
        "Southern Health NHS FT",
    ]
    carers = Partnership.objects.get(title="Oxfordshire Carer Alliance")
    assert carers.annual_value is None, "TBC is unknown, never zero"
    assert Organisation.objects.filter(name="Oxfordshire Mind").count() == 1
    assert AuditEntry.objects.filter(object_type__model="partnership", action="create").count() == 3


def test_a_file_with_a_problem_changes_nothing(users, login, live_server, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Partnership name", "Annual value (£)", "Status", "Type of arrangement"])
    ws.append(["CAMHS partnership", "£8.6m", "Live", "Contract"])
    ws.append(["Community diabetes service", "twelve", "Live", "Informal"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)

    page = login(users["coordinator"])
    page.goto(f"{live_server.url}/partnerships/import/")
    page.get_by_label("Register spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Row 3")
    expect(summary).to_contain_text("twelve")
    expect(page.get_by_role("button", name="Import 2 partnerships")).to_have_count(0)
    assert Partnership.objects.count() == 0


def test_a_messy_register_imports_into_an_empty_accord_and_its_leads_are_confirmed(
    make_user, login, live_server, tmp_path, axe_violations
):
    """Only two people on Accord; the register keeps a title, merged cells, RAG and a totals row."""
    coordinator = make_user("coordinator", username="bcahill", first_name="Ben", last_name="Cahill")
    anne = make_user("lead", username="aclarke", first_name="Anne", last_name="Clarke")
    path = OXFORD_HEALTH.write(tmp_path)

    page = login(coordinator)
    follow_menu(page, "Import")
    page.get_by_label("Register spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator(".nhsuk-inset-text").first).to_contain_text("Not imported: RAG.")
    expect(page.locator(".nhsuk-inset-text").first).to_contain_text("Row 10 looks like a totals row and was skipped.")
    expect(page.locator("#new-service-areas + p + div table")).to_contain_text("Research & Development")
    expect(page.locator("#leads-to-confirm + p + div table")).to_contain_text("Head of Forensic Services")
    assert Partnership.objects.count() == 0, "the preview must not write anything"
    assert axe_violations() == []

    page.get_by_role("button", name="Import 4 partnerships").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of the register")
    page.get_by_role("link", name="2 leads").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Leads to confirm")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    assert axe_violations() == []
    page.get_by_role("link", name="Choose the user who leads Thames Valley and Wessex Forensic Network").click()
    page.get_by_label("User who leads this partnership").select_option(label="Anne Clarke (aclarke)")
    page.get_by_role("button", name="Confirm the lead").click()

    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Leads to confirm")
    forensic = Partnership.objects.get(title="Thames Valley and Wessex Forensic Network")
    assert (forensic.lead, forensic.recorded_lead) == (anne, "Head of Forensic Services")
    assert sorted(ServiceArea.objects.values_list("name", flat=True)) == OXFORD_HEALTH.service_areas
