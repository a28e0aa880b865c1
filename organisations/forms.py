from django import forms

from core.forms import AccordModelForm, https_url_formfield
from organisations.dspt import DsptStatus
from organisations.models import Organisation


class OrganisationForm(AccordModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "ods_code",
            "postcode",
            "charity_number",
            "company_number",
            "website",
            "is_home_trust",
            "opened_on",
            "closed_on",
            "dspt_status",
            "dspt_year",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = https_url_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the organisation's name."
        self.fields["kind"].error_messages["required"] = "Choose the kind of organisation."
        self.fields["ods_code"].widget.attrs["class"] += " nhsuk-input--width-10"
        self.fields["postcode"].widget.attrs["class"] += " nhsuk-input--width-10"
        self.fields["dspt_year"].widget.attrs["class"] += " nhsuk-input--width-5"
        self.fields["dspt_status"].choices = [("", "Not recorded"), *DsptStatus.choices]
        self.fields["website"].error_messages["invalid"] = (
            "Enter a full web address, for example https://www.oxfordhealth.nhs.uk."
        )

    def clean_ods_code(self):
        return (self.cleaned_data.get("ods_code") or "").strip().upper() or None

    def clean_postcode(self):
        return " ".join(self.cleaned_data.get("postcode", "").upper().split())

    def clean_dspt_year(self):
        return self.cleaned_data.get("dspt_year", "").strip()

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())
