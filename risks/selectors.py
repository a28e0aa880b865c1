"""Reads about risk profiles: completeness, the highest score, the heatmap and the escalated list.

Everything a list needs is an SQL expression (annotations and subqueries), so the register can
show and filter a page of 50 partnerships' risk profiles in a fixed number of queries, whatever
the size of the register; the heatmap is one GROUP BY.

**Completeness.** A Tier 1 or Tier 2 partnership's risk profile is *complete* when each of the six
domains is assessed (an open risk in it, or a "no significant risk" record) and no open risk is
past its review date; *review overdue* when an open risk is past its review date (whatever else);
otherwise *incomplete*. A Tier 3 partnership's profile is *not required* (it is still shown).
Closed risks count for nothing. "Today" is the date in Europe/London.
"""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThanOrEqual

from core.attention import Item
from core.dates import local_today
from core.models import TierThresholds
from core.permissions import ALL, OWN, grant, scope, scope_through
from partnerships.models import Partnership, Status
from partnerships.tiering import tier_expression
from risks.models import DOMAIN_COUNT, NoSignificantRisk, Risk, RiskDomain, RiskStatus
from risks.scoring import LEVELS, Scoring

COMPLETE, INCOMPLETE, REVIEW_OVERDUE, NOT_REQUIRED = "complete", "incomplete", "review_overdue", "not_required"
PROFILE_STATUSES = [
    (COMPLETE, "Complete"),
    (INCOMPLETE, "Incomplete"),
    (REVIEW_OVERDUE, "Review overdue"),
    (NOT_REQUIRED, "Not required"),
]
PROFILE_LABELS = dict(PROFILE_STATUSES)
PROFILE_TAGS = {
    COMPLETE: "nhsuk-tag--green",
    INCOMPLETE: "nhsuk-tag--yellow",
    REVIEW_OVERDUE: "nhsuk-tag--red",
    NOT_REQUIRED: "nhsuk-tag--grey",
}


# --- completeness, in SQL ------------------------------------------------------------------------


def _open_risks_of_partnership():
    return Risk.objects.filter(partnership=OuterRef("pk"), status=RiskStatus.OPEN).order_by()


def assessed_domains_sql():
    """How many of the six domains of each partnership are assessed: those with an open risk,
    plus those with a "no significant risk" record and no open risk (never counted twice)."""
    with_open_risk = Subquery(
        _open_risks_of_partnership().values("partnership").annotate(n=Count("domain", distinct=True)).values("n"),
        output_field=IntegerField(),
    )
    open_in_same_domain = Risk.objects.filter(
        partnership=OuterRef("partnership"), domain=OuterRef("domain"), status=RiskStatus.OPEN
    )
    recorded_only = Subquery(
        NoSignificantRisk.objects.filter(partnership=OuterRef("pk"))
        .exclude(Exists(open_in_same_domain))
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    return Coalesce(with_open_risk, Value(0)) + Coalesce(recorded_only, Value(0))


def review_overdue_sql(today):
    return Exists(_open_risks_of_partnership().filter(review_date__lt=today))


def highest_score_sql():
    """The highest current score of the partnership's open risks (NULL when it has none)."""
    return Subquery(
        _open_risks_of_partnership()
        .values("partnership")
        .annotate(top=Max(Scoring.score_sql("current")))
        .values("top"),
        output_field=IntegerField(),
    )


def highest_score_sort_sql():
    """The highest current score for sorting, from the derived table (``risks.highest``): 0 when
    there is no open risk (so that "highest first" puts partnerships without risks last on every
    database). A join: added to the register only when it is sorted by the score."""
    return Coalesce(F("risk_highest__score"), Value(0))


def profile_status_sql(today, thresholds):
    return Case(
        When(Exact(tier_expression(thresholds), 3), then=Value(NOT_REQUIRED)),
        When(review_overdue_sql(today), then=Value(REVIEW_OVERDUE)),
        When(GreaterThanOrEqual(assessed_domains_sql(), Value(DOMAIN_COUNT)), then=Value(COMPLETE)),
        default=Value(INCOMPLETE),
        output_field=CharField(),
    )


def with_risk_profile(queryset, scoring=None, thresholds=None, today=None):
    """Partnerships with ``risk_profile_status``, ``risk_highest_score`` and its band's
    ``risk_highest_band`` and ``risk_highest_colour`` (all SQL)."""
    scoring = scoring or Scoring.current()
    thresholds = thresholds or TierThresholds.current()
    today = today or local_today()
    highest = highest_score_sql()
    return queryset.annotate(
        risk_profile_status=profile_status_sql(today, thresholds),
        risk_highest_score=highest,
    ).annotate(
        risk_highest_band=scoring.band_sql(highest),
        risk_highest_colour=scoring.band_sql(highest, "colour_key"),
    )


def attach_risk_profiles(partnerships, scoring=None, thresholds=None, today=None):
    """Give each partnership of a page its risk profile columns, with one query for the page.

    The register computes these for the rows it shows only, not for every row it sorts or
    filters (which use :func:`highest_score_sql` and :func:`filter_by_profile`). The highest
    score's band is looked up here (``Scoring.band``), not in SQL, where each band's test would
    repeat the score's subquery."""
    partnerships = list(partnerships)
    if not partnerships:
        return partnerships
    scoring = scoring or Scoring.current()
    thresholds = thresholds or TierThresholds.current()
    rows = (
        Partnership.objects.filter(pk__in=[p.pk for p in partnerships])
        .order_by()
        .annotate(profile=profile_status_sql(today or local_today(), thresholds), highest=highest_score_sql())
        .values_list("pk", "profile", "highest")
    )
    found = {pk: (status, highest) for pk, status, highest in rows}
    for partnership in partnerships:
        status, highest = found.get(partnership.pk, (None, None))
        band = scoring.band(highest)
        partnership.risk_profile_status = status
        partnership.risk_highest_score = highest
        partnership.risk_highest_band = band.name if band else None
        partnership.risk_highest_colour = band.colour_key if band else None
    return partnerships


def profile_condition(status, today, thresholds):
    """Partnerships whose risk profile is ``status``, as a plain condition.

    The same rule as :func:`profile_status_sql`, written per status so that the database can
    use it to choose rows (a CASE in a WHERE clause is worked out for every partnership), and
    read from the derived state of each profile (``risks.profile_state``): a join to one row per
    partnership rather than counting domains over every risk of the register."""
    required = ~Q(Exact(tier_expression(thresholds), 3))
    overdue = Q(risk_profile_state__review_due__lt=today)
    assessed = Q(risk_profile_state__assessed__gte=DOMAIN_COUNT)
    return {
        NOT_REQUIRED: ~required,
        REVIEW_OVERDUE: required & overdue,
        COMPLETE: required & ~overdue & assessed,
        INCOMPLETE: required & ~overdue & ~assessed,
    }[status]


def filter_by_profile(queryset, status, thresholds=None, today=None):
    """Partnerships whose risk profile is ``status`` (one of ``PROFILE_STATUSES``)."""
    return queryset.filter(profile_condition(status, today or local_today(), thresholds or TierThresholds.current()))


# --- a partnership's profile, for its pages -----------------------------------------------------


def open_risks_prefetch(scoring):
    """The open risks of a partnership, scored and banded in SQL, most serious first."""
    risks = scoring.annotate(Risk.objects.filter(status=RiskStatus.OPEN).select_related("baf_theme"))
    return Prefetch("risks", queryset=risks.order_by("-current_score", "domain", "title", "pk"), to_attr="open_risks")


def assessments_prefetch():
    return Prefetch(
        "no_significant_risks",
        queryset=NoSignificantRisk.objects.select_related("assessed_by"),
        to_attr="domain_assessments",
    )


@dataclass
class DomainState:
    key: str
    label: str
    risks: list = field(default_factory=list)
    no_significant_risk: NoSignificantRisk | None = None

    @property
    def assessed(self):
        return bool(self.risks) or self.no_significant_risk is not None

    @property
    def highest(self):
        return self.risks[0] if self.risks else None


@dataclass
class Profile:
    """A partnership's risk profile as its pages show it (from prefetched, SQL-scored rows)."""

    partnership: Partnership
    status: str
    domains: list
    open_risks: list
    scoring: Scoring
    can_change: bool = False
    today: object = None

    @property
    def status_label(self):
        return PROFILE_LABELS[self.status]

    @property
    def status_tag(self):
        return PROFILE_TAGS[self.status]

    @property
    def assessed_count(self):
        return sum(1 for d in self.domains if d.assessed)

    @property
    def overdue_risks(self):
        return [r for r in self.open_risks if r.review_date < self.today]

    @property
    def escalated_risks(self):
        return [r for r in self.open_risks if r.escalated]

    @property
    def domain_count(self):
        return DOMAIN_COUNT


def may_change_risks(user, partnership):
    """May ``user`` add and change the risks (and domain assessments) of ``partnership``?"""
    extent = grant(user, "change", Risk)
    if extent == ALL:
        return True
    if extent != OWN:
        return False
    return Partnership.objects.owned_by(user).filter(pk=partnership.pk).exists()


def profile_of(partnership, user, scoring, today=None):
    """The profile of a partnership loaded with :func:`with_risk_profile` and the two prefetches."""
    today = today or local_today()
    by_domain = {key: DomainState(key, label) for key, label in RiskDomain.choices}
    for risk in partnership.open_risks:
        by_domain[risk.domain].risks.append(risk)
    for record in partnership.domain_assessments:
        by_domain[record.domain].no_significant_risk = record
    return Profile(
        partnership=partnership,
        status=partnership.risk_profile_status,
        domains=list(by_domain.values()),
        open_risks=list(partnership.open_risks),
        scoring=scoring,
        can_change=may_change_risks(user, partnership),
        today=today,
    )


# --- the heatmap ----------------------------------------------------------------------------------


def heatmap_counts(risks):
    """{(likelihood, consequence): open risks} over ``risks``, for all 25 cells: one GROUP BY."""
    counts = dict.fromkeys(((likelihood, consequence) for likelihood in LEVELS for consequence in LEVELS), 0)
    rows = (
        risks.filter(status=RiskStatus.OPEN)
        .order_by()
        .values_list("current_likelihood", "current_consequence")
        .annotate(n=Count("*"))  # not of a column: the index of positions alone answers it
    )
    for likelihood, consequence, n in rows:
        counts[(likelihood, consequence)] = n
    return counts


# --- lists ----------------------------------------------------------------------------------------


def risk_list(scoring, today=None):
    """Risks with their partnership and BAF theme, every position scored and banded in SQL, and
    ``review_overdue`` (open and past the review date)."""
    overdue = Case(
        When(status=RiskStatus.OPEN, review_date__lt=today or local_today(), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    risks = Risk.objects.select_related("partnership", "baf_theme").annotate(review_overdue=overdue)
    return scoring.annotate(risks)


def escalated_risks(scoring):
    """Open risks whose current score is at or above the escalation threshold."""
    return risk_list(scoring).filter(Q(status=RiskStatus.OPEN) & Q(scoring.escalated_condition()))


def load_profile(partnership, user, scoring, thresholds=None, today=None):
    """The risk profile of one partnership for its page: a fixed number of queries (the partnership
    with its SQL status, its open risks and its "no significant risk" records)."""
    loaded = (
        with_risk_profile(Partnership.objects.filter(pk=partnership.pk), scoring, thresholds, today)
        .prefetch_related(open_risks_prefetch(scoring), assessments_prefetch())
        .get()
    )
    return profile_of(loaded, user, scoring, today)


# --- "needs attention" ----------------------------------------------------------------------------


def incomplete_profile_rows(user, today):
    """The partnerships the user looks after (tier 1 and 2, reviews not overdue) whose risk profile
    has not assessed every domain yet: due now."""
    partnerships = scope(user, "change", Partnership.objects.exclude(status=Status.CLOSED))
    incomplete = filter_by_profile(partnerships, INCOMPLETE, today=today)
    return incomplete.only(*ITEM_FIELDS).annotate(attention_due=Value(today, output_field=DateField()))


# All that ``incomplete_profile_item`` reads of a partnership (its title, its page): the work queue's
# download reads thousands of them, and a partnership read whole took a fifth of its time.
ITEM_FIELDS = ("reference", "title")


def incomplete_profile_item(partnership, today):
    return Item(
        partnership,
        "Risk profile incomplete",
        "orange",
        f"Assess each of the {DOMAIN_COUNT} risk domains, or record that it holds no significant risk.",
        today,
    )


def unthemed_escalation_rows(user, today):
    """Open risks at or above the escalation threshold with no BAF risk theme (the matrix's
    threshold was lowered after they were scored): due now."""
    risks = escalated_risks(Scoring.current()).filter(baf_theme__isnull=True)
    risks = scope_through(user, "change", risks, "partnership", Partnership.objects.all())
    return risks.annotate(attention_due=Value(today, output_field=DateField()))


def unthemed_escalation_item(risk, today):
    return Item(risk, "Escalated, no BAF theme", "red", "Choose the BAF risk theme it is escalated under.", today)
