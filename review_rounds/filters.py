"""The filters of the rounds and of the review tasks: each one a SQL condition."""

import django_filters
from django import forms

from core.forms import FilterForm
from core.models import ServiceArea
from review_rounds.models import Outcome, ReviewRound, ReviewTask, RoundStatus


class RoundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices, empty_label="Open or closed")

    class Meta:
        model = ReviewRound
        fields = []
        form = FilterForm


class TaskFilter(django_filters.FilterSet):
    tasks = django_filters.ChoiceFilter(
        label="Tasks",
        choices=[("all", "All tasks"), ("mine", "My tasks")],
        method="filter_mine",
        empty_label=None,
        help_text="“My tasks”: those assigned to you or of the partnerships you lead.",
    )
    round = django_filters.ModelChoiceFilter(label="Round", queryset=ReviewRound.objects.all(), empty_label="Any round")
    outcome = django_filters.ChoiceFilter(label="Outcome", choices=Outcome.choices, empty_label="Any outcome")
    service_area = django_filters.ModelChoiceFilter(
        label="Service area",
        field_name="partnership__service_area",
        queryset=ServiceArea.objects.all(),
        empty_label="Any service area",
    )
    late = django_filters.BooleanFilter(label="Late responses only", method="filter_late", widget=forms.CheckboxInput)

    class Meta:
        model = ReviewTask
        fields = []
        form = FilterForm

    def filter_mine(self, queryset, name, value):
        if value != "mine" or self.request is None:
            return queryset
        return queryset.owned_by(self.request.user)

    def filter_late(self, queryset, name, value):
        return queryset.filter(late=True) if value else queryset
