import django_filters
from django.db.models import Q

from core.forms import FilterForm
from governance.models import Body, BodyKind, Interest, InterestCategory


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
