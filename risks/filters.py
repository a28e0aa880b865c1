"""Filters of the risks list, the escalated list and the heatmap: each one a SQL condition.

A band is filtered by its name in the matrix in force (``?band=High``), through the same
configuration that bands every score (``risks.scoring``).
"""

import django_filters
from django import forms
from django.db.models import Q

from core.dates import local_today
from core.forms import FilterForm
from core.models import BafRiskTheme
from risks.models import RiskDomain, RiskStatus
from risks.scoring import LEVELS, Scoring
from risks.selectors import PROFILE_STATUSES, filter_by_profile


def scoring_of(filterset):
    request = getattr(filterset, "request", None)
    return Scoring.for_request(request) if request is not None else Scoring.current()


class PartnershipAndDomainFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(
        label="Partnership", method="filter_partnership", help_text="Reference or part of the title."
    )
    domain = django_filters.ChoiceFilter(label="Domain", choices=RiskDomain.choices, empty_label="Any domain")

    class Meta:
        fields = []
        form = FilterForm

    def filter_partnership(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(partnership__reference__iexact=value) | Q(partnership__title__icontains=value))


class HeatmapFilter(PartnershipAndDomainFilter):
    pass


class RiskFilter(PartnershipAndDomainFilter):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Risk, description or owner.")
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, empty_label="Open or closed")
    likelihood = django_filters.ChoiceFilter(
        label="Current likelihood", field_name="current_likelihood", choices=[], empty_label="Any likelihood"
    )
    consequence = django_filters.ChoiceFilter(
        label="Current consequence", field_name="current_consequence", choices=[], empty_label="Any consequence"
    )
    band = django_filters.ChoiceFilter(label="Current band", method="filter_band", choices=[], empty_label="Any band")
    escalated = django_filters.BooleanFilter(
        label="Escalated only", method="filter_escalated", widget=forms.CheckboxInput
    )
    review_overdue = django_filters.BooleanFilter(
        label="Review overdue", method="filter_review_overdue", widget=forms.CheckboxInput
    )
    baf_theme = django_filters.ModelChoiceFilter(
        label="BAF risk theme", queryset=BafRiskTheme.objects.all(), empty_label="Any BAF risk theme"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scoring = scoring_of(self)
        fields = self.form.fields
        # The choices come from the matrix in force (the empty choice is the filter's own).
        fields["likelihood"].choices = [(n, str(d)) for n, d in zip(LEVELS, self.scoring.likelihood, strict=True)]
        fields["consequence"].choices = [(n, str(d)) for n, d in zip(LEVELS, self.scoring.consequence, strict=True)]
        fields["band"].choices = [(b.name, b.name) for b in self.scoring.bands]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value) | Q(owner__icontains=value))

    def filter_band(self, queryset, name, value):
        return queryset.filter(self.scoring.band_condition(value))

    def filter_escalated(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(status=RiskStatus.OPEN) & Q(self.scoring.escalated_condition()))

    def filter_review_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=RiskStatus.OPEN, review_date__lt=local_today())


class EscalatedFilter(PartnershipAndDomainFilter):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Risk, description or owner.")
    baf_theme = django_filters.ModelChoiceFilter(
        label="BAF risk theme", queryset=BafRiskTheme.objects.all(), empty_label="Any BAF risk theme"
    )
    no_baf_theme = django_filters.BooleanFilter(
        label="Not yet linked to a BAF risk theme", method="filter_no_baf_theme", widget=forms.CheckboxInput
    )
    review_overdue = django_filters.BooleanFilter(
        label="Review overdue", method="filter_review_overdue", widget=forms.CheckboxInput
    )

    search = RiskFilter.search
    filter_review_overdue = RiskFilter.filter_review_overdue

    def filter_no_baf_theme(self, queryset, name, value):
        return queryset.filter(baf_theme__isnull=True) if value else queryset


def _register_by_profile(queryset, name, value):
    return filter_by_profile(queryset, value, today=local_today())


# The register's "Risk profile" filter (registered in risks/apps.py).
REGISTER_FILTER = django_filters.ChoiceFilter(
    label="Risk profile", choices=PROFILE_STATUSES, method=_register_by_profile, empty_label="Any"
)
