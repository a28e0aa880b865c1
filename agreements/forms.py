"""The agreement's forms: its terms, its children, the lifecycle steps that need input, its documents.

Status is never a form field: it changes only through ``agreements.services``.
"""

from django import forms
from django.core.exceptions import ValidationError

from agreements import lifecycle
from agreements.models import (
    ENDED_STATUSES,
    Agreement,
    AgreementDocument,
    AgreementParty,
    Commencement,
    Consultation,
    Indicator,
    LegallyBinding,
    Milestone,
    ScopeItem,
)
from core.forms import AccordForm, AccordModelForm
from core.forms_documents import DocumentUploadMixin, accepted_files, document_field
from core.permissions import scope
from core.validators import reject_nhs_number
from organisations.models import Organisation


def _required(form, messages):
    """Say what is missing, not just that something is."""
    for name, message in messages.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message


class AgreementForm(AccordModelForm):
    class Meta:
        model = Agreement
        fields = [
            "kind",
            "title",
            "purpose",
            "legally_binding",
            "binding_exceptions",
            "commencement",
            "stated_commencement_date",
            "term_end_date",
            "notice_period",
            "governance",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "governance": forms.Textarea(attrs={"rows": 4}),
            "legally_binding": forms.RadioSelect,
            "commencement": forms.RadioSelect,
        }
        labels = {
            "kind": "Kind of agreement",
            "legally_binding": "Is the agreement legally binding?",
            "binding_exceptions": "Clauses that are binding",
            "commencement": "When does the agreement come into force?",
            "stated_commencement_date": "Stated commencement date",
        }
        help_texts = {
            "binding_exceptions": "Only when it is not binding except for stated clauses. "
            "For example, confidentiality and data protection.",
            "stated_commencement_date": "Only when it comes into force on a stated date. For example, 01/04/2018",
            "term_end_date": "Leave blank if the agreement runs until it is ended. For example, 31/03/2018",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose the kind of agreement"), *self.fields["kind"].choices[1:]]
        _required(
            self,
            {
                "kind": "Choose the kind of agreement.",
                "title": "Enter the title of the agreement.",
                "legally_binding": "Choose whether the agreement is legally binding.",
                "commencement": "Choose when the agreement comes into force.",
            },
        )

    def clean(self):
        data = super().clean()
        if data.get("legally_binding") == LegallyBinding.EXCEPT:
            if not (data.get("binding_exceptions") or "").strip() and "binding_exceptions" not in self.errors:
                self.add_error(
                    "binding_exceptions",
                    "Enter the clauses that are binding, for example confidentiality and data protection.",
                )
        elif "legally_binding" in data:
            data["binding_exceptions"] = ""
        start = data.get("stated_commencement_date")
        if data.get("commencement") == Commencement.STATED_DATE:
            if start is None and "stated_commencement_date" not in self.errors:
                self.add_error("stated_commencement_date", "Enter the date the agreement comes into force.")
        elif "commencement" in data:
            data["stated_commencement_date"] = start = None
        end = data.get("term_end_date")
        if start and end and end < start:
            self.add_error("term_end_date", "The term cannot end before the stated commencement date.")
        return data


class PartyForm(AccordModelForm):
    class Meta:
        model = AgreementParty
        fields = ["organisation", "address"]
        help_texts = {
            "address": "As written in the agreement. For example, Civic Office, Waterdale, Doncaster DN1 3BU."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Organisation.objects.open()
        if self.instance.organisation_id:
            choices = choices | Organisation.objects.filter(pk=self.instance.organisation_id)
        self.fields["organisation"].queryset = choices.order_by("name")
        self.fields["organisation"].empty_label = "Choose an organisation"
        _required(self, {"organisation": "Choose the organisation that is a party to the agreement."})

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self.add_error("organisation", f"{self.instance.organisation} is already a party to this agreement.")


class ConsultationForm(AccordModelForm):
    class Meta:
        model = Consultation
        fields = ["body", "date", "feedback"]
        widgets = {"feedback": forms.Textarea(attrs={"rows": 5})}
        labels = {"body": "Board or committee", "date": "Date of the meeting or feedback"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "body": "Enter the board or committee that commented.",
                "date": "Enter the date of the meeting or feedback.",
            },
        )


class ScopeItemForm(AccordModelForm):
    class Meta:
        model = ScopeItem
        fields = ["title", "description", "lead"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"title": "Work stream or area of opportunity"}
        help_texts = {"title": "For example, Intermediate care.", "lead": "The person or team leading it."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self, {"title": "Enter the name of the work stream or area of opportunity."})


class MilestoneForm(AccordModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "owner", "status"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "status": forms.RadioSelect}
        labels = {"title": "Milestone", "due_date": "Due date"}
        help_texts = {"status": "Overdue is worked out from the due date: do not choose it."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "title": "Enter the milestone.",
                "due_date": "Enter the date the milestone is due.",
                "status": "Choose the status of the milestone.",
            },
        )


class IndicatorForm(AccordModelForm):
    class Meta:
        model = Indicator
        fields = ["measure", "frequency", "target"]
        widgets = {"measure": forms.Textarea(attrs={"rows": 2})}
        labels = {"measure": "What will be measured", "frequency": "How often"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self, {"measure": "Enter what will be measured."})


# --- lifecycle steps ---------------------------------------------------------------------------


class ConfirmForm(AccordForm):
    """A step with nothing to enter: the button is the confirmation."""

    def __init__(self, *args, agreement=None, **kwargs):
        self.agreement = agreement
        super().__init__(*args, **kwargs)


class SignatureForm(ConfirmForm):
    signatory_name = forms.CharField(label="Name of the person who signed", max_length=150)
    signatory_position = forms.CharField(
        label="Their position", max_length=150, help_text="For example, Chief Executive or Accountable Officer."
    )
    signed_on = forms.DateField(label="Date signed")
    signed_copy = forms.ModelChoiceField(
        label="Signed copy",
        queryset=None,
        required=False,
        empty_label="No signed copy uploaded",
        help_text="One of this agreement's documents. Upload the signed copy first to choose it here.",
    )

    def __init__(self, *args, party=None, **kwargs):
        self.party = party
        super().__init__(*args, agreement=party.agreement, **kwargs)
        self.fields["signed_copy"].queryset = party.agreement.documents.all()
        self.fields["signed_copy"].error_messages["invalid_choice"] = "Choose one of this agreement's documents."
        _required(
            self,
            {
                "signatory_name": "Enter the name of the person who signed.",
                "signatory_position": "Enter the position of the person who signed.",
                "signed_on": "Enter the date it was signed.",
            },
        )
        self.fields["signatory_name"].validators.append(reject_nhs_number)
        self.fields["signatory_position"].validators.append(reject_nhs_number)
        if not self.is_bound:
            self.initial.setdefault("signatory_name", party.signatory_name)
            self.initial.setdefault("signatory_position", party.signatory_position)

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if reason := lifecycle.signature_date_refusal(signed_on):
            raise ValidationError(reason)
        return signed_on


class SupersedeForm(ConfirmForm):
    replacement = forms.ModelChoiceField(
        label="The agreement that replaces it",
        queryset=None,
        help_text="This partnership's other agreements are listed first.",
    )
    ended_on = forms.DateField(
        label="Date this agreement ended",
        required=False,
        help_text="Leave blank to use the date the replacing agreement came into force (or today).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreement = self.agreement
        candidates = (
            scope(self.user, "view", Agreement.objects.select_related("partnership"))
            .exclude(pk=agreement.pk)
            .exclude(status__in=ENDED_STATUSES)
        )
        field = self.fields["replacement"]
        field.queryset = candidates
        field.error_messages["required"] = "Choose the agreement that replaces this one."
        field.error_messages["invalid_choice"] = "Choose one of the agreements listed."
        same, other = [], []
        for candidate in candidates.order_by("partnership__reference", "title", "version"):
            label = f"{candidate} – {candidate.get_status_display()}"
            if candidate.partnership_id == agreement.partnership_id:
                same.append((candidate.pk, label))
            else:
                other.append((candidate.pk, f"{candidate.partnership.reference}: {label}"))
        field.choices = [
            ("", "Choose an agreement"),
            *([(f"{agreement.partnership.reference} (this partnership)", same)] if same else []),
            *([("Other partnerships", other)] if other else []),
        ]


class TerminateForm(ConfirmForm):
    ended_on = forms.DateField(label="Date the agreement was terminated")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self, {"ended_on": lifecycle.TERMINATION_DATE_NEEDED})


# --- documents ---------------------------------------------------------------------------------


class AgreementDocumentForm(DocumentUploadMixin, AccordModelForm):
    """Upload a document to an agreement: a title, what the document is, and the file."""

    file = document_field()

    class Meta:
        model = AgreementDocument
        fields = ["title", "kind"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"title": "Document title", "kind": "What is this document?"}
        help_texts = {"title": "For example, Memorandum of understanding – draft for Board, March 2022."}
        error_messages = {"title": {"required": "Enter a title for the document."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"{accepted_files()}. Documents with macros are not accepted."
