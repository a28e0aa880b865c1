from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator

from accounts.models import User
from core.forms import AccordForm, AccordModelForm, style_widgets
from core.nhs_number import contains_nhs_number
from core.permissions import permitted
from organisations.models import Organisation
from partnerships.importing.reading import SHEET_HAS_NHS_NUMBER
from partnerships.models import REFERENCE_PATTERN, Headline, PartnerRole, Partnership, Status, next_reference


def active_users():
    return User.objects.filter(is_active=True)


# An error summary of four "This field is required." lines says nothing: name what is missing.
REQUIRED_MESSAGES = {
    "title": "Enter the name of the partnership.",
    "arrangement_type": "Choose the type of arrangement.",
    "status": "Choose the status of the partnership.",
    "value_qualifier": "Choose whether the annual value is exact, approximate or an upper limit.",
}


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
            "recorded_lead",
            "delegates",
            "executive_sponsor",
            "service_area",
            "annual_value",
            "value_qualifier",
            "value_note",
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
        for name, message in REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        self.fields["reference"].required = False
        if self.instance.pk:
            del self.fields["reference"]
            if self.user is not None and not permitted(self.user, "close", Partnership):
                del self.fields["lead"]
                del self.fields["recorded_lead"]

    def clean_recorded_lead(self):
        return " ".join(self.cleaned_data["recorded_lead"].split())

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


class ConfirmLeadForm(AccordModelForm):
    """Who the recorded lead ("Head of Adult Services") is: one of the users with an account."""

    class Meta:
        model = Partnership
        fields = ["lead", "recorded_lead"]
        labels = {"lead": "User who leads this partnership"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lead = self.fields["lead"]
        lead.required = True
        lead.queryset = active_users().order_by("first_name", "last_name", "username")
        lead.empty_label = "Choose a user"
        lead.error_messages["required"] = "Choose the user who leads this partnership."
        lead.label_from_instance = lambda user: f"{user} ({user.email or user.username})"
        lead.help_text = "Only people with an account can be linked. An administrator adds accounts."
        self.fields["recorded_lead"].help_text = "As the register names them. Correct it if it is wrong."

    def clean_recorded_lead(self):
        return " ".join(self.cleaned_data["recorded_lead"].split())


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
        open_partners = Organisation.objects.open().filter(is_home_trust=False)
        if self.instance.organisation_id:
            open_partners = open_partners | Organisation.objects.filter(pk=self.instance.organisation_id)
        self.fields["organisation"].queryset = open_partners
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
    EXTENSIONS = (".xlsx", ".csv")

    file = forms.FileField(
        label="Register spreadsheet",
        help_text="An .xlsx or .csv file, up to 10 MB.",
        error_messages={
            "required": "Choose the spreadsheet to import.",
            "empty": "The file is empty. Choose the spreadsheet that holds the register.",
        },
    )
    sheet = forms.CharField(
        label="Worksheet name",
        required=False,
        max_length=100,
        help_text="Only for .xlsx files with several worksheets. Leave blank to use the first.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"An .xlsx or .csv file, up to {self.size_limit()}."
        self.fields["file"].widget.attrs["accept"] = ",".join(self.EXTENSIONS)

    def clean_sheet(self):
        """A worksheet name holding an NHS number is refused, and not shown back in the field."""
        sheet = self.cleaned_data["sheet"]
        if contains_nhs_number(sheet):
            self.data = self.data.copy()
            self.data[self.add_prefix("sheet")] = ""
            raise ValidationError(SHEET_HAS_NHS_NUMBER)
        return sheet

    @staticmethod
    def size_limit():
        limit = settings.IMPORT_MAX_BYTES
        return f"{limit / 1024 / 1024:.3g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:.3g} KB"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if name.lower().endswith(".xls"):
            raise ValidationError(
                "The file is an old-style Excel file (.xls). Open it in Excel and save it as an Excel workbook (.xlsx)."
            )
        if not name.lower().endswith(self.EXTENSIONS):
            raise ValidationError("The file must be an .xlsx or .csv spreadsheet.")
        if upload.size == 0:
            raise ValidationError("The file is empty. Choose the spreadsheet that holds the register.")
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                f"The file is larger than {self.size_limit()}. Remove columns or rows the register does not need, "
                "or split it into smaller files."
            )
        return upload


class ImportMappingForm(AccordForm):
    """The preview's choices: which row holds the headings, and which field each column fills."""

    header_row = forms.IntegerField(
        label="Row with the column headings",
        min_value=1,
        help_text="Accord found this row. Change it if the headings are on another row.",
        error_messages={
            "required": "Enter the number of the row that holds the column headings.",
            "invalid": "Enter the row number as a whole number, for example 4.",
            "min_value": "Enter a row number of 1 or more.",
        },
    )

    def __init__(self, *args, headers=(), row_count=1, **kwargs):
        from openpyxl.utils import get_column_letter

        from partnerships.spreadsheet import IMPORT_FIELDS

        super().__init__(*args, **kwargs)
        self.fields["header_row"].validators.append(
            MaxValueValidator(
                row_count, message=f"The file has {row_count} rows: enter a row number from 1 to {row_count}."
            )
        )
        self.fields["header_row"].widget.attrs["max"] = row_count
        self.labels = dict(IMPORT_FIELDS)
        self.columns = []
        for index, header in enumerate(headers):
            letter = get_column_letter(index + 1)
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=f"Import column {letter} ({header or 'no heading'}) as",
                choices=[("", "Do not import"), *IMPORT_FIELDS],
                required=False,
            )
            self.columns.append((letter, header, name))
        self.style()

    def style(self):
        style_widgets(self)
        widget = self.fields["header_row"].widget
        widget.attrs["class"] = widget.attrs.get("class", "nhsuk-input") + " nhsuk-input--width-4"

    def full_clean(self):
        super().full_clean()
        self.style()

    def column_fields(self):
        return [(letter, header, self[name]) for letter, header, name in self.columns]

    def summary_errors(self):
        """(field id, message) for the error summary, each column's message saying which column."""
        errors = [(self["header_row"].id_for_label, e) for e in self["header_row"].errors]
        for letter, _, name in self.columns:
            errors += [(self[name].id_for_label, f"Column {letter}: {e}") for e in self[name].errors]
        return errors

    def clean(self):
        data = super().clean()
        chosen = {}
        for letter, _, name in self.columns:
            key = data.get(name)
            if not key:
                continue
            if key in chosen:
                self.add_error(
                    name,
                    f"{self.labels[key]} is already chosen for column {chosen[key]}. "
                    "Choose another field or “Do not import”.",
                )
            else:
                chosen[key] = letter
        if "title" not in chosen and self.columns:
            first = self.columns[0][2]
            self.add_error(first, "Choose the column that holds the partnership name.")
        return data

    def mapping(self):
        return [self.cleaned_data.get(name) or None for _, _, name in self.columns]
