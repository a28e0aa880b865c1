"""The writes of board reports: asking for a version (a draft or the issued report) and
generating it in the background (``tasks.generate_version``).

A version is numbered with its report's row locked, and its task is queued only once that
transaction commits, so the worker never looks for a version that is not there. Generating
claims the version (queued → running) with one conditional UPDATE, so a task delivered twice
generates it once; progress is written as it goes, for the page that polls it; the finished
version is saved once, and is final from then on.
"""

import hashlib
import logging
from contextlib import nullcontext
from functools import partial
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse
from django.utils import timezone

from board_reports import compose
from board_reports.models import BoardReport, ReportVersion, State
from core import papers
from core.audit import audit_context, current_context
from core.dates import local_today
from core.documents import DOWNLOAD_HEADERS, document_storage, open_verified

log = logging.getLogger(__name__)
PDF_TEMPLATE = "board_reports/paper_pdf.html"


def previous_issued(report):
    """The issued version this report says what changed since: the latest one issued for an
    earlier meeting (a re-issue of the same report compares with the same one)."""
    return (
        ReportVersion.objects.issued()
        .filter(report__meeting_date__lt=report.meeting_date)
        .order_by("-report__meeting_date", "-number")
        .first()
    )


def request_version(report, user, issue):
    """A new version of ``report`` queued for generation: issued to the board when ``issue``."""
    from board_reports.tasks import generate_version

    with transaction.atomic():
        locked = BoardReport.objects.select_for_update().get(pk=report.pk)
        number = (locked.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
        version = ReportVersion.objects.create(
            report=locked, number=number, issued=issue, requested_by=user, step="Waiting for the worker"
        )
        transaction.on_commit(partial(generate_version.enqueue, version.pk))
    return version


def _progress(version_pk, step, progress):
    ReportVersion.objects.filter(pk=version_pk).update(step=step, progress=progress)


def _store(body, extension):
    """Store ``body`` under its checksum (shared when identical); (name, SHA-256, size)."""
    sha256 = hashlib.sha256(body).hexdigest()
    name = f"board_reports/{sha256[:2]}/{sha256}.{extension}"
    storage = document_storage()
    if not storage.exists(name):
        name = storage.save(name, ContentFile(body))
    return name, sha256, len(body)


def generate(version_pk):
    """Generate a queued version: its snapshot, then the Word document and the PDF written from it."""
    claimed = ReportVersion.objects.filter(pk=version_pk, state=State.QUEUED).update(
        state=State.RUNNING, step="Reading the register and every app's figures", progress=5
    )
    if not claimed:
        return
    version = ReportVersion.objects.select_related("report", "requested_by").get(pk=version_pk)
    # The worker runs with no one's context: its writes are the requester's, by the task. Called
    # within a context (the demo's seed, a test), the writes stay that context's.
    outside = current_context().source == "system"
    with audit_context(version.requested_by, source="task") if outside else nullcontext():
        try:
            _generate(version)
        except Exception as error:  # the page says it failed and why; the log has the traceback
            log.exception("Board report version %s failed", version_pk)
            _failed(version_pk, f"{type(error).__name__}: {error}"[:300])


def _failed(version_pk, reason):
    """Record the failure (audited) on the version as stored, nothing of the half-made one."""
    version = ReportVersion.objects.get(pk=version_pk)
    version.state, version.step, version.failure = State.FAILED, "Failed", reason
    version.save()


def _generate(version):
    report, as_of = version.report, local_today()
    previous = previous_issued(report)
    data = compose.snapshot(report, as_of, previous)
    paper = compose.paper(data, version.issued)
    _progress(version.pk, "Writing the Word document", 40)
    docx = papers.word(paper)
    _progress(version.pk, "Printing the PDF", 65)
    pdf = papers.pdf(PDF_TEMPLATE, paper)
    _progress(version.pk, "Storing the files", 90)
    version.docx, version.docx_sha256, version.docx_size = _store(docx, "docx")
    version.pdf, version.pdf_sha256, version.pdf_size = _store(pdf, "pdf")
    version.snapshot, version.as_of, version.previous = data, as_of, previous
    version.state, version.step, version.progress, version.finished_at = State.DONE, "Ready", 100, timezone.now()
    version.save()


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def download(version, fmt):
    """The version's stored ``fmt`` file as an attachment, once its SHA-256 is checked
    (``core.documents.DocumentUnavailable`` when it is missing or changed)."""
    stored = SimpleNamespace(
        file=getattr(version, fmt), sha256=getattr(version, f"{fmt}_sha256"), size=getattr(version, f"{fmt}_size")
    )
    handle = open_verified(stored)
    data = version.snapshot["cover"]
    name = papers.filename(
        data["meeting"], data["meeting_date"], data["title"], f"v{version.number}", "" if version.issued else "draft"
    )
    response = FileResponse(handle, as_attachment=True, filename=f"{name}.{fmt}", content_type=CONTENT_TYPES[fmt])
    for header, value in DOWNLOAD_HEADERS.items():
        response[header] = value
    return response
