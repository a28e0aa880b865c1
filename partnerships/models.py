"""The partnership register: partnerships, their partners and operational headlines."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.audit import current_context
from core.dates import local_today
from core.links import reverse_pk
from core.loading import QuickPartialLoad
from core.models import BafRiskTheme, ServiceArea, StrategicObjective, TierThresholds
from core.validators import reject_nhs_number
from organisations.models import Organisation
from partnerships.tiering import derive_tier, tier_expression

REFERENCE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9\-/]{0,19}$")


class ArrangementType(models.TextChoices):
    INFORMAL = "informal", "Informal (no income transaction)"
    SINGLE_ACTION_WAIVER = "single_action_waiver", "Single action waiver"
    PROCURED_CONTRACT = "procured_contract", "Formally procured contract"
    MOU = "mou", "Memorandum of understanding"
    PROVIDER_COLLABORATIVE = "provider_collaborative", "Provider collaborative"
    SECTION_75 = "section_75", "Section 75 agreement"
    LEAD_PROVIDER_SUBCONTRACT = "lead_provider_subcontract", "Lead-provider subcontract"
    ALLIANCE = "alliance", "Alliance"
    JOINT_VENTURE = "joint_venture", "Joint venture"
    RESEARCH_COLLABORATION = "research_collaboration", "Research collaboration"
    OTHER = "other", "Other"


class TrustRole(models.TextChoices):
    LEAD = "lead", "Lead or host"
    MEMBER = "member", "Member"
    SUBCONTRACTOR = "subcontractor", "Subcontractor"
    COMMISSIONER = "commissioner", "Commissioner"


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    DEVELOPING = "developing", "Developing"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"


class ValueQualifier(models.TextChoices):
    EXACT = "exact", "Exact"
    APPROXIMATE = "approximate", "Approximate"
    UP_TO = "up_to", "Up to"


class DataSharing(models.TextChoices):
    NONE = "none", "None"
    AGGREGATE = "aggregate", "Aggregate or anonymised"
    PERSONAL = "personal", "Personal data"
    SPECIAL_CATEGORY = "special_category", "Special category (including health) data"


class PartnerRoleKind(models.TextChoices):
    LEAD = "lead", "Lead or host"
    MEMBER = "member", "Member"
    PROVIDER = "provider", "Provider"
    SUBCONTRACTOR = "subcontractor", "Subcontractor"
    COMMISSIONER = "commissioner", "Commissioner"
    FUNDER = "funder", "Funder"
    ACADEMIC = "academic", "Academic partner"
    OTHER = "other", "Other"


class PartnershipQuerySet(models.QuerySet):
    def with_tier(self, thresholds=None):
        return self.annotate(tier=tier_expression(thresholds or TierThresholds.current()))

    def owned_by(self, user):
        """Partnerships the user leads or is delegated on (a subquery, never a list of ids)."""
        delegated = Partnership.delegates.through.objects.filter(partnership=OuterRef("pk"), user=user)
        return self.filter(models.Q(lead=user) | Exists(delegated))

    def party_to(self, user):
        """Partnerships the user's organisation is a party to (a partner contributor's, ``PARTY``)."""
        if user.organisation_id is None:
            return self.none()
        party = PartnerRole.objects.filter(partnership=OuterRef("pk"), organisation=user.organisation_id)
        return self.filter(Exists(party))

    def review_overdue(self, today=None):
        today = today or local_today()
        return self.filter(next_review_date__lt=today).exclude(status=Status.CLOSED)


class Partnership(QuickPartialLoad, models.Model):
    reference = models.CharField(max_length=20, unique=True, help_text="Stable register reference, for example P-0042.")
    title = models.CharField(max_length=200, validators=[reject_nhs_number])
    purpose = models.TextField(blank=True, validators=[reject_nhs_number])
    arrangement_type = models.CharField(max_length=40, choices=ArrangementType.choices)
    trust_role = models.CharField("the trust's role", max_length=20, choices=TrustRole.choices, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        verbose_name="internal lead",
    )
    recorded_lead = models.CharField(
        "lead as recorded",
        max_length=200,
        blank=True,
        validators=[reject_nhs_number],
        help_text="The lead as the register names them, a name or a job title such as “Head of Adult Services”. "
        "Kept as written; the coordinator links the user on “Leads to confirm”.",
    )
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="delegated_partnerships",
        help_text="Colleagues who may update this partnership on the lead's behalf.",
    )
    executive_sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_partnerships",
    )
    service_area = models.ForeignKey(ServiceArea, null=True, blank=True, on_delete=models.PROTECT)
    annual_value = models.DecimalField(
        "annual value (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave blank when the value is not known. It is never guessed.",
    )
    value_qualifier = models.CharField(max_length=20, choices=ValueQualifier.choices, default=ValueQualifier.EXACT)
    value_note = models.CharField(
        "note on the value",
        max_length=200,
        blank=True,
        validators=[reject_nhs_number],
        help_text="What the value stands for, for example “in-kind support”, “2019/20” or the range “£1–2m”.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    strategic_objectives = models.ManyToManyField(StrategicObjective, blank=True)
    material_contribution = models.BooleanField(
        "materially contributes to a strategic objective",
        default=False,
        help_text="Makes the partnership Tier 1 whatever its value.",
    )
    baf_themes = models.ManyToManyField(BafRiskTheme, blank=True, verbose_name="BAF risk themes")
    data_sharing = models.CharField("level of data sharing", max_length=20, choices=DataSharing.choices, blank=True)
    standard_signed_on = models.DateField("Partnership Standard signed on", null=True, blank=True)
    notes = models.TextField(blank=True, validators=[reject_nhs_number])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        indexes = [
            # The register's commonest view, the active partnerships by value, reads its page
            # straight off this index (status alone uses it too).
            models.Index(fields=["status", "annual_value", "id"], name="partnership_status_value_idx"),
            # "Leads to confirm" reads only the partnerships with a lead written as text.
            models.Index(fields=["lead"], condition=~models.Q(recorded_lead=""), name="partnership_recorded_lead_idx"),
            # Which partnerships need an IG item depends on status, level of data sharing and type;
            # the IG gaps page then sorts by reference: it and the register's "IG gaps" filter read
            # them all from this index, not the table.
            models.Index(
                fields=["status", "data_sharing", "arrangement_type", "reference", "id"], name="partnership_ig_need_idx"
            ),
            models.Index(fields=["arrangement_type"]),
            models.Index(fields=["annual_value"]),
            # The dashboard's breakdowns (type, tier, status, directorate, value): one pass over this
            # index rather than over the partnerships' whole rows.
            models.Index(
                fields=["status", "arrangement_type", "service_area", "material_contribution", "annual_value"],
                name="partnership_breakdown_idx",
            ),
            # Reviews overdue (the work queue): the date and whether closed, read from the index alone.
            models.Index(fields=["next_review_date", "status"], name="partnership_review_due_idx"),
            models.Index(fields=["title"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        instance._loaded_totals = (instance._loaded_status, instance.__dict__.get("annual_value"))
        return instance

    def save(self, *args, **kwargs):
        """Stamp who changed the status and when, whichever path (page, import, shell) saved it.

        A record created with the date its status took effect (demo data from the board papers)
        keeps that date; forms cannot set it.
        """
        dated_at_creation = self._state.adding and self.status_changed_at is not None
        if self._status_changed() and not dated_at_creation:
            user = current_context().user
            self.status_changed_at = timezone.now()
            self.status_changed_by = user if getattr(user, "pk", None) else None
        super().save(*args, **kwargs)
        self._loaded_status = self.status
        self._loaded_totals = (self.status, self.annual_value)  # what partners' totals were worked out from

    def _status_changed(self):
        if "status" not in self.__dict__:  # read without it (``.only()``) and not given one since
            return False
        loaded = getattr(self, "_loaded_status", None)
        if loaded is None and not self._state.adding:  # read without it, then given one: the stored one
            loaded = Partnership.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        return self.status != loaded

    def get_absolute_url(self):
        return reverse_pk("partnerships:detail", self.pk)

    def derived_tier(self, thresholds=None):
        return derive_tier(self.annual_value, self.material_contribution, thresholds or TierThresholds.current())

    @property
    def is_review_overdue(self):
        return bool(self.next_review_date and self.next_review_date < local_today() and self.status != Status.CLOSED)

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be the same as or after the start date."
        if self.status == Status.CLOSED and not self.end_date:
            errors["end_date"] = "Enter the date the partnership ended: a closed partnership needs an end date."
        if self.annual_value is not None and self.annual_value < 0:
            errors["annual_value"] = "Enter an annual value of £0 or more, or leave it blank if not known."
        if self.annual_value is None and self.value_qualifier != ValueQualifier.EXACT:
            errors["value_qualifier"] = "“Approximate” or “up to” needs an annual value."
        if errors:
            raise ValidationError(errors)


def next_reference():
    """The next free reference in the P-0001 series."""
    numbers = Partnership.objects.filter(reference__regex=r"^P-[0-9]+$").values_list("reference", flat=True)
    highest = max((int(r[2:]) for r in numbers), default=0)
    return f"P-{highest + 1:04d}"


class PartnershipChildQuerySet(models.QuerySet):
    """Records that belong to one partnership are "owned" by whoever owns the partnership."""

    def owned_by(self, user):
        return self.filter(partnership__in=Partnership.objects.owned_by(user))


class PartnerRole(models.Model):
    """An organisation's part in a partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="partner_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partner_roles")
    role = models.CharField(max_length=20, choices=PartnerRoleKind.choices, default=PartnerRoleKind.MEMBER)

    objects = PartnershipChildQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="one_role_per_partner"),
        ]
        # The partnerships of a set of organisations (a DSPT status, a search by partner name).
        indexes = [models.Index(fields=["organisation", "partnership"], name="partnerrole_organisation_idx")]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display().lower()})"

    def get_absolute_url(self):
        return f"{self.partnership.get_absolute_url()}#partners"


class Headline(models.Model):
    """A dated operational headline; flagged ones feed the board report."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="headlines")
    date = models.DateField(default=timezone.localdate)
    text = models.TextField(validators=[reject_nhs_number])
    for_board_report = models.BooleanField("include in the board report", default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PartnershipChildQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]

    def get_absolute_url(self):
        return f"{self.partnership.get_absolute_url()}#headlines"

    def __str__(self):
        text = " ".join(self.text.split())
        return f"{self.date:%d %b %Y}: {text[:80]}{'…' if len(text) > 80 else ''}"


class PartnerTotal(models.Model):
    """How many open partnerships (all but closed) an organisation is a partner in, and their value
    a year: derived, never typed in, kept in step with partner roles and partnerships by
    ``partnerships.partner_totals`` (which says why it exists). Only for an organisation in at
    least one open partnership."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="partner_total")
    partnerships = models.PositiveIntegerField("open partnerships")
    value = models.DecimalField("their value a year (£)", max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = "partner organisation's total"
        # The dashboard's network: the organisations by value, largest first.
        indexes = [models.Index(fields=["-value", "organisation"], name="partnertotal_value_idx")]

    def __str__(self):
        return f"{self.partnerships} open partnerships, £{self.value:,.0f} a year"

    @property
    def key(self):
        return self.organisation_id


class ImportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"


class RegisterImport(models.Model):
    """One commit of a register spreadsheet, run by the background worker (``partnerships.tasks``).

    Queued from the import page or ``manage.py import_register`` with the rows already read and
    checked (the file itself is never kept: its rows are, as JSON, until the import is done), the
    header row and the column mapping. The worker claims it, plans the rows again and writes all of
    them or none in one transaction, whose first statement marks the import done: a worker killed
    before that transaction commits leaves the register, and this record's state, as they were
    ("running": ``services.run_again`` queues it once more). ``attempt`` counts the claims, so an
    older attempt still writing finds its claim gone and writes nothing.
    """

    name = models.CharField("file", max_length=120, editable=False)
    sheet = models.CharField(max_length=200, blank=True, editable=False)
    header_row = models.PositiveIntegerField(editable=False)
    mapping = models.JSONField(default=list, editable=False)  # one register field key (or None) per column
    rows = models.TextField(blank=True, editable=False)  # the rows read (staging's JSON); emptied once done
    expected = models.CharField(max_length=100, blank=True, editable=False)  # what the preview said it would do
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    step = models.CharField(max_length=200, blank=True, editable=False)  # written by the task, never typed
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    attempt = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True, editable=False)
    summary = models.JSONField(default=dict, editable=False)  # created, updated, … once done
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # nobody: the command line
    requested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "register import"
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Import of {self.name}"

    def get_absolute_url(self):
        return reverse_pk("partnerships:import_run", self.pk)

    @property
    def finished(self):
        return self.state in (ImportState.DONE, ImportState.FAILED)
