"""The IG gaps page's filters: which item, status, type of arrangement, level of sharing, lead."""

from django import forms
from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from assurance.selectors import GAP_ITEM_CHOICES, GAP_STATUSES
from core.forms import FilterForm
from partnerships.models import ArrangementType, DataSharing, Partnership

STATUS_CHOICES = [(s.value, s.label) for s in GAP_STATUSES]


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
    lead = forms.ModelChoiceField(
        label="Internal lead",
        queryset=User.objects.filter(Exists(Partnership.objects.filter(lead=OuterRef("pk")))),
        empty_label="Any lead",
        required=False,
    )
    q = forms.CharField(label="Partnership", required=False, help_text="Reference or title.")


class GapFilter:
    """The shape the generic list template expects of a filterset (a form, bound or not)."""

    def __init__(self, data):
        self.form = GapFilterForm(data or None)
        self.is_bound = self.form.is_bound

    def partnerships(self):
        queryset = Partnership.objects.all()
        data = self.form.cleaned_data
        if data.get("arrangement_type"):
            queryset = queryset.filter(arrangement_type=data["arrangement_type"])
        if data.get("data_sharing"):
            queryset = queryset.filter(
                data_sharing="" if data["data_sharing"] == "not_assessed" else data["data_sharing"]
            )
        if data.get("lead"):
            queryset = queryset.filter(lead=data["lead"])
        if text := (data.get("q") or "").strip():
            queryset = queryset.filter(Q(reference__icontains=text) | Q(title__icontains=text))
        return queryset
