import django_filters
from django.db.models import Q

from core.dates import local_today
from core.forms import FilterForm
from organisations.dspt import DsptStatus, expected_year
from organisations.models import Organisation, OrganisationKind

NOT_RECORDED = "not_recorded"


class OrganisationFilterForm(FilterForm):
    pass


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Name or ODS code.")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, empty_label="Any kind")
    dspt_status = django_filters.ChoiceFilter(
        label="DSPT status",
        choices=[*DsptStatus.choices, (NOT_RECORDED, "Not recorded")],
        method="filter_dspt_status",
        empty_label="Any DSPT status",
    )
    dspt_current = django_filters.ChoiceFilter(
        label="DSPT assessment year",
        choices=[("current", "Current (the assessment due, or newer)"), ("not_current", "Older (not current)")],
        method="filter_dspt_current",
        empty_label="Any year",
        help_text="Only organisations with a DSPT status recorded.",
    )

    class Meta:
        model = Organisation
        fields = []
        form = OrganisationFilterForm

    def filter_dspt_status(self, queryset, name, value):
        return queryset.filter(dspt_status="" if value == NOT_RECORDED else value)

    def filter_dspt_current(self, queryset, name, value):
        """The rule of ``organisations.dspt.is_current_year``, in SQL."""
        current = Q(dspt_year__gte=expected_year(local_today())) & ~Q(dspt_year="")
        recorded = queryset.exclude(dspt_status="")
        return recorded.filter(current) if value == "current" else recorded.exclude(current)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(ods_code__iexact=value))
