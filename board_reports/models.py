"""Board reports: the partnerships update the coordinator writes for a meeting of the board, and
the versions of it that were generated and issued.

A :class:`BoardReport` holds what the coordinator writes (the cover sheet of REFERENCE.md §7, the
executive summary, the next steps). Each time they generate it, a :class:`ReportVersion` is made
by a background task: the data every app contributes as of that day (its *snapshot*, a JSON
document), the Word and PDF files written from it, and their SHA-256. A version is append-only
once finished, so an issued report is what the board was told, for ever; issuing again makes a
new version, never a change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.append_only import AppendOnlyModel, AppendOnlyQuerySet
from core.dates import day
from core.documents import document_storage
from core.links import reverse_pk
from core.models import BafRiskTheme, StrategicObjective
from core.validators import reject_nhs_number


class Purpose(models.TextChoices):
    DECISION = "decision", "Decision"
    APPROVAL = "approval", "Approval"
    ASSURANCE = "assurance", "Assurance"
    DISCUSSION = "discussion", "Discussion"
    INFORMATION = "information", "Information"


class BoardReportQuerySet(models.QuerySet):
    def owned_by(self, user):
        """Those outside the register's keepers read the reports that have been issued."""
        return self.filter(versions__issued=True, versions__state=State.DONE).distinct()


class BoardReport(models.Model):
    title = models.CharField(max_length=200, default="Trust partnerships update report", validators=[reject_nhs_number])
    meeting = models.CharField(
        max_length=200,
        default="Board of Directors",
        validators=[reject_nhs_number],
        help_text="For example, Board of Directors.",
    )
    meeting_date = models.DateField()
    agenda_reference = models.CharField(
        "agenda reference",
        max_length=50,
        blank=True,
        validators=[reject_nhs_number],
        help_text="For example, BOD 47/2023.",
    )
    purpose = models.CharField("for", max_length=20, choices=Purpose.choices, default=Purpose.INFORMATION)
    lead_executive = models.CharField(
        "lead executive director",
        max_length=200,
        validators=[reject_nhs_number],
        help_text="Name and title, for example Martyn Ward (Director of Strategy & Chief Information Officer).",
    )
    author = models.CharField(
        max_length=300, validators=[reject_nhs_number], help_text="Name and title of each author."
    )
    strategic_objectives = models.ManyToManyField(StrategicObjective, blank=True)
    baf_themes = models.ManyToManyField(BafRiskTheme, blank=True, verbose_name="BAF risk themes")
    governance_route = models.TextField(
        "governance route / escalation process", blank=True, validators=[reject_nhs_number]
    )
    statutory_responsibilities = models.TextField(
        "statutory or regulatory responsibilities", blank=True, validators=[reject_nhs_number]
    )
    legal_risk_assessed = models.BooleanField("a legal risk assessment has been made", default=False)
    recommendation = models.TextField(
        validators=[reject_nhs_number], help_text="For example, The Board is asked to note and discuss the report."
    )
    executive_summary = models.TextField(validators=[reject_nhs_number])
    next_steps = models.TextField(blank=True, validators=[reject_nhs_number])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BoardReportQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_date", "-id"]

    def __str__(self):
        return f"{self.title}, {self.meeting} {day(self.meeting_date)}"

    def get_absolute_url(self):
        return reverse_pk("board_reports:detail", self.pk)


class State(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being generated"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ReportVersionQuerySet(AppendOnlyQuerySet):
    def owned_by(self, user):
        """Those outside the register's keepers read issued versions only."""
        return self.issued()

    def issued(self):
        return self.filter(issued=True, state=State.DONE)


class ReportVersion(AppendOnlyModel):
    """One generation of a report: a draft for the coordinator to check, or the issued report.

    Final (never changed or deleted) once done; a failed generation is kept with its reason.
    """

    append_only_final = Q(state="done")

    report = models.ForeignKey(BoardReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    issued = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.CharField(max_length=200, blank=True, editable=False)  # written by the task, never typed
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    failure = models.CharField(max_length=300, blank=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The issued report this one says what changed since.",
    )
    snapshot = models.JSONField(default=dict, blank=True)
    docx = models.FileField(storage=document_storage, max_length=200, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    docx_size = models.PositiveIntegerField(default=0)
    pdf = models.FileField(storage=document_storage, max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    pdf_size = models.PositiveIntegerField(default=0)

    objects = ReportVersionQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_number_per_report_version")]

    def __str__(self):
        kind = "issued" if self.issued else "draft"
        return f"{self.report}, version {self.number} ({kind})"

    def get_absolute_url(self):
        return reverse_pk("board_reports:version", self.pk)

    @property
    def finished(self):
        return self.state in (State.DONE, State.FAILED)
