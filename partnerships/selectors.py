"""Reads about the register shared by its pages: the leads still to confirm."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.urls import reverse

from core.permissions import permitted
from partnerships.models import Partnership

NOT_LINKED = "No user is linked."
HAS_LEFT = "The linked user no longer has an active account."
NAME_DIFFERS = "The linked user's name differs from the lead as recorded."


def _text_names_the_lead():
    """The recorded lead names the linked user: it holds their full name ("Dr Anne Clarke",
    "Clarke, Anne", "Anne Clarke (Partnership Manager)"), or is their e-mail or username, case ignored."""
    full_name = ~Q(lead__first_name="") & ~Q(lead__last_name="")
    return (
        (full_name & Q(recorded_lead__icontains=Concat("lead__first_name", Value(" "), "lead__last_name")))
        | (full_name & Q(recorded_lead__icontains=Concat("lead__last_name", Value(", "), "lead__first_name")))
        | (~Q(lead__email="") & Q(recorded_lead__iexact=F("lead__email")))
        | Q(recorded_lead__iexact=F("lead__username"))
    )


def leads_to_confirm(queryset=None):
    """Partnerships whose recorded lead is linked to no user, to one who has left, or to one it does not name.

    One query, filtered in SQL: it pages and counts like any list.
    """
    queryset = Partnership.objects.all() if queryset is None else queryset
    confirmed = Q(lead__isnull=False, lead__is_active=True) & _text_names_the_lead()
    return queryset.exclude(recorded_lead="").exclude(confirmed)


def why_to_confirm(partnership):
    """Why a partnership is on "Leads to confirm", in a sentence (its lead already loaded)."""
    if partnership.lead is None:
        return NOT_LINKED
    if not partnership.lead.is_active:
        return HAS_LEFT
    return NAME_DIFFERS


@dataclass(frozen=True)
class LeadsToConfirm:
    """One "needs attention" item for the register's keepers: how many leads are still to confirm."""

    count: int
    due: datetime.date
    tag = "Leads to confirm"
    colour = "yellow"
    reference = ""

    @property
    def title(self):
        return f"{self.count} partnership{'s' if self.count != 1 else ''}"

    @property
    def url(self):
        return reverse("partnerships:leads_to_confirm")

    @property
    def message(self):
        return "the lead as recorded names no user of Accord, or another one: choose who leads each."


def leads_attention(user, today):
    """The keepers' "needs attention" item for the leads to confirm (one count, in SQL), if any."""
    if not permitted(user, "confirm_lead", Partnership):
        return []
    count = leads_to_confirm().count()
    return [LeadsToConfirm(count, today)] if count else []
