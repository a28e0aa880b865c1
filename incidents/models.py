"""Incidents, safeguarding concerns and serious complaints reported into a partnership.

A partner organisation reports what happened (the type, the date, the NHS harm grading), the
immediate action, and, once reviewed, the learning the partnership agrees. Its status moves one
way, open → under review → learning agreed → closed (``incidents.services``); the learning digest
gathers the learning agreed in a period for the Partnership Management Group.

Accord holds no patient information: every free-text field, the trust's own incident reference
included, refuses an NHS number.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef

from core.dates import local_today
from core.links import reverse_pk
from core.validators import reject_nhs_number
from organisations.models import Organisation
from partnerships.models import PartnerRole, Partnership, PartnershipChildQuerySet


class IncidentType(models.TextChoices):
    INCIDENT = "incident", "Incident"
    SAFEGUARDING = "safeguarding", "Safeguarding concern"
    SERIOUS_COMPLAINT = "serious_complaint", "Serious complaint"
    NEAR_MISS = "near_miss", "Near miss"


class Severity(models.TextChoices):
    """The NHS harm grading."""

    NO_HARM = "no_harm", "No harm"
    LOW = "low", "Low harm"
    MODERATE = "moderate", "Moderate harm"
    SEVERE = "severe", "Severe harm"
    DEATH = "death", "Death"


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open"
    UNDER_REVIEW = "under_review", "Under review"
    LEARNING_AGREED = "learning_agreed", "Learning agreed"
    CLOSED = "closed", "Closed"


# The one way an incident's status moves: from each status, the next.
NEXT_STATUS = {
    IncidentStatus.OPEN: IncidentStatus.UNDER_REVIEW,
    IncidentStatus.UNDER_REVIEW: IncidentStatus.LEARNING_AGREED,
    IncidentStatus.LEARNING_AGREED: IncidentStatus.CLOSED,
}
STILL_OPEN = (IncidentStatus.OPEN, IncidentStatus.UNDER_REVIEW)


class IncidentQuerySet(PartnershipChildQuerySet):
    def shared_with(self, organisation):
        """The incidents shared with ``organisation``."""
        shared = Incident.shared_with.through.objects.filter(incident=OuterRef("pk"), organisation=organisation)
        return self.filter(Exists(shared))

    def party_to(self, user):
        """A partner contributor's (``PARTY``): the incidents shared with their organisation, of the
        partnerships it is a party to. Nothing for a user of no organisation."""
        if user.organisation_id is None:
            return self.none()
        return self.shared_with(user.organisation_id).filter(partnership__in=Partnership.objects.party_to(user))

    def learning_agreed_between(self, start=None, end=None):
        """Incidents whose learning was agreed in the period (either end open), closed ones included."""
        incidents = self.filter(learning_agreed_on__isnull=False)
        if start:
            incidents = incidents.filter(learning_agreed_on__gte=start)
        if end:
            incidents = incidents.filter(learning_agreed_on__lte=end)
        return incidents


class Incident(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField("type", max_length=20, choices=IncidentType.choices)
    occurred_on = models.DateField("date", help_text="When it happened (or was raised, for a complaint).")
    reported_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="incidents_reported",
        verbose_name="reported by",
        help_text="The partner organisation reporting it into the partnership.",
    )
    severity = models.CharField(max_length=20, choices=Severity.choices, help_text="The NHS harm grading.")
    summary = models.TextField(
        validators=[reject_nhs_number], help_text="What happened, without any patient's details or NHS number."
    )
    immediate_action = models.TextField(blank=True, validators=[reject_nhs_number])
    trust_reference = models.CharField(
        "the trust's incident reference",
        max_length=50,
        blank=True,
        validators=[reject_nhs_number],
        help_text="The reference in the trust's own incident system, for example W123456. Never patient details.",
    )
    status = models.CharField(
        max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.OPEN, editable=False
    )
    learning = models.TextField(
        blank=True,
        validators=[reject_nhs_number],
        help_text="What the partnership learned and will do differently. Needed before the learning is agreed.",
    )
    learning_agreed_on = models.DateField(null=True, blank=True, editable=False)
    shared_with = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="incidents_shared",
        verbose_name="shared with",
        help_text="The partner organisations the incident and its learning are shared with.",
    )
    recorded_on = models.DateField(default=local_today, editable=False)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "occurred_on"], name="incident_partnership"),
            models.Index(fields=["occurred_on"], name="incident_occurred"),
            models.Index(fields=["status", "recorded_on"], name="incident_status"),
            models.Index(fields=["learning_agreed_on"], name="incident_learning"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=STILL_OPEN) | models.Q(learning_agreed_on__isnull=False),
                name="incident_learning_agreed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.occurred_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse_pk("incidents:detail", self.pk)

    @property
    def next_status(self):
        return NEXT_STATUS.get(self.status)

    def clean(self):
        partners = PartnerRole.objects.filter(partnership_id=self.partnership_id)
        if self.reported_by_id and not partners.filter(organisation_id=self.reported_by_id).exists():
            raise ValidationError({"reported_by": "Choose an organisation that is a partner of this partnership."})
        if self.status not in STILL_OPEN and not (self.learning or "").strip():
            raise ValidationError({"learning": "Record the learning before it is agreed."})


def partners_of(partnership_id):
    """The organisations that are partners of the partnership, by name."""
    return Organisation.objects.filter(partner_roles__partnership_id=partnership_id).order_by("name")
