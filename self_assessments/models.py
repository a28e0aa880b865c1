"""Self-assessment questionnaires answered by the partners themselves.

A questionnaire is data, versioned: a ``Template`` ("Governance self-assessment for VCSE and
independent partners") has numbered ``TemplateVersion``s, each with ``Section``s of ``Question``s.
Once a version is issued to anyone it is never edited (``self_assessments.services`` refuses it):
a change is a new version. The coordinator ``Issue``s a version to organisations with a due date;
each organisation gets one ``Assessment``, answered by its partner contributors (``Answer``, with
``Evidence`` uploaded through the document store), reviewed by the coordinator (a finding per
answer), returned with a comment or accepted. Every "not met" finding becomes an
``AssessmentAction`` the partner sees.

Accord holds no patient information: every free-text field refuses an NHS number.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from assurance.models import RECORDED_ITEMS
from core.dates import local_today
from core.links import reverse_pk
from core.models import Document
from core.validators import reject_nhs_number
from organisations.models import Organisation


class AnswerType(models.TextChoices):
    YES_NO_PARTLY = "yes_no_partly", "Yes / no / partly"
    CHOICE = "choice", "Choice"
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    FILE = "file", "File only"


YES_NO_PARTLY = (("yes", "Yes"), ("no", "No"), ("partly", "Partly"))


class Template(models.Model):
    name = models.CharField(max_length=200, unique=True, validators=[reject_nhs_number])
    description = models.TextField(blank=True, validators=[reject_nhs_number])

    class Meta:
        ordering = ["name"]
        verbose_name = "self-assessment template"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        latest = self.versions.order_by("-number").first()
        return latest.get_absolute_url() if latest else reverse("self_assessments:templates")


class TemplateVersion(models.Model):
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    published_on = models.DateField(null=True, blank=True, help_text="Only a published version can be issued.")
    notes = models.TextField("what changed", blank=True, validators=[reject_nhs_number])

    class Meta:
        ordering = ["template", "-number"]
        verbose_name = "self-assessment template version"
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="one_template_version_number")]

    def __str__(self):
        return f"{self.template.name}, version {self.number}"

    def get_absolute_url(self):
        return reverse_pk("self_assessments:version", self.pk)

    @property
    def is_published(self):
        return self.published_on is not None

    def in_use(self):
        """Issued to anyone: from then on it is never edited."""
        return Assessment.objects.filter(issue__version=self).exists()


class Section(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200, validators=[reject_nhs_number])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = "self-assessment section"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.version.get_absolute_url()}#section-{self.pk}"


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("question", validators=[reject_nhs_number])
    guidance = models.TextField(blank=True, validators=[reject_nhs_number])
    answer_type = models.CharField(max_length=20, choices=AnswerType.choices, default=AnswerType.YES_NO_PARTLY)
    options = models.TextField(blank=True, validators=[reject_nhs_number], help_text="For a choice: one option a line.")
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("1"))
    required = models.BooleanField(default=True)
    evidence_required = models.BooleanField("evidence required", default=False)
    ig_item = models.CharField(
        "IG item it evidences",
        max_length=30,
        blank=True,
        choices=[(i.value, i.label) for i in RECORDED_ITEMS],
        help_text="An accepted answer with a document counts as this IG item of the organisation.",
    )

    class Meta:
        ordering = ["section__position", "position", "pk"]
        verbose_name = "self-assessment question"

    def __str__(self):
        text = " ".join(self.text.split())
        return f"{text[:80]}{'…' if len(text) > 80 else ''}"

    def get_absolute_url(self):
        return f"{self.section.version.get_absolute_url()}#question-{self.pk}"

    def clean(self):
        errors = {}
        if self.answer_type == AnswerType.CHOICE and len(self.choices()) < 2:
            errors["options"] = "Give at least two options, one a line, for a choice."
        if self.weight is not None and self.weight < 0:
            errors["weight"] = "The weight cannot be negative."
        if errors:
            raise ValidationError(errors)

    def choices(self):
        if self.answer_type == AnswerType.YES_NO_PARTLY:
            return list(YES_NO_PARTLY)
        if self.answer_type == AnswerType.CHOICE:
            return [(line.strip(), line.strip()) for line in self.options.splitlines() if line.strip()]
        return []


class Issue(models.Model):
    """A template version sent to organisations on one day, due on another."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="issues")
    due_date = models.DateField()
    issued_on = models.DateField(default=local_today)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="issued by",
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "self-assessment issue"

    def __str__(self):
        return f"{self.version} issued {self.issued_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("self_assessments:list")


class Status(models.TextChoices):
    ISSUED = "issued", "Issued"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    RESUBMITTED = "resubmitted", "Resubmitted"
    ACCEPTED = "accepted", "Accepted"


# Where the organisation answers, and where the coordinator reviews.
ANSWERING = (Status.ISSUED, Status.IN_PROGRESS, Status.RETURNED)
AWAITING_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)
STATUS_COLOUR = {
    Status.ISSUED: "grey",
    Status.IN_PROGRESS: "blue",
    Status.SUBMITTED: "yellow",
    Status.RETURNED: "orange",
    Status.RESUBMITTED: "yellow",
    Status.ACCEPTED: "green",
}


class AssessmentQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.none()  # no lead owns an organisation's assessment

    def party_to(self, user):
        """A partner contributor's: their own organisation's assessments only."""
        if getattr(user, "organisation_id", None) is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def overdue(self, today):
        return self.filter(status__in=ANSWERING, issue__due_date__lt=today)


class Assessment(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="assessments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="self_assessments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ISSUED, editable=False)
    submitted_on = models.DateField(null=True, blank=True, editable=False)
    return_comment = models.TextField("comment on return", blank=True, validators=[reject_nhs_number])
    accepted_on = models.DateField(null=True, blank=True, editable=False)
    score = models.DecimalField("score (%)", max_digits=5, decimal_places=1, null=True, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["issue__due_date", "organisation__name", "pk"]
        verbose_name = "self-assessment"
        constraints = [
            models.UniqueConstraint(fields=["issue", "organisation"], name="one_assessment_per_organisation_per_issue")
        ]
        indexes = [models.Index(fields=["status", "organisation"])]

    def __str__(self):
        return f"{self.organisation.name}: {self.issue.version.template.name}"

    def get_absolute_url(self):
        return reverse_pk("self_assessments:detail", self.pk)

    @property
    def due_date(self):
        return self.issue.due_date

    @property
    def status_colour(self):
        return STATUS_COLOUR[self.status]

    def is_answerable(self):
        return self.status in ANSWERING

    def awaits_review(self):
        return self.status in AWAITING_REVIEW

    def is_overdue(self, today=None):
        return self.status in ANSWERING and self.issue.due_date < (today or local_today())


class ChildOfAssessmentQuerySet(models.QuerySet):
    """Answers, actions: a contributor's are their organisation's assessments'."""

    path = "assessment"

    def owned_by(self, user):
        return self.none()

    def party_to(self, user):
        if getattr(user, "organisation_id", None) is None:
            return self.none()
        return self.filter(**{f"{self.path}__organisation_id": user.organisation_id})


class Finding(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


FINDING_SCORE = {Finding.MET: Decimal("1"), Finding.PARTLY_MET: Decimal("0.5"), Finding.NOT_MET: Decimal("0")}
FINDING_COLOUR = {
    Finding.MET: "green",
    Finding.PARTLY_MET: "yellow",
    Finding.NOT_MET: "red",
    Finding.NOT_APPLICABLE: "grey",
}


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField("answer", blank=True, validators=[reject_nhs_number])
    comment = models.TextField(blank=True, validators=[reject_nhs_number])
    finding = models.CharField(max_length=20, choices=Finding.choices, blank=True)
    finding_note = models.TextField("reviewer's note", blank=True, validators=[reject_nhs_number])

    objects = ChildOfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["question__section__position", "question__position", "question_id"]
        verbose_name = "self-assessment answer"
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"Answer to: {self.question}"

    def get_absolute_url(self):
        return f"{self.assessment.get_absolute_url()}#question-{self.question_id}"

    @property
    def finding_colour(self):
        return FINDING_COLOUR.get(self.finding, "white")


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class AssessmentAction(models.Model):
    """What the organisation will do about a "not met" finding."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="actions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    description = models.TextField("action", validators=[reject_nhs_number])
    owner = models.CharField(max_length=200, validators=[reject_nhs_number])
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    objects = ChildOfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = "self-assessment action"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_action_per_question_not_met")
        ]

    def __str__(self):
        text = " ".join(self.description.split())
        return f"{text[:80]}{'…' if len(text) > 80 else ''}"

    def get_absolute_url(self):
        return f"{self.assessment.get_absolute_url()}#action-{self.pk}"


class EvidenceQuerySet(ChildOfAssessmentQuerySet):
    path = "answer__assessment"


class Evidence(Document):
    """A file uploaded as evidence for one answer. Only ever added: a new file is the next version."""

    parent_field = "answer"
    download_url_name = "self_assessments:evidence"

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="documents")

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "self-assessment evidence"
        verbose_name_plural = "self-assessment evidence"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["answer", "version"], name="one_evidence_version")]

    def __str__(self):
        return f"Evidence v{self.version} ({self.original_name})"
