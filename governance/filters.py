import django_filters
from django.db.models import Q

from core.forms import FilterForm
from governance import rules
from governance.models import Body, BodyKind, Decision, DecisionStatus, Interest, InterestCategory


class BodyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Name of the body.")
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices, empty_label="Any kind")

    class Meta:
        model = Body
        fields = []
        form = FilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value)) if value else queryset


class InterestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Name or job title.")
    category = django_filters.ChoiceFilter(choices=InterestCategory.choices, empty_label="Any category")

    class Meta:
        model = Interest
        fields = []
        form = FilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(job_title__icontains=value)) if value else queryset


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="The decision or the body's name.")
    status = django_filters.ChoiceFilter(choices=DecisionStatus.choices, empty_label="Any status")
    outcome = django_filters.ChoiceFilter(
        label="Result", choices=[(o.value, rules.OUTCOME_LABELS[o]) for o in rules.Outcome], empty_label="Any result"
    )
    category = django_filters.ChoiceFilter(
        choices=Decision._meta.get_field("category").choices, empty_label="Any category"
    )

    class Meta:
        model = Decision
        fields = []
        form = FilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(body__name__icontains=value)) if value else queryset
