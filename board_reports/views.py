"""The board report pages, on the generic views of ``core.views``: the reports by meeting, a
report's page with its versions, writing one, generating a draft or issuing it (a background
task whose progress the page polls with htmx), a version's page (the paper as the board reads
it, from its snapshot), its charts and its Word and PDF files."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from board_reports import compose, services
from board_reports.filters import ReportFilter
from board_reports.forms import BoardReportForm, GenerateForm
from board_reports.models import BoardReport, ReportVersion, State
from core import markup
from core import views as generic
from core.dates import day, local_today
from core.documents import DocumentUnavailable
from core.permissions import permitted, require, scope


class ReportListView(generic.ObjectListView):
    model = BoardReport
    filterset_class = ReportFilter
    template_name = "board_reports/boardreport_list.html"
    default_sort = "-meeting_date"
    columns = (
        generic.Column(
            "meeting_date",
            "Meeting date",
            sort="meeting_date",
            value=lambda r: r.meeting_date,
            html=lambda r: day(r.meeting_date),
        ),
        generic.Column("meeting", "Meeting", sort="meeting", html=lambda r: markup.escaped(r.meeting)),
        generic.Column("title", "Report", sort="title", html=lambda r: markup.link(r.get_absolute_url(), r.title)),
        generic.Column("agenda_reference", "Agenda reference", html=lambda r: markup.escaped(r.agenda_reference)),
        generic.Column(
            "purpose", "For", value=lambda r: r.get_purpose_display(), html=lambda r: r.get_purpose_display()
        ),
        generic.Column(
            "issued_versions", "Issued versions", sort="issued_versions", html=lambda r: str(r.issued_versions)
        ),
    )

    def get_queryset(self):
        return BoardReport.objects.annotate(
            issued_versions=Count("versions", filter=Q(versions__issued=True, versions__state=State.DONE))
        )

    def get_extra_context(self):
        return {"can_add": permitted(self.request.user, "add", BoardReport)}


def visible_versions(user, report):
    return scope(user, "view", report.versions.select_related("requested_by")).order_by("-number")


class ReportDetailView(generic.ObjectDetailView):
    model = BoardReport

    def get_context_data(self):
        context = super().get_context_data()
        report = self.object
        context.update(
            versions=visible_versions(self.request.user, report),
            can_generate=permitted(self.request.user, "add", ReportVersion),
            previous=services.previous_issued(report),
        )
        return context


class ReportEditView(generic.ObjectEditView):
    model = BoardReport
    form_class = BoardReportForm

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        if self.is_create and data is None:
            form.initial.setdefault("executive_summary", compose.suggested_summary(local_today(), None))
        return form

    def save(self, form):
        if self.is_create:
            form.instance.created_by = self.request.user
        return form.save()


class GenerateView(generic.ObjectMixin, View):
    """POST: queue a new draft version of the report. A step (``get_form``, ``perform``), so the
    API generates a version through it too."""

    model = BoardReport
    form_class = GenerateForm
    issue = False

    def check(self):
        require(self.request.user, "add", ReportVersion)

    def get_form(self, data=None):
        return self.form_class(data, user=self.request.user)

    def perform(self, form):
        return services.request_version(self.object, self.request.user, self.issue)

    def post(self, request, pk):
        self.check()
        version = self.perform(self.get_form(request.POST))
        doing = "is being issued" if version.issued else "is being generated"
        messages.success(request, f"Version {version.number} {doing}.")
        return redirect(version.get_absolute_url())


class IssueView(GenerateView):
    """POST: queue a new version issued to the board (kept for ever, never changed)."""

    issue = True


class VersionMixin(generic.ObjectMixin):
    model = ReportVersion

    def get_queryset(self):
        return ReportVersion.objects.select_related("report", "requested_by", "previous__report")


class VersionView(VersionMixin, View):
    """A version: its progress while it is generated, then the paper and its files."""

    def get(self, request, pk):
        self.check()
        version = self.object
        template = "board_reports/includes/progress.html" if request.htmx else "board_reports/reportversion_detail.html"
        context = {"object": version, "report": version.report}
        if version.state == State.DONE and not request.htmx:
            context["paper"] = paper = compose.paper(version.snapshot, version.issued)
            context["parts"] = _page_parts(paper.sections)
        status = 286 if request.htmx and version.finished else 200  # 286: htmx stops polling
        return render(request, template, context, status=status)


def _page_parts(sections):
    """Each section with its table's cells paired with their column's heading (a phone shows them
    as cards) and its chart's number (the figure view serves it: the page may not show data:
    pictures)."""
    parts, figures = [], 0
    for section in sections:
        rows = (
            [list(zip(section.table.headers, row, strict=True)) for row in section.table.rows] if section.table else []
        )
        parts.append({"section": section, "rows": rows, "figure": figures})
        figures += section.figure is not None
    return parts


class FigureView(VersionMixin, View):
    """The n-th chart of a finished version, as the PNG the files hold (the page may not show data: pictures)."""

    def get(self, request, pk, n):
        self.check()
        version = self.object
        if version.state != State.DONE:
            raise Http404
        figures = [s.figure for s in compose.sections(version.snapshot) if s.figure is not None]
        if not 0 <= n < len(figures):
            raise Http404
        response = HttpResponse(figures[n].png, content_type="image/png")
        response["Cache-Control"] = "private, max-age=3600"
        return response


class DownloadView(VersionMixin, View):
    """The stored Word or PDF file, checked against its SHA-256 before it is sent."""

    def get(self, request, pk, fmt):
        self.check()
        version = self.object
        if version.state != State.DONE:
            raise Http404
        try:
            return services.download(version, fmt)
        except DocumentUnavailable as error:
            messages.error(request, f"The {fmt.upper()} file of this version cannot be sent: it is {error.reason}.")
            return redirect(version.get_absolute_url())
