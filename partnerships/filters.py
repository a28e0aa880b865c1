"""The register's filters: every one of them a SQL condition, so a page never loads extra rows.

Apps built on the register add theirs from their ``AppConfig.ready`` (agreements, risk profile,
IG gaps: ``core.registry.list_filter``).
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from core.filters import ExtensibleFilterSet
from core.forms import FilterForm
from core.models import ServiceArea, StrategicObjective
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, PartnerRole, Partnership, Status
from partnerships.tiering import TIER_CHOICES


def lead_choices():
    """(pk, name) of every user who leads a partnership, read as plain values: a trust has hundreds."""
    leads = (
        User.objects.filter(Exists(Partnership.objects.filter(lead=OuterRef("pk"))))
        .order_by(*User._meta.ordering)
        .values_list("pk", "first_name", "last_name", "username")
    )
    return [(pk, f"{first} {last}".strip() or username) for pk, first, last, username in leads]


VALUE_MESSAGES = {
    "value_min": "Enter the lowest annual value as a number of pounds, for example 100000.",
    "value_max": "Enter the highest annual value as a number of pounds, for example 1000000.",
}


class RegisterFilterForm(FilterForm):
    def clean(self):
        data = super().clean()
        low, high = data.get("value_min"), data.get("value_max")
        if low is not None and high is not None and low > high:
            self.add_error("value_max", "The highest annual value must be the same as or more than the lowest.")
        return data


class RegisterFilter(ExtensibleFilterSet):
    partner_filters = ("q", "status", "partner")  # nothing internal: what partners see on the page

    partnerships = django_filters.ChoiceFilter(
        label="Partnerships",
        choices=[("all", "All partnerships"), ("mine", "My partnerships")],
        method="filter_mine",
        empty_label=None,
        help_text="“My partnerships”: those you lead or are delegated on.",
    )
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        help_text="Reference, title, purpose or partner name.",
    )
    arrangement_type = django_filters.ChoiceFilter(
        label="Type of arrangement", choices=ArrangementType.choices, empty_label="Any type"
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    tier = django_filters.ChoiceFilter(label="Tier", choices=TIER_CHOICES, empty_label="Any tier")
    partner = django_filters.CharFilter(
        label="Partner organisation",
        method="filter_partner",
        help_text="Name or ODS code.",
    )
    partner_kind = django_filters.ChoiceFilter(
        label="Kind of partner",
        choices=OrganisationKind.choices,
        method="filter_partner_kind",
        empty_label="Any kind",
    )
    lead = django_filters.ChoiceFilter(
        label="Internal lead",
        choices=lead_choices,
        empty_label="Any lead",
        error_messages={"invalid_choice": "Choose a lead from the list."},
    )
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), empty_label="Any service area")
    strategic_objective = django_filters.ModelChoiceFilter(
        label="Strategic objective",
        queryset=StrategicObjective.objects.all(),
        method="filter_objective",
        empty_label="Any objective",
    )
    value_min = django_filters.NumberFilter(
        label="Annual value from (£)", field_name="annual_value", lookup_expr="gte", min_value=0
    )
    value_max = django_filters.NumberFilter(
        label="Annual value up to (£)", field_name="annual_value", lookup_expr="lte", min_value=0
    )
    review_overdue = django_filters.BooleanFilter(
        label="Review overdue", method="filter_review_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Partnership
        fields = []
        form = RegisterFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in VALUE_MESSAGES.items():
            if name in self.form.fields:  # not offered to partner contributors
                self.form.fields[name].error_messages["invalid"] = message

    def filter_mine(self, queryset, name, value):
        if value != "mine" or self.request is None:
            return queryset
        return queryset.owned_by(self.request.user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The partnerships of the matching organisations as one uncorrelated subquery, worked out
        # once, rather than a lookup of the partners of each of the register's rows.
        organisations = Organisation.objects.filter(name__icontains=value).values("pk")
        with_partner = PartnerRole.objects.filter(organisation__in=organisations).values("partnership_id")
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(purpose__icontains=value)
            | Q(pk__in=with_partner)
        )

    def filter_partner(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        partner = PartnerRole.objects.filter(partnership=OuterRef("pk")).filter(
            Q(organisation__name__icontains=value) | Q(organisation__ods_code__iexact=value)
        )
        return queryset.filter(Exists(partner))

    def filter_partner_kind(self, queryset, name, value):
        partner = PartnerRole.objects.filter(partnership=OuterRef("pk"), organisation__kind=value)
        return queryset.filter(Exists(partner))

    def filter_objective(self, queryset, name, value):
        link = Partnership.strategic_objectives.through.objects.filter(
            partnership=OuterRef("pk"), strategicobjective=value
        )
        return queryset.filter(Exists(link))

    def filter_review_overdue(self, queryset, name, value):
        return queryset.review_overdue() if value else queryset
