"""Partner organisations: NHS bodies, councils, charities, GP federations, universities."""

import re

from django.core.exceptions import ValidationError
from django.db import models

from core.dates import day, local_today
from core.links import reverse_pk
from core.validators import reject_nhs_number
from organisations.dspt import (
    DsptStatus,
    assessment,
    deadline,
    expected_year,
    financial_year,
    is_current_year,
    validate_year,
)

ODS_CODE = re.compile(r"^(?:[A-Z0-9]{3}|[A-Z0-9]{3}[A-Z0-9]{2}|[A-Z]\d{5})$")


def normalise_name(name):
    """The form two names are compared in: case and runs of spaces ignored."""
    return " ".join((name or "").split()).casefold()


def validate_ods_code(value):
    if value and not ODS_CODE.match(value):
        raise ValidationError(
            "Enter an ODS code in the NHS format: 3 letters or digits for a trust or ICB "
            "(for example RNU), 5 for a trust site, or a letter and 5 digits for a GP practice "
            "(for example C81010).",
            code="ods_format",
        )


class OrganisationKind(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    FOUNDATION_TRUST = "foundation_trust", "NHS foundation trust"
    ICB = "icb", "Integrated care board"
    SUB_ICB = "sub_icb", "Sub-ICB location (former CCG)"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    VCSE = "vcse", "Voluntary, community or social enterprise"
    PRIMARY_CARE = "primary_care", "Primary care (practice, PCN, federation)"
    INDEPENDENT = "independent", "Independent sector"
    ACADEMIC = "academic", "Academic"
    INDUSTRY = "industry", "Industry"
    OTHER = "other", "Other"


class OrganisationQuerySet(models.QuerySet):
    def by_name(self, name):
        return self.filter(name_key=normalise_name(name))

    def open(self):
        return self.filter(closed_on__isnull=True)


class Organisation(models.Model):
    name = models.CharField(max_length=200, validators=[reject_nhs_number])
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    ods_code = models.CharField(
        "ODS code",
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_ods_code],
        help_text="NHS Organisation Data Service code, for example RNU.",
    )
    charity_number = models.CharField(max_length=20, blank=True, validators=[reject_nhs_number])
    company_number = models.CharField(max_length=20, blank=True, validators=[reject_nhs_number])
    website = models.URLField(blank=True)
    is_home_trust = models.BooleanField(
        default=False, help_text="The trust that keeps this register. Only one organisation can be it."
    )
    postcode = models.CharField(max_length=10, blank=True, validators=[reject_nhs_number])
    opened_on = models.DateField("opened on", null=True, blank=True, help_text="As recorded by the ODS, if known.")
    closed_on = models.DateField(
        null=True, blank=True, help_text="When the organisation closed or merged, for example a CCG in June 2022."
    )
    dspt_status = models.CharField(
        "DSPT status",
        max_length=30,
        choices=DsptStatus.choices,
        blank=True,
        help_text="The Data Security and Protection Toolkit status NHS England publishes for the organisation.",
    )
    dspt_year = models.CharField(
        "DSPT assessment year",
        max_length=7,
        blank=True,
        validators=[validate_year],
        help_text="The financial year of the assessment, for example 2024-25.",
    )
    notes = models.TextField(blank=True, validators=[reject_nhs_number])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home_trust"], condition=models.Q(is_home_trust=True), name="one_home_trust"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = " ".join((self.name or "").split())
        self.ods_code = (self.ods_code or "").strip().upper() or None
        errors = {}
        if Organisation.objects.by_name(self.name).exclude(pk=self.pk).exists():
            errors["name"] = f"An organisation called “{self.name}” is already on the register."
        if self.ods_code and Organisation.objects.filter(ods_code=self.ods_code).exclude(pk=self.pk).exists():
            errors["ods_code"] = f"Another organisation already has the ODS code {self.ods_code}."
        if self.is_home_trust and Organisation.objects.filter(is_home_trust=True).exclude(pk=self.pk).exists():
            errors["is_home_trust"] = "Another organisation is already marked as the home trust."
        self.dspt_year = (self.dspt_year or "").strip()
        if self.dspt_status and not self.dspt_year:
            errors["dspt_year"] = "Enter the year of the DSPT assessment, for example 2024-25."
        elif self.dspt_year and not self.dspt_status:
            errors["dspt_status"] = "Choose the DSPT status published for that year, or clear the year."
        elif self.dspt_year and "dspt_year" not in errors:
            latest = financial_year(local_today())
            try:
                validate_year(self.dspt_year)
            except ValidationError:
                pass  # the field's own validator says so
            else:
                if self.dspt_year > latest:
                    errors["dspt_year"] = f"The assessment year cannot be later than this financial year, {latest}."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.name = " ".join((self.name or "").split())
        self.name_key = normalise_name(self.name)
        self.ods_code = (self.ods_code or "").strip().upper() or None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_pk("organisations:detail", self.pk)

    @property
    def dspt_text(self):
        """ "Standards Met (2024-25)", or "" when no status is recorded."""
        if not self.dspt_status:
            return ""
        label = self.get_dspt_status_display()
        return f"{label} ({self.dspt_year})" if self.dspt_year else label

    def dspt_is_current(self, today=None):
        """Is the recorded assessment the one expected today, or newer (``organisations.dspt``)?"""
        return bool(self.dspt_status) and is_current_year(self.dspt_year, today or local_today())

    def dspt_not_current_reason(self, today=None):
        """Why a recorded assessment is not current, in words for the page."""
        expected = expected_year(today or local_today())
        due = deadline(expected)
        return f"the {expected} assessment was due by {day(due)}"

    def dspt_assessment(self, today=None):
        """in_place / in_progress / expired / missing, for a partnership's IG assurance."""
        return assessment(self.dspt_status, self.dspt_year, today or local_today())
