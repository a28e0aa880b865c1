from django import forms

from core.dates import local_today
from core.forms import AccordModelForm
from incidents.models import Incident, IncidentStatus, IncidentType, Severity, partners_of


class IncidentForm(AccordModelForm):
    """An incident as reported; its status moves on its own page."""

    class Meta:
        model = Incident
        fields = [
            "kind",
            "occurred_on",
            "reported_by",
            "severity",
            "summary",
            "immediate_action",
            "trust_reference",
            "learning",
            "shared_with",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "severity": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "immediate_action": forms.Textarea(attrs={"rows": 3}),
            "learning": forms.Textarea(attrs={"rows": 4}),
            "shared_with": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partners = partners_of(self.instance.partnership_id)
        fields = self.fields
        fields["kind"].choices = IncidentType.choices  # radios: no empty choice
        fields["severity"].choices = Severity.choices
        fields["reported_by"].queryset = partners
        fields["reported_by"].empty_label = "Choose the partner reporting it"
        fields["shared_with"].queryset = partners
        fields["kind"].error_messages["required"] = (
            "Choose the type: incident, safeguarding concern, serious complaint or near miss."
        )
        fields["occurred_on"].error_messages["required"] = "Enter the date it happened."
        fields["reported_by"].error_messages["required"] = "Choose the partner organisation reporting it."
        fields["reported_by"].error_messages["invalid_choice"] = (
            "Choose an organisation that is a partner of this partnership."
        )
        fields["shared_with"].error_messages["invalid_choice"] = (
            "Choose only organisations that are partners of this partnership."
        )
        fields["severity"].error_messages["required"] = "Choose the harm: no harm, low, moderate, severe or death."
        fields["summary"].error_messages["required"] = "Summarise what happened, without any patient's details."

    def clean_occurred_on(self):
        occurred = self.cleaned_data["occurred_on"]
        if occurred and occurred > local_today():
            raise forms.ValidationError("The date cannot be in the future.")
        return occurred


class PartnerIncidentForm(AccordModelForm):
    """An incident reported by a partner contributor: what happened, never the trust's own fields.

    Their organisation is the one reporting it and it is shared with the partnership's partners
    (``incidents.services.report_incident``); the trust's reference, the learning and whom it is
    shared with are the trust's to record afterwards.
    """

    class Meta:
        model = Incident
        fields = ["kind", "occurred_on", "severity", "summary", "immediate_action"]
        widgets = {
            "kind": forms.RadioSelect,
            "severity": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "immediate_action": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["kind"].choices = IncidentType.choices
        fields["severity"].choices = Severity.choices
        fields["kind"].error_messages["required"] = (
            "Choose the type: incident, safeguarding concern, serious complaint or near miss."
        )
        fields["occurred_on"].error_messages["required"] = "Enter the date it happened."
        fields["severity"].error_messages["required"] = "Choose the harm: no harm, low, moderate, severe or death."
        fields["summary"].error_messages["required"] = "Summarise what happened, without any patient's details."

    clean_occurred_on = IncidentForm.clean_occurred_on

    def _post_clean(self):
        # The model's own checks (a partner reporting it) need the reporting organisation first.
        if self.user is not None and self.user.organisation_id:
            self.instance.reported_by_id = self.user.organisation_id
        super()._post_clean()


class MoveForm(AccordModelForm):
    """The next step of an incident's status, and the learning (needed once it is agreed)."""

    new_status = forms.ChoiceField(label="Move the incident to", widget=forms.RadioSelect)

    class Meta:
        model = Incident
        fields = ["learning"]
        widgets = {"learning": forms.Textarea(attrs={"rows": 5})}

    field_order = ["new_status", "learning"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        following = self.instance.next_status
        self.fields["new_status"].choices = [(following.value, following.label)] if following else []
        self.fields["new_status"].initial = following.value if following else None
        self.fields["new_status"].error_messages["required"] = "Choose the status the incident moves to."
        if following == IncidentStatus.LEARNING_AGREED:
            self.fields["learning"].required = True
            self.fields["learning"].error_messages["required"] = "Record the learning before it is agreed."
