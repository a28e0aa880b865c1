import django_filters
from django.db.models import Q

from core.forms import FilterForm
from monitoring.models import IndicatorValue


class IndicatorValueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="The indicator, or the partnership's reference or title."
    )
    measure = django_filters.NumberFilter(label="Indicator number", field_name="measure_id")

    class Meta:
        model = IndicatorValue
        fields = []
        form = FilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        partnership = "measure__indicator__agreement__partnership__"
        return queryset.filter(
            Q(measure__indicator__measure__icontains=value)
            | Q(**{f"{partnership}reference__iexact": value})
            | Q(**{f"{partnership}title__icontains": value})
        )
