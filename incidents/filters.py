"""The filters of the incidents list and of the learning digest: each one a SQL condition."""

import django_filters
from django.db.models import Q

from core.filters import AuditFilterForm
from incidents.models import Incident, IncidentStatus, IncidentType, Severity


def _partnership(queryset, name, value):
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(Q(partnership__reference__iexact=value) | Q(partnership__title__icontains=value))


def _reported_by(queryset, name, value):
    value = value.strip()
    return queryset.filter(reported_by__name__icontains=value) if value else queryset


class IncidentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="Type", choices=IncidentType.choices, empty_label="Any type")
    severity = django_filters.ChoiceFilter(choices=Severity.choices, empty_label="Any harm")
    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices, empty_label="Any status")
    partnership = django_filters.CharFilter(
        label="Partnership", method=_partnership, help_text="Reference or part of the title."
    )
    reported_by = django_filters.CharFilter(label="Reported by", method=_reported_by, help_text="Part of the name.")
    date_from = django_filters.DateFilter(label="Date from", field_name="occurred_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label="Date to", field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = Incident
        fields = []
        form = AuditFilterForm  # refuses a period that ends before it starts


class LearningFilter(django_filters.FilterSet):
    """The learning digest's period: the learning agreed from one date to another."""

    date_from = django_filters.DateFilter(
        label="Learning agreed from", field_name="learning_agreed_on", lookup_expr="gte"
    )
    date_to = django_filters.DateFilter(label="Learning agreed to", field_name="learning_agreed_on", lookup_expr="lte")
    partnership = django_filters.CharFilter(
        label="Partnership", method=_partnership, help_text="Reference or part of the title."
    )

    class Meta:
        model = Incident
        fields = []
        form = AuditFilterForm  # refuses a period that ends before it starts
