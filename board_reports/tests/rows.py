"""The board reports' rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

import datetime

from django.utils import timezone

from board_reports import services
from board_reports.models import BoardReport, Purpose, ReportVersion, State
from core.dates import local_today
from tests.rows import (
    KEEPERS,
    NHS_NUMBER_SHOWN,
    NOT_ALLOWED,
    OK,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    everyone,
    only,
    pk_of,
    reads,
)
from tests.world import NHS_NUMBER

COVER = {
    "title": "Trust partnerships update report",
    "meeting": "Board of Directors",
    "lead_executive": "Martyn Ward (Director of Strategy)",
    "author": "Ben Cahill (Strategy & Business Development)",
    "recommendation": "The Board is asked to note the report.",
    "executive_summary": "The register is up to date.",
}


def make_report(w, meeting_date, agenda, **extra):
    return BoardReport.objects.create(
        **{**COVER, **extra},
        meeting_date=meeting_date,
        agenda_reference=agenda,
        created_by=w.user("coordinator"),
    )


def generated(report, user, issue):
    """A version generated here and now (the task runs once the request's transaction commits)."""
    version = services.request_version(report, user, issue)
    services.generate(version.pk)
    return ReportVersion.objects.get(pk=version.pk)


# What the first world of a test process issued: the worlds are built alike, so a later world's
# report is those same files (about two seconds of Word and PDF saved per world built).
_ISSUED = {}


def _issued(report, user):
    if not _ISSUED:
        version = generated(report, user, issue=True)
        _ISSUED.update(
            snapshot=version.snapshot,
            docx=version.docx.open("rb").read(),
            pdf=version.pdf.open("rb").read(),
        )
        return version
    version = ReportVersion(report=report, number=1, issued=True, requested_by=user, snapshot=_ISSUED["snapshot"])
    version.docx, version.docx_sha256, version.docx_size = services._store(_ISSUED["docx"], "docx")
    version.pdf, version.pdf_sha256, version.pdf_size = services._store(_ISSUED["pdf"], "pdf")
    version.as_of, version.state, version.progress, version.finished_at = local_today(), State.DONE, 100, timezone.now()
    version.save()
    return version


def build(w):
    """``issued_report`` (October 2026, ``issued_version``) and ``draft_report`` (December 2026,
    only ``draft_version``, queued and not yet generated, which only the keepers read)."""
    w.issued_report = make_report(w, datetime.date(2026, 10, 7), "BOD 70/2026", purpose=Purpose.INFORMATION)
    w.issued_version = _issued(w.issued_report, w.user("coordinator"))
    w.draft_report = make_report(
        w, datetime.date(2026, 12, 9), "BOD 90/2026", purpose=Purpose.ASSURANCE, next_steps="Keepers' eyes only."
    )
    w.draft_version = services.request_version(w.draft_report, w.user("coordinator"), issue=False)


def private(w):
    return ["BOD 70/2026", "Keepers' eyes only."]


def _form(w, **changes):
    return {
        **COVER,
        "meeting_date": "13/01/2027",
        "agenda_reference": "BOD 5/2027",
        "purpose": "assurance",
        **changes,
    }


PAGES = {
    "board_reports:list": reads(),
    "board_reports:detail": reads(pk_of("issued_report")),
    "board_reports:add": Page(
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: _form(w, agenda_reference="BOD 6/2027"),
        effect=lambda w: BoardReport.objects.filter(agenda_reference="BOD 6/2027").exists(),
    ),
    "board_reports:edit": Page(
        args=pk_of("draft_report"),
        get=only(OK, KEEPERS, otherwise="404"),
        post=only(SAVED, KEEPERS, otherwise="404"),
        data=lambda w: _form(w, agenda_reference="BOD 91/2026"),
        effect=lambda w: BoardReport.objects.get(pk=w.draft_report.pk).agenda_reference == "BOD 91/2026",
    ),
    "board_reports:generate": Page(
        args=pk_of("issued_report"),
        get=everyone(NOT_ALLOWED),
        post=only(SAVED, KEEPERS),
        effect=lambda w: w.issued_report.versions.count() > 1,
    ),
    "board_reports:issue": Page(
        args=pk_of("issued_report"),
        get=everyone(NOT_ALLOWED),
        post=only(SAVED, KEEPERS),
        effect=lambda w: w.issued_report.versions.filter(issued=True).count() > 1,
    ),
    "board_reports:version": reads(pk_of("issued_version")),
    "board_reports:figure": reads(lambda w: [w.issued_version.pk, 0]),
    "board_reports:download": reads(lambda w: [w.issued_version.pk, "pdf"]),
}

EXPORTS = {
    # The keepers list every report; everyone else the issued ones.
    "board_reports:list": Export(
        key="Agenda reference",
        rows=lambda w, role: ["BOD 70/2026", "BOD 90/2026"] if role in KEEPERS else ["BOD 70/2026"],
        filter={"purpose": "assurance"},
        filtered_rows=lambda w, role: ["BOD 90/2026"] if role in KEEPERS else [],
    ),
}

AUDIT = {
    # A report stays on record with its versions: there is no deleting either.
    "board_reports.BoardReport": Change(
        lambda w: make_report(w, datetime.date(2027, 3, 10), "BOD 1/2027"),
        "agenda_reference",
        "BOD 1/2027",
        "BOD 2/2027",
        "BOD 2/2027",
        actions=("create", "update"),
    ),
    # A version is written by its generation and never changed once done.
    "board_reports.ReportVersion": Change(
        lambda w: ReportVersion.objects.create(report=w.draft_report, number=50, requested_by=w.user("coordinator")),
        "number",
        50,
        51,
        51,
        parent=lambda w: w.draft_report,
        actions=("create", "update"),
    ),
}

FORMS = {
    "board report: nothing required given, an NHS number in the summary": Form(
        "board_reports:add",
        lambda w: [],
        lambda w: {
            "title": "Update",
            "meeting": "",
            "meeting_date": "31/02/2027",
            "purpose": "",
            "executive_summary": f"Patient {NHS_NUMBER} was discussed.",
        },
        {
            "meeting": "Enter the meeting",
            "meeting_date": "Enter a real date",
            "lead_executive": "Enter the lead executive director",
            "author": "Enter the author",
            "recommendation": "Enter the recommendation",
            "executive_summary": NHS_NUMBER_SHOWN,
            "purpose": "Choose what the report is for",
        },
    ),
    "board report changed: no title, an NHS number in the next steps": Form(
        "board_reports:edit",
        pk_of("draft_report"),
        lambda w: _form(w, title="", next_steps=f"Write to {NHS_NUMBER}."),
        {"title": "Enter the report's title", "next_steps": NHS_NUMBER_SHOWN},
    ),
}


def more_reports(w, n):
    for i in range(n):
        report = make_report(
            w, datetime.date(2025, 1, 1) + datetime.timedelta(days=BoardReport.objects.count()), f"R{i}"
        )
        ReportVersion.objects.create(report=report, number=1, requested_by=w.user("coordinator"))


def more_versions(w, n):
    start = w.draft_report.versions.count() + 100
    ReportVersion.objects.bulk_create(
        ReportVersion(report=w.draft_report, number=start + i, requested_by=w.user("coordinator")) for i in range(n)
    )


QUERIES = {
    "board_reports:list": Growth(more_reports),
    "board_reports:detail": Growth(more_versions, args=pk_of("draft_report")),
}

STALE = {
    "a board report's cover sheet": Stale(
        "board_reports:edit",
        pk_of("draft_report"),
        theirs={"recommendation": "The Board is asked to approve the report."},
        yours={"next_steps": "Report again in March."},
        row=(
            "Recommendation",
            "The Board is asked to note the report.",
            "The Board is asked to approve the report.",
            None,
        ),
        their_fields={"recommendation"},
        your_fields={"next_steps"},
        them="administrator",
    ),
}

RECORDS = {
    "board_reports.BoardReport": lambda w: w.draft_report,
}
