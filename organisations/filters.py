import django_filters
from django.db.models import Q

from core.forms import FilterForm
from organisations.models import Organisation, OrganisationKind


class OrganisationFilterForm(FilterForm):
    pass


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Name or ODS code.")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, empty_label="Any kind")

    class Meta:
        model = Organisation
        fields = []
        form = OrganisationFilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(ods_code__iexact=value))
