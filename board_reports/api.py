"""Board reports in the API (``core.api``): the reports, generating a new version
(``POST /api/board-reports/<id>/generate/`` for a draft, ``…/issue/`` to issue it; the worker makes it,
listed at ``/api/board-report-versions/?report=<id>``), their versions' metadata, and the issued
Word and PDF files, sent by the page's own download view (its right: leads, board members and
auditors see issued versions only; and its SHA-256 check before a byte is sent)."""

from core import registry

from . import views
from .forms import BoardReportForm
from .models import BoardReport, ReportVersion


def register():
    registry.api(
        "board-reports",
        BoardReport,
        list_view=views.ReportListView,
        edit_view=views.ReportEditView,
        fields=(*BoardReportForm.Meta.fields, "created_by", "created_at", "updated_at"),
        actions={"generate": views.GenerateView, "issue": views.IssueView},
    )
    registry.api(
        "board-report-versions",
        ReportVersion,
        parent="report",
        fields=(
            "report",
            "number",
            "issued",
            "state",
            "step",
            "progress",
            "failure",
            "requested_by",
            "requested_at",
            "as_of",
            "finished_at",
            "previous",
            "docx_sha256",
            "docx_size",
            "pdf_sha256",
            "pdf_size",
        ),
        download_view=views.DownloadView,
        download_formats=("docx", "pdf"),
    )
