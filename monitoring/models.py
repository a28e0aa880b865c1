"""Contract-monitoring indicators: the measurable form of an agreement's indicator of success, and
its values period by period.

An agreement's indicator (``agreements.Indicator``) says in words what is measured, how often and
the target. Its :class:`Measure` adds what a number needs to be read: the unit, whether higher or
lower is better, the numeric target and the national target where one exists, and the frequency,
which fixes the periods values are recorded for (:mod:`monitoring.periods`). A
:class:`IndicatorValue` is one period's figure, entered by the partnership's lead (or the
coordinator or an administrator, or a partner contributor where the measure is shared with
partners); there is one per period. A value's note is the trust's: partners never see it.
"""

from django.conf import settings
from django.db import models

from agreements.models import Indicator
from core.links import reverse_pk
from core.validators import reject_nhs_number
from monitoring.periods import period_name
from partnerships.models import Partnership


class Unit(models.TextChoices):
    NUMBER = "number", "Number"
    PERCENTAGE = "percentage", "Percentage"
    POUNDS = "pounds", "Pounds (£)"
    DAYS = "days", "Days"
    WEEKS = "weeks", "Weeks"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUALLY = "annually", "Annually (financial year)"


def _partnerships_of(organisation):
    return Partnership.objects.filter(partner_roles__organisation=organisation)


class MeasureQuerySet(models.QuerySet):
    def owned_by(self, user):
        """A measure is the partnership's: its lead and delegates own it."""
        return self.filter(indicator__agreement__partnership__in=Partnership.objects.owned_by(user))

    def shared_with(self, organisation):
        """The measures marked as shared with partners, of the partnerships ``organisation`` is a
        party to (what a partner contributor of that organisation will see)."""
        return self.filter(
            shared_with_partners=True, indicator__agreement__partnership__in=_partnerships_of(organisation)
        )

    def party_to(self, user):
        """A partner contributor's (``PARTY``): the measures shared with partners of the partnerships
        their organisation is a party to."""
        if user.organisation_id is None:
            return self.none()
        return self.shared_with(user.organisation_id)


class Measure(models.Model):
    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="monitoring_measure")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    national_target = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Leave blank when there is none."
    )
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY)
    shared_with_partners = models.BooleanField(
        default=False, help_text="Partner organisations of the partnership may see and enter its values."
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["indicator__agreement__partnership__reference", "indicator__id"]
        verbose_name = "indicator measure"

    def __str__(self):
        return self.indicator.measure

    def get_absolute_url(self):
        return reverse_pk("monitoring:detail", self.pk)


class IndicatorValueQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(measure__in=Measure.objects.owned_by(user))

    def shared_with(self, organisation):
        return self.filter(measure__in=Measure.objects.shared_with(organisation))

    def party_to(self, user):
        return self.filter(measure__in=Measure.objects.party_to(user))


class IndicatorValue(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(editable=False)
    period_end = models.DateField(editable=False)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True, validators=[reject_nhs_number])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_start"], name="one_value_per_period"),
        ]

    def __str__(self):
        return f"{self.measure}: {period_name(self.period_start, self.measure.frequency)}"

    def get_absolute_url(self):
        return f"{self.measure.get_absolute_url()}#values"
