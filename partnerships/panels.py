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


def with_partnership_count(organisations):
    """The organisations list's "Partnerships" column, counted in SQL."""
    return organisations.annotate(partnership_count=Count("partner_roles"))
