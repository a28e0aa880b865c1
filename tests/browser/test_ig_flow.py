"""Information governance in a real browser: the coordinator finds the partnerships with IG gaps and
the gaps themselves, and downloads them; a lead records an item and sees its gap move on.

The register holds partnerships with and without gaps: one sharing personal data with no ISA or
DPIA and a partner at "Approaching Standards"; one whose level of data sharing is not assessed;
one sharing none; one sharing aggregate data with its ISA in place; a closed one sharing personal
data with nothing recorded (closed partnerships have no gaps). The pages pass axe-core with no
serious or critical violations.
"""

import csv
import datetime
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assurance.models import IGItem, RecordedStatus
from core.dates import local_today
from core.models import AuditEntry
from organisations.dspt import DsptStatus, expected_year
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, DataSharing, PartnerRole, Partnership, Status
from tests.browser.conftest import follow_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAFE = "Oxfordshire crisis café"
CARERS = "Carers' peer support network"
DIGITAL = "Digital therapies pilot"
OUTCOMES = "Shared outcomes dashboard"
CLOSED = "Street triage pilot"
ISA = "Information sharing agreement"
DPIA = "Data protection impact assessment (DPIA)"
DSPT = "Partners' DSPT status Standards Met or better"
PRIVACY = "Privacy notice updated"
ROPA = "Record of processing activities (ROPA) entry"
NOT_ASSESSED = "Level of data sharing not assessed"
# What the IG gaps page shows, in its order (reference, then the matrix's order of items).
GAPS = [
    ("P-0101", CAFE, ISA, "Missing"),
    ("P-0101", CAFE, DPIA, "Missing"),
    ("P-0101", CAFE, DSPT, "In progress"),
    ("P-0101", CAFE, PRIVACY, "Missing"),
    ("P-0101", CAFE, ROPA, "Missing"),
    ("P-0103", DIGITAL, NOT_ASSESSED, "Missing"),
]


@pytest.fixture
def register(users):
    current_year = expected_year(local_today())
    mind = Organisation.objects.create(
        name="Oxfordshire Mind",
        kind=OrganisationKind.VCSE,
        dspt_status=DsptStatus.APPROACHING_STANDARDS,
        dspt_year=current_year,
    )
    ouh = Organisation.objects.create(
        name="Oxford University Hospitals NHS Foundation Trust",
        ods_code="RTH",
        kind=OrganisationKind.FOUNDATION_TRUST,
        dspt_status=DsptStatus.STANDARDS_MET,
        dspt_year=current_year,
    )

    def partnership(reference, title, arrangement_type, data_sharing, partners, status=Status.ACTIVE, **extra):
        p = Partnership.objects.create(
            reference=reference,
            title=title,
            arrangement_type=arrangement_type,
            data_sharing=data_sharing,
            status=status,
            lead=users["lead"],
            **extra,
        )
        for org in partners:
            PartnerRole.objects.create(partnership=p, organisation=org)
        return p

    made = {
        "cafe": partnership("P-0101", CAFE, ArrangementType.MOU, DataSharing.PERSONAL, [mind, ouh]),
        "carers": partnership("P-0102", CARERS, ArrangementType.INFORMAL, DataSharing.NONE, [mind]),
        "digital": partnership("P-0103", DIGITAL, ArrangementType.INFORMAL, "", [ouh]),
        "outcomes": partnership("P-0104", OUTCOMES, ArrangementType.ALLIANCE, DataSharing.AGGREGATE, [ouh]),
        "closed": partnership(
            "P-0105",
            CLOSED,
            ArrangementType.MOU,
            DataSharing.PERSONAL,
            [mind],
            status=Status.CLOSED,
            end_date=datetime.date(2024, 3, 31),
        ),
    }
    today = local_today()
    IGItem.objects.create(
        partnership=made["outcomes"],
        item="isa",
        status=RecordedStatus.IN_PLACE,
        approved_on=today - datetime.timedelta(days=100),
        review_on=today + datetime.timedelta(days=265),
    )
    return made


def table_rows(results):
    """The text of each cell of each row of the results table."""
    return [
        [cell.inner_text().strip() for cell in row.locator("td").all()] for row in results.locator("tbody tr").all()
    ]


def test_the_coordinator_finds_the_ig_gaps_and_downloads_them(users, login, axe_violations, register, live_server):
    page = login(users["coordinator"])
    follow_menu(page, "Register")
    page.get_by_label("IG gaps").select_option(label="Has information governance gaps")
    page.get_by_role("button", name="Apply filters").click()
    results = page.locator("#results")
    expect(results).to_contain_text("Showing 1 to 2 of 2 partnerships")
    for title in (CAFE, DIGITAL):
        expect(results.get_by_role("link", name=title)).to_be_visible()
    for title in (CARERS, OUTCOMES, CLOSED):
        expect(results.get_by_role("link", name=title)).to_have_count(0)
    assert "ig_gaps=any" in page.url
    assert axe_violations() == []

    follow_menu(page, "IG gaps")
    expect(page.get_by_role("heading", level=1)).to_have_text("Information governance gaps")
    results = page.locator("#results")
    expect(results).to_contain_text(f"Showing 1 to {len(GAPS)} of {len(GAPS)} IG gaps")
    expect(results.locator("tbody tr")).to_have_count(len(GAPS))
    assert [tuple(cells[:4]) for cells in table_rows(results)] == GAPS
    for title in (CARERS, OUTCOMES, CLOSED):
        expect(results.get_by_text(title)).to_have_count(0)
    assert axe_violations() == []

    with page.expect_download() as download_info:
        results.get_by_role("link", name="CSV spreadsheet").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(content)))
    assert header == [
        "Reference",
        "Partnership",
        "IG item",
        "Status",
        "Type of arrangement",
        "Level of data sharing",
        "Lead",
    ]
    assert [tuple(row[:4]) for row in rows] == GAPS
    lead = f"{users['lead'].first_name} {users['lead'].last_name}"
    assert rows[0][4:] == ["Memorandum of understanding", "Personal data", lead]
    assert rows[-1][4:] == ["Informal (no income transaction)", "Not assessed", lead]


def test_a_lead_records_an_ig_item_and_its_gap_moves_on(users, login, axe_violations, register, live_server):
    page = login(users["lead"])
    follow_menu(page, "IG gaps")
    page.get_by_label("IG item").select_option(label=DPIA)
    page.get_by_role("button", name="Apply filters").click()
    results = page.locator("#results")
    expect(results).to_contain_text("Showing 1 to 1 of 1 IG gap")
    assert [tuple(cells[:4]) for cells in table_rows(results)] == [("P-0101", CAFE, DPIA, "Missing")]

    results.get_by_role("link", name="P-0101").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CAFE)
    dpia = page.locator('tr[data-ig-item="dpia"]')
    expect(dpia).to_contain_text("Missing")
    dpia.get_by_role("link", name=f"Record {DPIA}", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Record an IG item")
    expect(page.get_by_label(DPIA)).to_be_checked()
    page.get_by_label("In progress", exact=True).check()
    page.get_by_label("Notes").fill("Drafted with the trust's IG team; waiting for Oxfordshire Mind's comments.")
    assert axe_violations() == []
    page.get_by_role("button", name="Record IG item").click()

    expect(page.get_by_text(f"{DPIA} recorded: in progress.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(CAFE)
    expect(dpia).to_contain_text("In progress")
    expect(dpia).to_contain_text("Recorded as in progress.")
    item = IGItem.objects.get(partnership=register["cafe"], item="dpia")
    assert item.status == RecordedStatus.IN_PROGRESS
    entry = AuditEntry.objects.get(object_type__model="igitem", object_id=item.pk, action="create")
    assert entry.user == users["lead"]

    follow_menu(page, "IG gaps")
    page.get_by_label("IG item").select_option(label=DPIA)
    page.get_by_role("button", name="Apply filters").click()
    results = page.locator("#results")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results.locator("tbody tr")).to_contain_text("In progress")
    assert [tuple(cells[:4]) for cells in table_rows(results)] == [("P-0101", CAFE, DPIA, "In progress")]
    assert axe_violations() == []
