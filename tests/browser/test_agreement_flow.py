"""A lead records an MoU from draft to in force, in a real browser; the coordinator finds it late.

The lead adds a memorandum of understanding with two parties to their partnership, uploads the
draft, sends it for comment, approves it, records both signatures and sees it come into force;
a milestone due in the past is then flagged as overdue on the agreement page and on the lead's
"needs attention" panel. The coordinator finds the agreement on the agreements list with the
"milestone overdue" filter. Both pages pass axe-core with no serious or critical violations.
"""

import datetime
import hashlib

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement, AgreementDocument, AgreementStatus
from core.dates import local_today
from core.models import AuditEntry
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, Partnership, Status
from tests.world import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Oxfordshire provider collaborative memorandum of understanding"
MILESTONE = "Shared work programme for urgent care agreed"


def typed(date):
    return date.strftime("%d/%m/%Y")


def long_date(date):
    return f"{date.day} {date:%B %Y}"


@pytest.fixture
def partnership(users):
    return Partnership.objects.create(
        reference="P-0001",
        title="Oxfordshire Mental Health Partnership",
        arrangement_type=ArrangementType.PROVIDER_COLLABORATIVE,
        status=Status.ACTIVE,
        lead=users["lead"],
    )


@pytest.fixture
def parties(db):
    return [
        Organisation.objects.create(
            name="Oxford Health NHS Foundation Trust", ods_code="RNU", kind=OrganisationKind.FOUNDATION_TRUST
        ),
        Organisation.objects.create(
            name="Oxford University Hospitals NHS Foundation Trust",
            ods_code="RTH",
            kind=OrganisationKind.FOUNDATION_TRUST,
        ),
    ]


def confirm_step(page, link, button=None):
    """Follow a lifecycle step's link from the agreement page and confirm it on its page."""
    page.get_by_role("link", name=link, exact=True).click()
    page.get_by_role("button", name=button or link, exact=True).click()


def test_a_lead_takes_an_mou_into_force_and_the_coordinator_finds_its_overdue_milestone(
    users, login, live_server, axe_violations, storage_dir, partnership, parties, tmp_path
):
    today = local_today()
    signed = [today - datetime.timedelta(days=9), today - datetime.timedelta(days=2)]
    draft = tmp_path / "MoU draft for Board.pdf"
    draft.write_bytes(PDF)

    # The lead adds the agreement to their partnership.
    page = login(users["lead"])
    page.goto(f"{live_server.url}{partnership.get_absolute_url()}")
    page.get_by_role("link", name="Add agreement").click()
    page.get_by_label("Kind of agreement").select_option(label="Memorandum of understanding")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("No, except stated clauses").check()
    page.get_by_label("Clauses that are binding").fill("Confidentiality and data protection")
    page.get_by_label("On the date the last party signs").check()
    page.get_by_role("button", name="Add agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#next")).to_contain_text("Add the parties before approval.")

    # Its two parties.
    for organisation in parties:
        page.get_by_role("link", name="Add a party").click()
        page.get_by_label("Organisation").select_option(label=organisation.name)
        page.get_by_role("button", name="Add agreement party").click()
        expect(page.get_by_text(f"Party added: {organisation.name}")).to_be_visible()
    parties_table = page.get_by_role("table", name="Parties to the agreement and their signatures")
    expect(parties_table.locator("tbody tr")).to_have_count(2)

    # The draft itself.
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Document title").fill("MoU – draft for Board, March 2022")
    page.get_by_label("Draft", exact=True).check()
    page.get_by_label("File", exact=True).set_input_files(str(draft))
    page.get_by_role("button", name="Upload document").click()
    expect(page.get_by_text("Document added: MoU – draft for Board, March 2022 (version 1")).to_be_visible()
    expect(page.get_by_role("table", name="Documents of the agreement, newest first")).to_contain_text(
        "MoU draft for Board.pdf"
    )

    # Out for comment, then approved.
    confirm_step(page, "Send for comment")
    expect(page.get_by_text("Sent for comment:")).to_be_visible()
    confirm_step(page, "Approve")
    expect(page.locator("#next")).to_contain_text("Waiting for signatures from")

    # Both signatures; in force is offered only once every party has signed.
    for organisation, signed_on, name in zip(parties, signed, ("Stuart Bell", "Bruno Holthof"), strict=True):
        expect(page.get_by_role("link", name="Bring into force")).to_have_count(0)
        page.get_by_role("link", name=f"Record signature of {organisation.name}").click()
        page.get_by_label("Name of the person who signed").fill(name)
        page.get_by_label("Their position").fill("Chief Executive")
        page.get_by_label("Date signed").fill(typed(signed_on))
        page.get_by_role("button", name="Record the signature").click()
        expect(page.get_by_text(f"Signature recorded: {organisation.name}")).to_be_visible()
    expect(page.locator("#next")).to_contain_text("Every party has signed: bring the agreement into force.")
    confirm_step(page, "Bring into force")

    expect(page.get_by_text(f"In force from {long_date(signed[1])}: {TITLE}")).to_be_visible()
    expect(page.locator("h1 + p .nhsuk-tag").first).to_have_text("In force")
    expect(page.locator('[aria-current="step"]')).to_contain_text("In force")
    expect(page.locator("#terms + dl")).to_contain_text(long_date(signed[1]))

    # A milestone due a week ago is flagged as overdue, on the page and on the register.
    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Milestone", exact=True).fill(MILESTONE)
    page.get_by_label("Due date").fill(typed(today - datetime.timedelta(days=7)))
    page.get_by_label("On track").check()
    page.get_by_role("button", name="Add milestone").click()
    milestones = page.locator("#milestones + table")
    expect(milestones.get_by_role("row", name=MILESTONE)).to_contain_text("Overdue")
    expect(page.locator("#next")).to_contain_text(f"Milestone “{MILESTONE}” is overdue")
    assert axe_violations() == []

    page.get_by_role("link", name="Register", exact=True).click()
    panel = page.locator("#needs-attention")
    expect(panel).to_contain_text("Milestone overdue")
    expect(panel).to_contain_text(f"Milestone “{MILESTONE}” was due on")
    expect(panel.get_by_role("link", name=TITLE)).to_be_visible()

    agreement = Agreement.objects.get(title=TITLE)
    assert agreement.status == AgreementStatus.IN_FORCE
    assert sorted(agreement.parties.values_list("signed_on", flat=True)) == signed
    document = AgreementDocument.objects.get(agreement=agreement)
    assert (storage_dir / document.file.name).read_bytes() == PDF
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    statuses = [
        (e.after["status"], e.user_name)
        for e in AuditEntry.objects.filter(object_type__model="agreement", object_id=agreement.pk).order_by("id")
        if "status" in e.changed_fields
    ]
    assert statuses == [
        ("Draft", "Anne Clarke"),
        ("Out for comment", "Anne Clarke"),
        ("Approved, awaiting signatures", "Anne Clarke"),
        ("In force", "Anne Clarke"),
    ]

    # The coordinator finds it on the agreements list with the "milestone overdue" filter.
    page.get_by_role("button", name="Log out").click()
    page = login(users["coordinator"])
    page.get_by_role("link", name="Agreements", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreements")
    page.get_by_label("Show only").select_option(label="Milestone overdue")
    page.get_by_role("button", name="Apply filters").click()
    results = page.locator("#results")
    expect(results).to_contain_text("Showing 1 to 1 of 1 agreement")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    assert axe_violations() == []
