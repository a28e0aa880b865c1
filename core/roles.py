"""The trust's roles. Every user has exactly one; what each may do is in ``core.permissions``.

A partner contributor is not one of the trust's people: they belong to one partner organisation
(``accounts.User.organisation``) and see only the partnerships it is a party to.

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
    PARTNER_CONTRIBUTOR = "partner_contributor", "Partner contributor"


# The trust's own people: everyone but partner contributors.
TRUST_ROLES = tuple(role for role in Role if role != Role.PARTNER_CONTRIBUTOR)


def sees_as_partner(user):
    """Is this a partner contributor, someone outside the trust who belongs to one partner
    organisation? Such a user sees only what a page, panel, column or filter says is for
    partners (``partners=True``); anything that says nothing is hidden from them."""
    return getattr(user, "role", None) == Role.PARTNER_CONTRIBUTOR
