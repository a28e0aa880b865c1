"""The filters of the list of peer review rounds: each one a SQL condition."""

import django_filters
from django import forms
from django.db.models import Q

from core.forms import FilterForm


class YearFilter(django_filters.NumberFilter):
    """A whole year (a year typed with a fraction or in words is refused, not guessed)."""

    field_class = forms.IntegerField


class RoundFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(
        label="Partnership", method="filter_partnership", help_text="Reference or part of the title."
    )
    year = YearFilter(
        label="Year",
        field_name="start_date",
        lookup_expr="year",
        min_value=1990,
        max_value=2100,
        help_text="The year the round started, for example 2019.",
    )

    class Meta:
        fields = []
        form = FilterForm

    def filter_partnership(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(partnership__reference__iexact=value) | Q(partnership__title__icontains=value))
