"""The work queue's filters: kind, owner, directorate, tier and how late."""

from django import forms

from core.forms import FilterForm
from core.models import ServiceArea
from partnerships.tiering import TIER_CHOICES


class WorkFilterForm(FilterForm):
    kinds = forms.ChoiceField(label="Kind", required=False)
    owner = forms.ModelChoiceField(queryset=None, required=False, label="Owner", empty_label="Anyone")
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.none(), required=False, label="Directorate", empty_label="Any directorate"
    )
    tiers = forms.TypedChoiceField(
        choices=[("", "Any tier"), *TIER_CHOICES], coerce=int, empty_value=None, required=False, label="Tier"
    )
    late_by = forms.IntegerField(
        label="Overdue by at least (days)",
        required=False,
        min_value=0,
        max_value=3650,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
        error_messages={
            "invalid": "Enter a whole number of days, for example 30.",
            "min_value": "Enter a number of days from 0.",
            "max_value": "Enter a number of days up to 3,650 (ten years).",
        },
    )

    def __init__(self, *args, kinds=(), owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [("", "Any kind"), *kinds]
        self.fields["service_area"].queryset = ServiceArea.objects.order_by("name")
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners
            self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.username
