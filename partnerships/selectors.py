"""Reads about the register shared by its pages: the leads still to confirm, and the partnerships
that need attention (a lead to confirm, a review overdue)."""

from django.db.models import DateField, F, Q, Value
from django.db.models.functions import Concat
from django.urls import reverse

from core.attention import Item
from core.dates import day
from core.permissions import permitted, scope
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


def leads_to_confirm_rows(user, today):
    """For the register's keepers, each partnership whose lead is still to confirm, due today."""
    if not permitted(user, "confirm_lead", Partnership):
        return Partnership.objects.none()
    rows = leads_to_confirm(Partnership.objects.select_related("lead"))
    return rows.annotate(attention_due=Value(today, output_field=DateField()))


def lead_to_confirm_item(partnership, today):
    return Item(
        partnership,
        "Lead to confirm",
        "yellow",
        f"{why_to_confirm(partnership)} Choose who leads it.",
        link=reverse("partnerships:leads_to_confirm"),
    )


def review_overdue_rows(user, today):
    """The open partnerships the user looks after whose next review date has passed."""
    overdue = scope(user, "change", Partnership.objects.review_overdue(today))
    # All that review_overdue_item reads: thousands of them in the work queue's download.
    return overdue.only("reference", "title", "next_review_date").annotate(attention_due=F("next_review_date"))


def review_overdue_item(partnership, today):
    return Item(partnership, "Review overdue", "red", f"Its review was due on {day(partnership.next_review_date)}.")
