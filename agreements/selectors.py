"""Reads about agreements: what is due, what is late, what needs someone's attention.

Dates are compared in Europe/London: "today" is the local date of the moment given (``now``),
so a milestone due on the day the clocks change is overdue from local midnight, not from UTC's.
The "needs attention" list is computed here, once, for the pages and for the e-mail reminders
a later issue adds.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from agreements.models import ENDED_STATUSES, Agreement, AgreementParty, AgreementStatus, Milestone
from core.permissions import scope

EXPIRY_WARNINGS = (90, 30, 0)  # days before the term ends at which an agreement needs attention


def local_today(now=None):
    return timezone.localdate(now or timezone.now())


def expiring_within(queryset, days, today):
    """Agreements in force whose term ends within ``days`` days of ``today`` (or has ended)."""
    return queryset.filter(status=AgreementStatus.IN_FORCE, term_end_date__lte=today + datetime.timedelta(days=days))


def with_signature_state(queryset):
    unsigned = AgreementParty.objects.filter(agreement=OuterRef("pk"), signed_on__isnull=True)
    return queryset.annotate(has_unsigned_party=Exists(unsigned))


@dataclass(frozen=True)
class Attention:
    """One thing that needs someone's attention, ready to show or to e-mail."""

    kind: str  # "expiry" or "milestone"
    level: str  # "expired", "30 days", "90 days", "overdue"
    agreement: Agreement
    due: datetime.date
    days: int  # days until due (negative when past)
    milestone: Milestone | None = None

    @property
    def message(self):
        if self.kind == "milestone":
            return f"Milestone “{self.milestone.title}” was due on {self.due:%d %B %Y} ({-self.days} days ago)."
        if self.days < 0:
            return f"The term ended on {self.due:%d %B %Y}, {-self.days} days ago, and the agreement is still in force."
        if self.days == 0:
            return "The term ends today."
        return f"The term ends on {self.due:%d %B %Y}, in {self.days} days."


def expiry_level(days):
    if days <= 0:
        return "expired" if days < 0 else "ends today"
    return "30 days" if days <= 30 else "90 days"


def needs_attention(user, now=None):
    """Expiring agreements and overdue milestones of the partnerships the user looks after.

    Leads see their own partnerships (lead or delegate); the coordinator and administrators see
    the whole register; other roles have nothing to act on. Two queries, whatever the size.
    """
    today = local_today(now)
    agreements = scope(user, "change", Agreement.objects.select_related("partnership"))
    items = []
    for agreement in expiring_within(agreements, EXPIRY_WARNINGS[0], today).order_by("term_end_date", "pk"):
        days = (agreement.term_end_date - today).days
        items.append(Attention("expiry", expiry_level(days), agreement, agreement.term_end_date, days))
    late = (
        Milestone.objects.overdue(today)
        .filter(agreement__in=agreements.exclude(status__in=ENDED_STATUSES))
        .select_related("agreement__partnership")
        .order_by("due_date", "pk")
    )
    for milestone in late:
        days = (milestone.due_date - today).days
        items.append(Attention("milestone", "overdue", milestone.agreement, milestone.due_date, days, milestone))
    return sorted(items, key=lambda item: (item.due, item.kind))


def partnership_agreement_filters(today):
    """Conditions on partnerships for the register's agreement filters, each a subquery."""
    agreements = Agreement.objects.filter(partnership=OuterRef("pk"))
    return {
        "no_signed_agreement": ~Exists(agreements.filter(status=AgreementStatus.IN_FORCE)),
        "expiring_90_days": Exists(expiring_within(agreements, 90, today)),
        "unsigned_by_a_party": Exists(
            agreements.filter(status=AgreementStatus.APPROVED, parties__signed_on__isnull=True)
        ),
        "milestone_overdue": Exists(
            Milestone.objects.overdue(today)
            .filter(agreement__partnership=OuterRef("pk"))
            .exclude(agreement__status__in=ENDED_STATUSES)
        ),
    }


def agreement_filters(today):
    """The same conditions, on agreements themselves (the agreements list)."""
    return {
        "no_signed_agreement": ~Q(status=AgreementStatus.IN_FORCE),
        "expiring_90_days": Q(status=AgreementStatus.IN_FORCE, term_end_date__lte=today + datetime.timedelta(days=90)),
        "unsigned_by_a_party": Q(
            status=AgreementStatus.APPROVED,
            pk__in=AgreementParty.objects.filter(signed_on__isnull=True).values("agreement"),
        ),
        "milestone_overdue": Q(pk__in=Milestone.objects.overdue(today).values("agreement"))
        & ~Q(status__in=ENDED_STATUSES),
    }
