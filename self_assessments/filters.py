"""The filters of the list of self-assessments: each one a SQL condition."""

import django_filters
from django import forms
from django.db.models import Q

from core.dates import local_today
from core.forms import FilterForm
from self_assessments.models import ANSWERING, Status


class AssessmentFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        label="Organisation", method="filter_organisation", help_text="Part of the name."
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    overdue = django_filters.BooleanFilter(label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput)

    class Meta:
        fields = []
        form = FilterForm

    def filter_organisation(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(organisation__name__icontains=value)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(status__in=ANSWERING, issue__due_date__lt=local_today())
        return queryset
