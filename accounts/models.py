"""Users and their roles.

A user has exactly one role (``core.roles.Role``). What each role may do is in ``core.permissions``; object access
(a lead's own partnerships) is a queryset filter next to the model it protects.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

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
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("accounts:detail", args=[self.pk])

    @property
    def display_name(self):
        return str(self)
