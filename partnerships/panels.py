"""What the register shows on other apps' pages (registered in ``partnerships/apps.py``)."""

from django.db.models import Count

from core.permissions import scope
from partnerships.models import PartnerRole, Partnership


def organisation_partnerships(request, organisation):
    """An organisation's page: the partnerships it is a party to, and its role in each."""
    visible = scope(request.user, "view", Partnership.objects.all())
    roles = (
        PartnerRole.objects.filter(organisation=organisation, partnership__in=visible)
        .select_related("partnership")
        .order_by("partnership__reference")
    )
    return {"roles": list(roles)}


def user_partnerships(request, user):
    """A user's page: the partnerships they lead or are delegated on."""
    visible = scope(request.user, "view", Partnership.objects.all())
    own = Partnership.objects.owned_by(user).filter(pk__in=visible.values("pk"))
    return {"person": user, "partnerships": list(own.select_related("lead").order_by("reference"))}


def with_partnership_count(organisations):
    """The organisations list's "Partnerships" column, counted in SQL."""
    return organisations.annotate(partnership_count=Count("partner_roles"))
