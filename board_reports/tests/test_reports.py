"""Board reports: generated in the background from every app's part, read back from the Word
document and the PDF, issued for ever, and read by the board."""

import datetime
import io
import subprocess
from decimal import Decimal

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from board_reports import compose, services
from board_reports.models import ReportVersion, State
from board_reports.tests.rows import generated
from core import registry
from core.append_only import AppendOnlyError
from core.audit import audit_context
from core.models import AuditEntry, TierThresholds
from partnerships.models import Partnership, Status
from risks.models import Risk
from risks.scoring import Scoring
from tests.fixtures import sign_in


def file_bytes(version, fmt):
    response = services.download(version, fmt)
    return b"".join(response.streaming_content)


def docx_text(body):
    document = docx.Document(io.BytesIO(body))
    parts = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            parts += [cell.text for row in block.rows for cell in row.cells]
        else:
            parts.append(block.text)
    return " ".join(" ".join(parts).split())


def pdf_text(body):
    done = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True)  # noqa: S607
    return " ".join(done.stdout.decode().split())


def open_partnerships():
    return Partnership.objects.exclude(status=Status.CLOSED)


@pytest.mark.parametrize("fmt,read", [("docx", docx_text), ("pdf", pdf_text)])
def test_the_issued_files_hold_the_figures_the_database_holds(world, fmt, read):
    version = world.issued_version
    body = file_bytes(version, fmt)
    import hashlib

    assert hashlib.sha256(body).hexdigest() == getattr(version, f"{fmt}_sha256")
    text = read(body)
    threshold = TierThresholds.current().tier1_min_value
    over = open_partnerships().filter(annual_value__gte=threshold)
    escalated = Risk.objects.filter(status="open").filter(Scoring.current().escalated_condition()).count()
    assert f"Partnerships on the register (open) {open_partnerships().count()}" in text
    assert f"Risks escalated to the Board {escalated}" in text
    for partnership in over:
        assert partnership.title in text
    for heading in (
        "Executive summary",
        "What changed since the last report",
        "1. Governance of partnerships",
        "2. Central coordination of partnerships",
        "3. Approach to risk",
        "4. Operational headlines",
        "5. Next steps",
        "Appendix A: Register of Tier 1 partnerships",
    ):
        assert heading in text
    assert "For Information" in text and "BOD 70/2026" in text
    assert "Draft" not in text.split("Executive summary")[0]


def test_the_word_document_has_real_headings_tables_and_charts(world):
    document = docx.Document(io.BytesIO(file_bytes(world.issued_version, "docx")))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Trust partnerships update report") in headings
    assert ("Heading 2", "3. Approach to risk") in headings
    assert ("Heading 3", "Open risks on the risk matrix") in headings
    assert len(document.inline_shapes) >= 2  # the register's chart and the heatmap
    assert all(shape._inline.docPr.get("descr") for shape in document.inline_shapes)
    assert len(document.tables) >= 5


def test_a_draft_says_it_is_a_draft(world):
    draft = generated(world.draft_report, world.user("coordinator"), issue=False)
    text = pdf_text(file_bytes(draft, "pdf"))
    assert "Draft: Not issued to the board." in text
    assert "Since the report to the Board of Directors on 7 October 2026" in text


def test_what_changed_is_worked_out_from_the_previous_reports_snapshot(world):
    closed = world.other_partnership
    with audit_context(world.user("coordinator"), source="test"):
        closed.status, closed.end_date = Status.CLOSED, datetime.date(2026, 11, 30)
        closed.save()
        added = Partnership.objects.create(
            reference="P-7777", title="Oxfordshire dementia alliance", arrangement_type="alliance", status="active"
        )
        moved = world.partnership
        moved.annual_value, moved.material_contribution = Decimal("2500000"), False
        moved.save()
    before_tier = next(
        row[3]
        for row in world.issued_version.snapshot["parts"]["register"]["partnerships"]
        if row[0] == moved.reference
    )

    version = generated(world.draft_report, world.user("coordinator"), issue=False)

    lines = version.snapshot["changes"]["register"]
    assert f"Added: P-7777 {added.title}" in lines
    assert f"Closed or removed: {closed.reference} {closed.title}" in lines
    if before_tier != 1:
        assert f"Tier {before_tier} to Tier 1: {moved.reference} {moved.title}" in lines
    assert version.previous == world.issued_version
    text = docx_text(file_bytes(version, "docx"))
    assert f"Added: P-7777 {added.title}" in text


def test_an_issued_version_is_never_changed_and_reissuing_makes_a_new_one(world):
    issued = ReportVersion.objects.get(pk=world.issued_version.pk)
    issued.snapshot = {}
    with pytest.raises(AppendOnlyError):
        issued.save()
    with pytest.raises(AppendOnlyError):
        ReportVersion.objects.filter(pk=issued.pk).update(pdf_sha256="0" * 64)

    again = generated(world.issued_report, world.user("administrator"), issue=True)

    assert again.number == 2 and again.issued and again.state == State.DONE
    kept = ReportVersion.objects.get(pk=world.issued_version.pk)
    assert kept.snapshot == world.issued_version.snapshot
    assert kept.docx_sha256 == world.issued_version.docx_sha256


def test_a_task_delivered_twice_generates_the_version_once(world):
    version = services.request_version(world.draft_report, world.user("coordinator"), issue=False)
    services.generate(version.pk)
    finished = ReportVersion.objects.get(pk=version.pk)
    with CaptureQueriesContext(connection) as queries:
        services.generate(version.pk)
    assert len(queries) <= 2  # the claim found nothing queued: no reading, no writing files
    assert not any("INSERT" in q["sql"] for q in queries.captured_queries)
    assert ReportVersion.objects.get(pk=version.pk).finished_at == finished.finished_at


def test_a_part_that_fails_leaves_a_failed_version_that_says_why(client, world):
    def broken(as_of, since):
        raise ValueError("the IG matrix could not be read")

    registry.report_part("broken", "governance", broken, lambda data: [])
    try:
        version = generated(world.draft_report, world.user("coordinator"), issue=True)
    finally:
        registry.registry.report_parts.pop("broken")
    assert version.state == State.FAILED and not version.docx and not version.snapshot
    assert "the IG matrix could not be read" in version.failure
    recorded = AuditEntry.objects.filter(object_id=version.pk, object_type__model="reportversion").latest("id")
    assert recorded.after["failure"].endswith("the IG matrix could not be read")
    sign_in(client, world, "coordinator")
    body = client.get(version.get_absolute_url()).content.decode()
    assert "This version could not be generated" in body and "the IG matrix could not be read" in body
    assert not ReportVersion.objects.issued().filter(report=world.draft_report).exists()


def test_the_page_generates_through_the_task_and_polls_its_progress(client, world, django_capture_on_commit_callbacks):
    sign_in(client, world, "coordinator")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("board_reports:generate", args=[world.draft_report.pk]))
    version = world.draft_report.versions.order_by("-number").first()
    assert response["Location"] == version.get_absolute_url() and version.state == State.QUEUED

    waiting = client.get(version.get_absolute_url(), headers={"HX-Request": "true"})
    assert waiting.status_code == 200 and 'hx-trigger="every 2s"' in waiting.content.decode()
    assert "Waiting to start" in waiting.content.decode()

    for callback in queued:  # the transaction commits: the task is enqueued and (inline here) runs
        callback()
    done = client.get(version.get_absolute_url(), headers={"HX-Request": "true"})
    assert done.status_code == 286 and "Ready" in done.content.decode()  # 286: htmx stops polling
    page = client.get(version.get_absolute_url()).content.decode()
    assert reverse("board_reports:download", args=[version.pk, "docx"]) in page
    assert f"SHA-256 {ReportVersion.objects.get(pk=version.pk).pdf_sha256}" in page


def test_the_board_reads_issued_reports_only(client, world):
    sign_in(client, world, "board_member")
    listed = client.get(reverse("board_reports:list")).content.decode()
    assert "BOD 70/2026" in listed and "BOD 90/2026" not in listed
    assert client.get(world.draft_report.get_absolute_url()).status_code == 404
    assert client.get(world.draft_version.get_absolute_url()).status_code == 404
    assert client.get(reverse("board_reports:download", args=[world.draft_version.pk, "pdf"])).status_code == 404
    issued = client.get(world.issued_version.get_absolute_url()).content.decode()
    assert "Issued report" in issued and "Generate a draft" not in issued
    assert client.post(reverse("board_reports:generate", args=[world.issued_report.pk])).status_code == 403
    # The report as it stands (edited since it was issued, perhaps) is the writers' alone.
    report_page = client.get(world.issued_report.get_absolute_url()).content.decode()
    assert "Version 1" in report_page and "Cover sheet" not in report_page


def test_a_changed_file_is_refused_not_sent(client, world):
    version = world.issued_version
    with version.pdf.storage.open(version.pdf.name, "wb") as handle:
        handle.write(b"%PDF-1.7 not what the board read")
    sign_in(client, world, "auditor")
    response = client.get(reverse("board_reports:download", args=[version.pk, "pdf"]), follow=True)
    assert "cannot be sent: it is changed" in response.content.decode()


def test_a_new_report_starts_with_todays_figures(client, world):
    sign_in(client, world, "coordinator")
    body = client.get(reverse("board_reports:add")).content.decode()
    assert f"The register holds {open_partnerships().count()} open partnerships" in body


def test_collecting_the_parts_costs_the_same_queries_for_a_larger_register(world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            compose.collect(datetime.date(2026, 12, 1), datetime.date(2026, 10, 7))
        return len(captured)

    before = queries()
    Partnership.objects.bulk_create(
        Partnership(
            reference=f"P-8{i:03d}",
            title=f"Extra {i}",
            arrangement_type="informal",
            status="active",
            annual_value=Decimal(2_000_000 + i),
        )
        for i in range(30)
    )
    assert queries() == before


def test_the_figures_in_the_snapshot_come_back_as_they_were(world):
    data = world.issued_version.snapshot
    paper = compose.paper(data, issued=True)
    assert paper.title == "Trust partnerships update report"
    assert compose.paper(data, issued=True) == paper  # written from the snapshot alone, the same each time
    Partnership.objects.filter(pk=world.partnership.pk).update(title="Renamed since")
    assert "Renamed since" not in str(compose.sections(data))


def test_the_dashboard_shows_the_movement_since_the_last_issued_report(client, world):
    told = len(world.issued_version.snapshot["parts"]["register"]["partnerships"])
    closed = world.other_partnership
    with audit_context(world.user("coordinator"), source="test"):
        closed.status, closed.end_date = Status.CLOSED, datetime.date(2026, 11, 30)
        closed.save()
    sign_in(client, world, "board_member")
    body = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Movement since the last board report" in body
    assert "Board of Directors, 7 October 2026" in body
    row = body.split("Open partnerships", 1)[1].split("</tr>", 1)[0]
    assert f"</span>{told}</td>" in row and f"</span>{told - 1}</td>" in row and "−1" in row
    assert world.issued_version.get_absolute_url() in body
