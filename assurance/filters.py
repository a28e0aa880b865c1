"""The IG filters: the gaps page's, and the register's "IG gaps" (registered in assurance/apps.py)."""

import django_filters
from django import forms
from django.db.models import Q

from assurance.selectors import GAP_ITEM_CHOICES, GAP_STATUSES, has_gaps, local_today
from core.forms import FilterForm
from partnerships.filters import lead_choices
from partnerships.models import ArrangementType, DataSharing, Partnership

STATUS_CHOICES = [(s.value, s.label) for s in GAP_STATUSES]


def _register_by_gaps(queryset, name, value):
    gaps = has_gaps(local_today())
    return queryset.filter(gaps) if value == "any" else queryset.exclude(gaps)


REGISTER_FILTER = django_filters.ChoiceFilter(
    label="IG gaps",
    choices=[("any", "Has information governance gaps"), ("none", "No information governance gaps")],
    method=_register_by_gaps,
    empty_label="Any",
)


class GapFilterForm(FilterForm):
    item = forms.ChoiceField(label="IG item", choices=[("", "Any item"), *GAP_ITEM_CHOICES], required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *STATUS_CHOICES], required=False)
    arrangement_type = forms.ChoiceField(
        label="Type of arrangement", choices=[("", "Any type"), *ArrangementType.choices], required=False
    )
    data_sharing = forms.ChoiceField(
        label="Level of data sharing",
        choices=[("", "Any level"), ("not_assessed", "Not assessed"), *DataSharing.choices],
        required=False,
    )
    lead = forms.ChoiceField(label="Internal lead", required=False)
    q = forms.CharField(label="Partnership", required=False, help_text="Reference or title.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "Any lead"), *lead_choices()]  # read once, as plain values


class GapFilter:
    """The gaps page's filters, in the shape the generic list template expects of a filterset."""

    def __init__(self, data):
        self.form = GapFilterForm(data or None)
        self.is_bound = self.form.is_bound

    def is_valid(self):
        return self.form.is_valid()

    def partnerships(self):
        """The partnerships the form narrows the gaps to (``None``, meaning all, when it is not bound)."""
        if not self.is_bound:
            return None
        queryset = Partnership.objects.all()
        data = self.form.cleaned_data
        if data.get("arrangement_type"):
            queryset = queryset.filter(arrangement_type=data["arrangement_type"])
        if data.get("data_sharing"):
            queryset = queryset.filter(
                data_sharing="" if data["data_sharing"] == "not_assessed" else data["data_sharing"]
            )
        if data.get("lead"):
            queryset = queryset.filter(lead_id=data["lead"])
        if text := (data.get("q") or "").strip():
            queryset = queryset.filter(Q(reference__icontains=text) | Q(title__icontains=text))
        return queryset
