"""The trust's roles. Every user has exactly one; what each may do is in ``core.permissions``.

The roles live in ``core`` (not beside the user model in ``accounts``) because the rights of
every app are written in their terms, and ``core`` imports no app.
"""

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    COORDINATOR = "coordinator", "Partnerships coordinator"
    LEAD = "lead", "Partnership lead"
    EXECUTIVE = "executive", "Executive"
    BOARD_MEMBER = "board_member", "Board member"
    AUDITOR = "auditor", "Auditor"
