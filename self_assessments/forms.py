"""The self-assessment forms: issuing a version, uploading evidence, and the filters' form."""

from django import forms

from core.forms import AccordForm, AccordModelForm
from core.forms_documents import DocumentUploadMixin, accepted_files, document_field
from organisations.models import Organisation, OrganisationKind
from partnerships.tiering import TIER_CHOICES
from self_assessments.models import AssessmentAction, Evidence, Question, Section, TemplateVersion


class IssueForm(AccordForm):
    """Issue a published version to organisations chosen by name, by a filter, or both."""

    version = forms.ModelChoiceField(
        queryset=TemplateVersion.objects.none(),
        label="Questionnaire",
        error_messages={"required": "Choose the questionnaire to issue."},
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label="Organisations",
        help_text="Choose organisations here, or by the kind and tier below, or both.",
    )
    kinds = forms.MultipleChoiceField(
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Every organisation of these kinds",
    )
    tiers = forms.TypedMultipleChoiceField(
        choices=TIER_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="… that is a partner of a partnership of these tiers",
        help_text="Leave blank for any partnership (or none).",
    )
    due_date = forms.DateField(
        label="Due date", error_messages={"required": "Enter the date the self-assessment is due."}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = TemplateVersion.objects.filter(published_on__isnull=False).select_related(
            "template"
        )
        self.fields["organisations"].queryset = Organisation.objects.filter(closed_on__isnull=True).order_by("name")


class EvidenceForm(DocumentUploadMixin, AccordModelForm):
    file = document_field("Evidence")

    class Meta:
        model = Evidence
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = accepted_files()


class SectionForm(AccordModelForm):
    class Meta:
        model = Section
        fields = ["title"]
        error_messages = {"title": {"required": "Enter the title of the section, for example Insurance."}}


class QuestionForm(AccordModelForm):
    class Meta:
        model = Question
        fields = ["text", "guidance", "answer_type", "options", "weight", "required", "evidence_required", "ig_item"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 3}),
            "answer_type": forms.RadioSelect,
            "options": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "text": {"required": "Enter the question."},
            "answer_type": {"required": "Choose how the question is answered."},
            "weight": {"required": "Enter the weight (0 for a question that is not scored)."},
        }


class ActionForm(AccordModelForm):
    """What the organisation will do about a "not met" finding: the trust words it, names its owner
    and due date, and marks it done."""

    class Meta:
        model = AssessmentAction
        fields = ["description", "owner", "due_date", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "status": forms.RadioSelect}
        labels = {"owner": "Owner", "due_date": "Due"}
        help_texts = {"owner": "A person or a post at the organisation, for example Chair of trustees."}
        error_messages = {
            "description": {"required": "Describe the action."},
            "owner": {"required": "Enter who owns the action."},
            "due_date": {"required": "Enter the date the action is due."},
            "status": {"required": "Choose the status of the action."},
        }
