from django import forms

from core.forms import AccordModelForm, https_url_formfield
from organisations.models import Organisation


class OrganisationForm(AccordModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "ods_code",
            "charity_number",
            "company_number",
            "website",
            "is_home_trust",
            "closed_on",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = https_url_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the organisation's name."
        self.fields["kind"].error_messages["required"] = "Choose the kind of organisation."
        self.fields["ods_code"].widget.attrs["class"] += " nhsuk-input--width-10"
        self.fields["website"].error_messages["invalid"] = (
            "Enter a full web address, for example https://www.oxfordhealth.nhs.uk."
        )

    def clean_ods_code(self):
        return (self.cleaned_data.get("ods_code") or "").strip().upper() or None

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())
