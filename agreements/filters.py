"""The agreements list's filters: each a SQL condition, so a page never loads extra rows."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from agreements.models import Agreement, AgreementKind, AgreementParty, AgreementStatus, LegallyBinding
from agreements.selectors import agreement_filters, partnership_agreement_filters
from core.dates import local_today
from core.forms import FilterForm

# The four conditions of the issue, in the words of the register (keys: agreements.selectors).
AGREEMENT_CONDITIONS = [
    ("no_signed_agreement", "No signed agreement in force"),
    ("expiring_90_days", "Expiring within 90 days"),
    ("unsigned_by_a_party", "Unsigned by a party"),
    ("milestone_overdue", "Milestone overdue"),
]
PARTNERSHIP_CONDITIONS = [
    ("no_signed_agreement", "No signed agreement in force"),
    ("expiring_90_days", "An agreement expiring within 90 days"),
    ("unsigned_by_a_party", "An agreement unsigned by a party"),
    ("milestone_overdue", "A milestone overdue"),
]


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Title, purpose, partnership or party name."
    )
    condition = django_filters.ChoiceFilter(
        label="Show only",
        choices=AGREEMENT_CONDITIONS,
        method="filter_condition",
        empty_label="All agreements",
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=AgreementKind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, empty_label="Any status")
    partnership = django_filters.CharFilter(
        label="Partnership", method="filter_partnership", help_text="Reference or title."
    )
    party = django_filters.CharFilter(
        label="Partner organisation", method="filter_party", help_text="Name or ODS code of a party."
    )
    legally_binding = django_filters.ChoiceFilter(
        label="Legally binding", choices=LegallyBinding.choices, empty_label="Any"
    )

    class Meta:
        model = Agreement
        fields = []
        form = FilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        party = AgreementParty.objects.filter(agreement=OuterRef("pk"), organisation__name__icontains=value)
        return queryset.filter(
            Q(title__icontains=value)
            | Q(purpose__icontains=value)
            | Q(partnership__reference__icontains=value)
            | Q(partnership__title__icontains=value)
            | Exists(party)
        )

    def filter_condition(self, queryset, name, value):
        return queryset.filter(agreement_filters(local_today())[value])

    def filter_partnership(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(partnership__reference__iexact=value) | Q(partnership__title__icontains=value))

    def filter_party(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        party = AgreementParty.objects.filter(agreement=OuterRef("pk")).filter(
            Q(organisation__name__icontains=value) | Q(organisation__ods_code__iexact=value)
        )
        return queryset.filter(Exists(party))


def _register_by_agreements(queryset, name, value):
    return queryset.filter(partnership_agreement_filters(local_today())[value])


# The register's "Agreements" filter (registered in agreements/apps.py).
REGISTER_FILTER = django_filters.ChoiceFilter(
    label="Agreements", choices=PARTNERSHIP_CONDITIONS, method=_register_by_agreements, empty_label="Any"
)
