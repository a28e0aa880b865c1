from django import forms
from django.core.exceptions import ValidationError

from accounts.models import User
from core.forms import AccordForm, AccordModelForm
from core.permissions import permitted
from organisations.models import Organisation
from partnerships.models import REFERENCE_PATTERN, Headline, PartnerRole, Partnership, Status, next_reference


def active_users():
    return User.objects.filter(is_active=True)


class PartnershipForm(AccordModelForm):
    class Meta:
        model = Partnership
        fields = [
            "reference",
            "title",
            "purpose",
            "arrangement_type",
            "trust_role",
            "status",
            "lead",
            "delegates",
            "executive_sponsor",
            "service_area",
            "annual_value",
            "value_qualifier",
            "start_date",
            "end_date",
            "next_review_date",
            "strategic_objectives",
            "material_contribution",
            "baf_themes",
            "data_sharing",
            "standard_signed_on",
            "notes",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "delegates": forms.CheckboxSelectMultiple,
            "strategic_objectives": forms.CheckboxSelectMultiple,
            "baf_themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "reference": "Leave blank to take the next free reference (P-0001, P-0002, …). It cannot change later.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead", "executive_sponsor"):
            self.fields[name].queryset = active_users()
            self.fields[name].empty_label = "Not yet named"
        self.fields["delegates"].queryset = active_users().filter(role__in=["lead", "coordinator"])
        self.fields["strategic_objectives"].queryset = self.fields["strategic_objectives"].queryset.filter(
            is_active=True
        )
        self.fields["baf_themes"].queryset = self.fields["baf_themes"].queryset.filter(is_active=True)
        self.fields["service_area"].queryset = self.fields["service_area"].queryset.filter(is_active=True)
        self.fields["service_area"].empty_label = "Not recorded"
        self.fields["trust_role"].choices = [("", "Not recorded"), *self.fields["trust_role"].choices[1:]]
        self.fields["data_sharing"].choices = [("", "Not yet assessed"), *self.fields["data_sharing"].choices[1:]]
        self.fields["annual_value"].error_messages["invalid"] = (
            "Enter the annual value in pounds as a number, for example 750000."
        )
        self.fields["reference"].required = False
        if self.instance.pk:
            del self.fields["reference"]
            if self.user is not None and not permitted(self.user, "close", Partnership):
                del self.fields["lead"]

    def clean_reference(self):
        reference = (self.cleaned_data.get("reference") or "").strip().upper()
        if reference and not REFERENCE_PATTERN.match(reference):
            raise ValidationError("A reference can only contain letters, numbers and dashes, for example P-0042.")
        if reference and Partnership.objects.filter(reference__iexact=reference).exists():
            raise ValidationError(f"The reference {reference} is already used by another partnership.")
        return reference

    def clean_status(self):
        status = self.cleaned_data["status"]
        was_closed = self.instance.pk and self.instance.status == Status.CLOSED
        if (
            status == Status.CLOSED
            and not was_closed
            and self.user is not None
            and not permitted(self.user, "close", Partnership)
        ):
            raise ValidationError("Only the partnerships coordinator can close a partnership.")
        return status

    def _post_clean(self):
        if not self.instance.pk and not self.cleaned_data.get("reference"):
            self.cleaned_data["reference"] = next_reference()
        super()._post_clean()


class ClosePartnershipForm(AccordModelForm):
    class Meta:
        model = Partnership
        fields = ["end_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True
        self.fields["end_date"].label = "Date the partnership ended"
        self.fields["end_date"].error_messages["required"] = "Enter the date the partnership ended."

    def _post_clean(self):
        self.instance.status = Status.CLOSED
        super()._post_clean()


class PartnerRoleForm(AccordModelForm):
    class Meta:
        model = PartnerRole
        fields = ["organisation", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_home_trust=False)
        self.fields["organisation"].empty_label = "Choose an organisation"
        self.fields["organisation"].error_messages["required"] = "Choose the partner organisation."

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self.add_error("organisation", f"{self.instance.organisation} is already a partner in this partnership.")


class HeadlineForm(AccordModelForm):
    class Meta:
        model = Headline
        fields = ["date", "text", "for_board_report"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        labels = {"text": "Headline"}
        help_texts = {"for_board_report": "Flagged headlines are offered for the next board report."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the headline."
        self.fields["date"].error_messages["required"] = "Enter the date of the headline."


class ImportUploadForm(AccordForm):
    file = forms.FileField(
        label="Register spreadsheet",
        help_text="An .xlsx or .csv file, up to 10 MB.",
        error_messages={"required": "Choose the spreadsheet to import."},
    )
    sheet = forms.CharField(
        label="Worksheet name",
        required=False,
        help_text="Only for .xlsx files with several worksheets. Leave blank to use the first.",
    )
