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
from django.urls import reverse

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


class ApiTokenQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)

    def usable(self):
        """Tokens that still sign in: not revoked, not past their expiry."""
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=timezone.localdate())
        )


class ApiToken(models.Model):
    """A key a person made for a program (Power BI, a script) to use the API as them.

    Only a SHA-256 digest of the key is stored: the key itself is shown once, when it is made.
    ``prefix`` (its first characters) lets the owner tell their keys apart. A revoked token is
    kept, so the audit trail's "through the API with token …" still names it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100, validators=[reject_nhs_number], help_text="What it is for, for example “Power BI register”."
    )
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(
        null=True,
        blank=True,
        help_text="Leave blank for a token that works until you revoke it. For example, 31/03/2027",
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def get_absolute_url(self):
        return reverse("accounts_own:api_tokens")

    @property
    def state(self):
        from django.utils import timezone

        if self.revoked_at:
            return "Revoked"
        if self.expires_on and self.expires_on < timezone.localdate():
            return "Expired"
        return "Active"
