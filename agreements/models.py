"""Agreements: MoUs, contracts, section 75s and the like, from draft to signed, varied, superseded.

An agreement belongs to a partnership. Its parties sign it; it comes into force only when every
party has signed. A variation is a new version of the agreement that every party signs again; the
earlier version stays readable. An agreement can be superseded by another (an MoU replaced by a
section 75 joint commissioning agreement). The lifecycle rules are in ``agreements.lifecycle``, the
writes that take its steps in ``agreements.services``, and derived dates and warnings (expiry,
overdue milestones, what needs attention) in ``agreements.selectors``.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from core.dates import day
from core.links import reverse_pk
from core.models import Document
from core.validators import reject_nhs_number
from organisations.models import Organisation
from partnerships.models import Partnership, PartnershipChildQuerySet


class AgreementKind(models.TextChoices):
    MOU = "mou", "Memorandum of understanding"
    PARTNERSHIP_AGREEMENT = "partnership_agreement", "Partnership agreement"
    CONTRACT = "contract", "Contract"
    SECTION_75 = "section_75", "Section 75 agreement"
    INFORMATION_SHARING = "information_sharing", "Information sharing agreement"
    DATA_PROCESSING = "data_processing", "Data processing agreement"
    TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
    OTHER = "other", "Other"


class LegallyBinding(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    EXCEPT = "except", "No, except stated clauses"


class Commencement(models.TextChoices):
    LAST_SIGNATURE = "last_signature", "On the date the last party signs"
    STATED_DATE = "stated_date", "On a stated date"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OUT_FOR_COMMENT = "out_for_comment", "Out for comment"
    APPROVED = "approved", "Approved, awaiting signatures"
    IN_FORCE = "in_force", "In force"
    VARIED = "varied", "Varied (replaced by a later version)"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"
    SUPERSEDED = "superseded", "Superseded"


_S = AgreementStatus
ENDED_STATUSES = (_S.VARIED, _S.EXPIRED, _S.TERMINATED, _S.SUPERSEDED)


class Agreement(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=30, choices=AgreementKind.choices)
    title = models.CharField(max_length=200, validators=[reject_nhs_number])
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    varies = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="variation",
        editable=False,
        help_text="The earlier version this variation replaces.",
    )
    purpose = models.TextField(blank=True, validators=[reject_nhs_number])
    legally_binding = models.CharField(max_length=10, choices=LegallyBinding.choices, default=LegallyBinding.NO)
    binding_exceptions = models.CharField(
        "clauses that are binding",
        max_length=300,
        blank=True,
        validators=[reject_nhs_number],
        help_text="For example, confidentiality and data protection.",
    )
    commencement = models.CharField(
        "comes into force", max_length=20, choices=Commencement.choices, default=Commencement.LAST_SIGNATURE
    )
    stated_commencement_date = models.DateField("stated commencement date", null=True, blank=True)
    term_end_date = models.DateField("term ends on", null=True, blank=True)
    notice_period = models.CharField(
        "notice or review period",
        max_length=100,
        blank=True,
        validators=[reject_nhs_number],
        help_text="For example, 3 months' notice, or reviewed annually.",
    )
    governance = models.TextField(
        "governance arrangements",
        blank=True,
        validators=[reject_nhs_number],
        help_text="For example, the Joint Commissioning Co-ordinators Committee meets at least monthly.",
    )
    status = models.CharField(
        max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT, editable=False
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes", editable=False
    )
    ended_on = models.DateField(
        "last day in force",
        null=True,
        blank=True,
        editable=False,
        help_text="The term end when it expires, the day before its successor starts when varied or superseded.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipChildQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__reference", "title", "version"]
        indexes = [models.Index(fields=["status", "term_end_date"])]

    def __str__(self):
        return f"{self.title} (version {self.version})" if self.version > 1 else self.title

    def save(self, *args, **kwargs):
        """Refuse any status change the lifecycle does not allow, from any path (the ORM too).

        The status changed *from* is the one in the database, read under a lock, not the one this
        copy was loaded with: a copy loaded earlier, or refreshed since, cannot skip or undo a step.
        Nothing comes into force until every party has signed, whoever saves it.
        """
        from agreements.lifecycle import check_status_change  # the lifecycle reads this module's choices

        with transaction.atomic(using=kwargs.get("using")):
            old = None
            if self.pk is not None:
                old = (
                    type(self)._base_manager.select_for_update().filter(pk=self.pk).values_list("status", flat=True)
                ).first()
            check_status_change(self, old)
            if old != self.status:
                self.status_changed_at = timezone.now()
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_pk("agreements:detail", self.pk)


class ShownOnTheAgreementPage:
    """A record of an agreement has no page of its own: its address is its section of the agreement's."""

    section = None  # the id of that section on the agreement page

    def get_absolute_url(self):
        return f"{self.agreement.get_absolute_url()}#{self.section}"


class AgreementChildQuerySet(models.QuerySet):
    """Records of one agreement are "owned" by whoever owns the agreement's partnership."""

    def owned_by(self, user):
        return self.filter(agreement__partnership__in=Partnership.objects.owned_by(user))


class AgreementParty(ShownOnTheAgreementPage, models.Model):
    """An organisation party to the agreement, and its signature once given."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreement_parties")
    address = models.CharField(max_length=300, blank=True, validators=[reject_nhs_number])
    signatory_name = models.CharField(max_length=150, blank=True, validators=[reject_nhs_number])
    signatory_position = models.CharField(max_length=150, blank=True, validators=[reject_nhs_number])
    signed_on = models.DateField(null=True, blank=True)
    signed_copy = models.ForeignKey(
        "AgreementDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = AgreementChildQuerySet.as_manager()
    section = "parties"

    class Meta:
        ordering = ["organisation__name"]
        verbose_name_plural = "agreement parties"
        constraints = [models.UniqueConstraint(fields=["agreement", "organisation"], name="one_party_per_organisation")]

    def __str__(self):
        return f"{self.organisation} ({'signed' if self.signed_on else 'not signed'})"

    @property
    def has_signed(self):
        return self.signed_on is not None


class Consultation(ShownOnTheAgreementPage, models.Model):
    """A round of comment on a draft: a board or committee and when it gave its feedback."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="consultations")
    body = models.CharField(
        max_length=200,
        validators=[reject_nhs_number],
        help_text="For example, Oxford Health NHS FT Board of Directors.",
    )
    date = models.DateField()
    feedback = models.TextField(blank=True, validators=[reject_nhs_number])

    objects = AgreementChildQuerySet.as_manager()
    section = "comment"

    class Meta:
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.body}, {day(self.date)}"


class DocumentKind(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final version"
    SIGNED_COPY = "signed_copy", "Signed copy"
    OTHER = "other", "Supporting document"


class AgreementDocument(Document):
    """One uploaded file of an agreement: a draft, the final version, a signed copy or a supporting
    document. Only ever added: a new file is the next version."""

    parent_field = "agreement"
    download_url_name = "agreements:document"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.DRAFT)
    title = models.CharField(max_length=200, validators=[reject_nhs_number])

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "version"], name="one_document_version")]

    def __str__(self):
        return f"{self.title} (v{self.version}, {self.original_name})"

    @property
    def label(self):
        return self.title


class ScopeItem(ShownOnTheAgreementPage, models.Model):
    """A work stream or area of opportunity the agreement covers."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="scope_items")
    title = models.CharField(max_length=200, validators=[reject_nhs_number])
    description = models.TextField(blank=True, validators=[reject_nhs_number])
    lead = models.CharField(max_length=150, blank=True, validators=[reject_nhs_number])

    objects = AgreementChildQuerySet.as_manager()
    section = "scope"

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    COMPLETE = "complete", "Complete"


class MilestoneQuerySet(AgreementChildQuerySet):
    def overdue(self, today):
        """Not complete and due before ``today`` (a date in Europe/London)."""
        return self.exclude(status=MilestoneStatus.COMPLETE).filter(due_date__lt=today)


class Milestone(ShownOnTheAgreementPage, models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300, validators=[reject_nhs_number])
    due_date = models.DateField()
    owner = models.CharField(max_length=150, blank=True, validators=[reject_nhs_number])
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED)

    objects = MilestoneQuerySet.as_manager()
    section = "milestones"

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.title} (due {day(self.due_date)})"

    def is_overdue(self, today):
        return self.status != MilestoneStatus.COMPLETE and self.due_date < today


class Indicator(ShownOnTheAgreementPage, models.Model):
    """An indicator of success: what will be measured, how often, and the target."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="indicators")
    measure = models.CharField(max_length=300, validators=[reject_nhs_number])
    frequency = models.CharField(
        max_length=50, blank=True, validators=[reject_nhs_number], help_text="For example, annually."
    )
    target = models.CharField(max_length=200, blank=True, validators=[reject_nhs_number])

    objects = AgreementChildQuerySet.as_manager()
    section = "indicators"

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.measure
