"""Users and their roles.

A user has exactly one role (``core.roles.Role``). What each role may do is in ``core.permissions``; object access
(a lead's own partnerships) is a queryset filter next to the model it protects. A partner
contributor belongs to one partner organisation, and only they do: the organisation is named by
label (no import of ``organisations``, which builds on this app).
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from core.links import reverse_pk
from core.roles import Role
from core.validators import reject_nhs_number


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LEAD)
    job_title = models.CharField(
        max_length=150,
        blank=True,
        validators=[reject_nhs_number],
        help_text="For example, Director of Corporate Affairs.",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributors",
        help_text="Partner contributors only: the partner organisation they belong to.",
    )

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="username_unique_whatever_case",
                violation_error_message="That username is already taken (whatever its capitals).",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="email_unique_when_given",
                violation_error_message="Another user already has that e-mail address.",
            ),
            models.CheckConstraint(
                condition=models.Q(role=Role.PARTNER_CONTRIBUTOR, organisation__isnull=False)
                | (~models.Q(role=Role.PARTNER_CONTRIBUTOR) & models.Q(organisation__isnull=True)),
                name="organisation_for_partner_contributors_only",
                violation_error_message=(
                    "A partner contributor belongs to one organisation, and nobody else belongs to one."
                ),
            ),
        ]

    def clean(self):
        super().clean()
        if self.role == Role.PARTNER_CONTRIBUTOR and self.organisation_id is None:
            raise ValidationError({"organisation": "Choose the organisation the partner contributor belongs to."})
        if self.role != Role.PARTNER_CONTRIBUTOR and self.organisation_id is not None:
            raise ValidationError({"organisation": "Only a partner contributor belongs to an organisation."})

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse_pk("accounts:detail", self.pk)

    @property
    def display_name(self):
        return str(self)
