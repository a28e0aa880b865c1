"""The papers a reader takes away: the decision record and the minutes as Word and PDF, and the
published register of interests as PDF. Each file is opened as its reader would (python-docx for
Word, poppler's pdftotext for PDF) and must say what that reader needs: the result, who could
vote and why not, the organisations bound, a draft marked as a draft, a withheld entry shown
only as withheld. Who may download them is the permission matrix's (``governance/tests/rows.py``).
"""

import io
import subprocess
from urllib.parse import urlparse

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import documents, services
from governance.models import Decision, Minutes
from governance.tests import test_services as bob
from governance.tests.rows import _more_items
from tests.fixtures import sign_in


def download(client, world, name, *args, role="board_member", **query):
    sign_in(client, world, role)
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response


def docx_text(response):
    """Every paragraph and table cell of a Word document in reading order, as one line of text."""
    document = docx.Document(io.BytesIO(response.content))
    parts = []
    for block in document.iter_inner_content():  # paragraphs and tables in reading order
        if isinstance(block, docx.table.Table):
            parts += [cell.text for row in block.rows for cell in row.cells]
        else:
            parts.append(block.text)
    parts += [p.text for s in document.sections for p in s.footer.paragraphs]
    return " ".join(" ".join(parts).split())


def pdf_text(response):
    """A PDF's text as poppler reads it (``scripts/test`` installs poppler-utils), white space folded."""
    assert response["Content-Type"] == "application/pdf"
    done = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True)  # noqa: S607
    return " ".join(done.stdout.decode().split())


def filename(response):
    return response["Content-Disposition"].split("filename=", 1)[1].strip('"')


# --- the decision record -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "read"), [("governance:decision_docx", docx_text), ("governance:decision_pdf", pdf_text)]
)
def test_the_decision_record_states_the_rule_the_votes_the_result_and_who_is_bound(client, world, name, read):
    response = download(client, world, name, world.decision.pk)
    text = read(response)
    assert "Decision record · Forensic Network Partnership Board" in text
    assert "Adopt the bed base review" in text
    assert "Carried: No block, and at least one member supported." in text
    assert "Consensus. Quorum: 2 voting members, the chair or vice-chair." in text
    assert "2 for, 0 against, 0 abstaining; counted out of 2" in text
    assert "Who could vote when voting opened" in text and "Who could vote at close" in text
    assert "Organisations bound" in text
    assert "Oxford Health NHS Foundation Trust" in text and "Oxford University Hospitals NHS Foundation Trust" in text
    assert "Priya Shah" in text
    assert "Page 1 of" in text or name.endswith("docx")  # Word works its page numbers out when opened
    day = timezone.localdate(world.meeting.starts_at).isoformat()
    assert (
        filename(response)
        == f"forensic-network-partnership-board-{day}-decision-adopt-the-bed-base-review.{name.rsplit('_', 1)[1]}"
    )


@pytest.mark.parametrize("read", [docx_text, pdf_text])
def test_a_category_2_record_gives_each_members_reason_and_binds_only_the_affected(client, world, read):
    b, orgs, people, _mtg, item = bob.world()
    bob.declare(item, people["vcse"])
    d = services.open_vote(bob.decision(b, item, category=2, affected=[orgs["oh"], orgs["bh"], orgs["vcse"]]))
    services.cast_ballot(d, people["chair"], "for")
    services.cast_ballot(d, people["bh"], "against")
    services.cast_ballot(d, people["bh"], "for")  # a changed vote: the last counts
    d = services.close_vote(d)
    fmt = "docx" if read is docx_text else "pdf"
    text = read(download(client, world, f"governance:decision_{fmt}", d.pk, role="auditor"))
    assert "Category 2: binding on those affected: Berkshire Healthcare NHS Foundation Trust" in text
    assert "No: organisation not affected by this category 2 decision" in text  # the ICB's member
    assert "No: conflicted" in text  # Dan Knowles, who declared an interest on the item
    assert "No: non-voting member" in text  # the local authority, in attendance
    assert "Against (changed later)" in text
    bound = text.split("Organisations bound", 1)[1].split("Who could vote", 1)[0]
    assert "Berkshire Healthcare NHS Foundation Trust" in bound and "Oxford Health NHS Foundation Trust" in bound
    assert "BOB Integrated Care Board" not in bound


def test_a_decision_still_open_says_so_and_states_no_result(client, world):
    text = docx_text(download(client, world, "governance:decision_docx", world.open_decision.pk))
    assert "Voting open" in text
    assert "Organisations bound" not in text and "Carried" not in text


# --- the minutes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "read"), [("governance:minutes_docx", docx_text), ("governance:minutes_pdf", pdf_text)]
)
def test_the_minutes_hold_attendance_items_declarations_decisions_and_the_text(client, world, name, read):
    response = download(client, world, name, world.meeting.pk, role="executive")
    text = read(response)
    assert "Minutes of the meeting of" in text and "Forensic Network Partnership Board" in text
    assert "Draft: these minutes are not yet approved" in text
    assert "Present: the chair and Priya Shah." in text  # the minutes as drafted
    assert "Attendance" in text and "Priya Shah" in text and "Chair" in text
    assert "Bed base review" in text and "Crisis pathway" in text and "Declarations of interest" in text
    assert "Partner is a consultant psychiatrist at the partner trust." in text
    assert "No action" in text  # how the chair managed it
    assert "Adopt the bed base review" in text and "Carried: No block, and at least one member supported." in text
    assert "Adopt the crisis pathway" in text and "Voting open" in text
    assert "Circulate the bed base review to the partner trusts." in text  # its action, with owner and due date
    assert "15 January 2026" in text and "Open" in text
    assert filename(response).startswith("forensic-network-partnership-board-")
    assert filename(response).endswith(f"-minutes.{name.rsplit('_', 1)[1]}")


def test_approved_minutes_are_not_marked_as_a_draft(client, world):
    minutes = services.circulate_minutes(Minutes.objects.get(pk=world.minutes.pk))
    services.approve_minutes(minutes, world.next_meeting)
    text = docx_text(download(client, world, "governance:minutes_docx", world.meeting.pk))
    assert "Draft" not in text
    assert "version 1, approved at the meeting of" in text


@pytest.mark.parametrize(
    ("name", "record", "grow"),
    [
        ("governance:minutes_pdf", "meeting", _more_items),
        ("governance:decision_docx", "open_decision", lambda w, n: [bob_vote(w) for _ in range(n)]),
    ],
)
def test_a_paper_costs_the_same_queries_however_much_it_holds(client, world, name, record, grow):
    sign_in(client, world, "coordinator")
    url = reverse(name, args=[getattr(world, record).pk])
    grow(world, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(world, 10)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def bob_vote(w):
    services.cast_ballot(Decision.objects.get(pk=w.open_decision.pk), w.chair, "for")


# --- the published register ----------------------------------------------------------------------


def test_the_register_pdf_shows_a_withheld_entry_only_as_withheld(client, world):
    response = download(client, world, "governance:interests", role="owner", export="pdf")
    text = pdf_text(response)
    assert "Register of interests" in text
    assert "Priya Shah" in text and "Trustee of a mental health charity." in text
    assert "Entry withheld from publication" in text
    for secret in ("Sam Withheld", "Personal safety", "secure care provider", "Consultant forensic psychiatrist"):
        assert secret not in text
    assert filename(response).startswith("register-of-interests-") and filename(response).endswith(".pdf")


def test_the_register_pdf_holds_the_filtered_rows(client, world):
    text = pdf_text(download(client, world, "governance:interests", category="financial", export="pdf"))
    assert "Priya Shah" not in text and "Entry withheld" not in text
    assert "No declarations." in text


def test_a_register_too_long_to_print_is_refused_with_the_way_round(client, world, monkeypatch):
    monkeypatch.setattr(documents, "REGISTER_PDF_MOST_ROWS", 1)
    sign_in(client, world, "auditor")
    response = client.get(reverse("governance:interests"), {"category": "", "export": "pdf"})
    assert response.status_code == 302 and "export" not in urlparse(response["Location"]).query
    page = client.get(response["Location"]).content.decode()
    assert "A PDF of the register holds at most 1 declarations" in page
    assert "download the CSV or XLSX spreadsheet" in page


def test_anonymous_visitors_get_no_register_pdf(client, world):
    response = client.get(reverse("governance:interests"), {"export": "pdf"})
    assert response.status_code == 302 and "Content-Disposition" not in response
