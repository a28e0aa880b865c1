"""Reads about agreements: what is due, what is late, what needs someone's attention.

Dates are compared in Europe/London: "today" is the local date of the moment given (``now``),
so a milestone due on the day the clocks change is overdue from local midnight, not from UTC's.
The "needs attention" list is computed here, once, for the pages and for the e-mail reminders
a later issue adds.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, DateField, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, TruncDate

from agreements.models import ENDED_STATUSES, Agreement, AgreementParty, AgreementStatus, Commencement, Milestone
from core.dates import day
from core.permissions import scope

EXPIRY_WARNINGS = (90, 30, 0)  # days before the term ends at which an agreement needs attention


def expiring_within(queryset, days, today):
    """Agreements in force whose term ends within ``days`` days of ``today`` (or has ended)."""
    return queryset.filter(status=AgreementStatus.IN_FORCE, term_end_date__lte=today + datetime.timedelta(days=days))


def with_commencement(queryset):
    """Annotate ``party_count``, ``signed_count``, ``last_signed_on`` and ``commencement_on`` in SQL.

    ``commencement_on`` is the stated date, or the date the last party signed once every party
    has (the rule of ``agreements.lifecycle.commencement_date``), so a list of agreements needs no
    query per row.
    """
    parties = AgreementParty.objects.filter(agreement=OuterRef("pk")).order_by().values("agreement")

    def count(rows):
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0), output_field=IntegerField())

    return queryset.annotate(
        party_count=count(parties),
        signed_count=count(parties.filter(signed_on__isnull=False)),
        last_signed_on=Subquery(parties.annotate(d=Max("signed_on")).values("d"), output_field=DateField()),
    ).annotate(
        commencement_on=Case(
            When(commencement=Commencement.STATED_DATE, then=F("stated_commencement_date")),
            When(party_count__gt=0, signed_count=F("party_count"), then=F("last_signed_on")),
            default=Value(None),
            output_field=DateField(),
        )
    )


@dataclass(frozen=True)
class Attention:
    """One thing that needs someone's attention, ready to show or to e-mail."""

    kind: str  # "expiry", "milestone" or "unsigned"
    level: str  # "expired", "30 days", "90 days", "overdue", "unsigned"
    agreement: Agreement
    due: datetime.date
    days: int  # days until due (negative when past)
    milestone: Milestone | None = None

    @property
    def tag(self):
        if self.kind == "milestone":
            return "Milestone overdue"
        if self.kind == "unsigned":
            return "Awaiting signature"
        return {"expired": "Term ended", "ends today": "Ends today", "30 days": "Ends within 30 days"}.get(
            self.level, "Ends within 90 days"
        )

    @property
    def colour(self):
        if self.kind == "unsigned":
            return "yellow"
        if self.kind == "milestone" or self.level == "expired":
            return "red"
        return "orange" if self.level in ("ends today", "30 days") else "yellow"

    @property
    def title(self):
        return str(self.agreement)

    @property
    def url(self):
        url = self.agreement.get_absolute_url()
        return f"{url}#milestones" if self.kind == "milestone" else url

    @property
    def reference(self):
        return self.agreement.partnership.reference

    @property
    def message(self):
        if self.kind == "unsigned":
            n = self.agreement.unsigned
            return f"Approved on {day(self.due)}; {n} part{'y has' if n == 1 else 'ies have'} not signed yet."
        if self.kind == "milestone":
            return f"Milestone “{self.milestone.title}” was due on {day(self.due)} ({_days(-self.days)} ago)."
        if self.days < 0:
            return f"The term ended on {day(self.due)}, {_days(-self.days)} ago, and the agreement is still in force."
        if self.days == 0:
            return "The term ends today."
        return f"The term ends on {day(self.due)}, in {_days(self.days)}."


def _days(n):
    return "1 day" if n == 1 else f"{n} days"


def expiry_level(days):
    if days <= 0:
        return "expired" if days < 0 else "ends today"
    return "30 days" if days <= 30 else "90 days"


def counted_milestones(today):
    """Overdue milestones that someone must act on.

    Milestones of an agreement that has ended are history, and those of a variation still being
    prepared are copies of the version in force, which already counts them.
    """
    in_preparation = Q(agreement__varies__isnull=False) & ~Q(agreement__status=AgreementStatus.IN_FORCE)
    return Milestone.objects.overdue(today).exclude(agreement__status__in=ENDED_STATUSES).exclude(in_preparation)


def expiring_rows(user, today):
    """In-force agreements of the partnerships the user looks after whose term ends within 90 days
    or has ended ("needs attention"). Leads see their own partnerships (lead or delegate); the
    coordinator and administrators the whole register; other roles have nothing to act on."""
    agreements = scope(user, "change", Agreement.objects.select_related("partnership"))
    return expiring_within(agreements, EXPIRY_WARNINGS[0], today).annotate(attention_due=F("term_end_date"))


def expiring_item(agreement, today):
    days = (agreement.term_end_date - today).days
    return Attention("expiry", expiry_level(days), agreement, agreement.term_end_date, days)


def milestone_rows(user, today):
    """Overdue milestones of the agreements of the partnerships the user looks after."""
    agreements = scope(user, "change", Agreement.objects.all())
    late = counted_milestones(today).filter(agreement__in=agreements).select_related("agreement__partnership")
    return late.annotate(attention_due=F("due_date"))


def milestone_item(milestone, today):
    days = (milestone.due_date - today).days
    return Attention("milestone", "overdue", milestone.agreement, milestone.due_date, days, milestone)


def unsigned_rows(user, today):
    """Approved agreements that a party has not signed yet, due from the day of approval (in London)."""
    waiting = AgreementParty.objects.filter(agreement=OuterRef("pk"), signed_on__isnull=True)
    agreements = scope(user, "change", Agreement.objects.select_related("partnership"))
    return agreements.filter(Exists(waiting), status=AgreementStatus.APPROVED).annotate(
        attention_due=Coalesce(TruncDate("status_changed_at"), Cast("created_at", DateField())),
        unsigned=Subquery(waiting.order_by().values("agreement").annotate(n=Count("pk")).values("n")),
    )


def unsigned_item(agreement, today):
    return Attention("unsigned", "unsigned", agreement, agreement.attention_due, (agreement.attention_due - today).days)


def partnership_agreement_filters(today):
    """Conditions on partnerships for the register's agreement filters, each a subquery."""
    agreements = Agreement.objects.filter(partnership=OuterRef("pk"))
    return {
        "no_signed_agreement": ~Exists(agreements.filter(status=AgreementStatus.IN_FORCE)),
        "expiring_90_days": Exists(expiring_within(agreements, 90, today)),
        "unsigned_by_a_party": Exists(
            AgreementParty.objects.filter(
                agreement__partnership=OuterRef("pk"),
                agreement__status=AgreementStatus.APPROVED,
                signed_on__isnull=True,
            )
        ),
        "milestone_overdue": Exists(counted_milestones(today).filter(agreement__partnership=OuterRef("pk"))),
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
        "milestone_overdue": Q(pk__in=counted_milestones(today).values("agreement")),
    }
