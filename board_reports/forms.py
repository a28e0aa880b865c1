"""The board report's form: the cover sheet (REFERENCE.md §7), the executive summary and the next steps."""

from django import forms

from board_reports.models import BoardReport
from core.forms import AccordForm, AccordModelForm


class BoardReportForm(AccordModelForm):
    class Meta:
        model = BoardReport
        fields = [
            "title",
            "meeting",
            "meeting_date",
            "agenda_reference",
            "purpose",
            "lead_executive",
            "author",
            "strategic_objectives",
            "baf_themes",
            "governance_route",
            "statutory_responsibilities",
            "legal_risk_assessed",
            "recommendation",
            "executive_summary",
            "next_steps",
        ]
        widgets = {
            "purpose": forms.RadioSelect,
            "strategic_objectives": forms.CheckboxSelectMultiple,
            "baf_themes": forms.CheckboxSelectMultiple,
            "governance_route": forms.Textarea(attrs={"rows": 2}),
            "statutory_responsibilities": forms.Textarea(attrs={"rows": 2}),
            "recommendation": forms.Textarea(attrs={"rows": 2}),
            "executive_summary": forms.Textarea(attrs={"rows": 10}),
            "next_steps": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "executive_summary": "Today's figures are filled in to start with: write the summary the board reads.",
            "next_steps": "One step a paragraph (leave a blank line between them).",
        }
        error_messages = {
            "meeting": {"required": "Enter the meeting, for example Board of Directors."},
            "meeting_date": {"required": "Enter the date of the meeting."},
            "lead_executive": {"required": "Enter the lead executive director's name and title."},
            "author": {"required": "Enter the author's name and title."},
            "recommendation": {
                "required": "Enter the recommendation, for example The Board is asked to note the report."
            },
            "executive_summary": {"required": "Enter the executive summary."},
            "title": {"required": "Enter the report's title."},
            "purpose": {
                "required": "Choose what the report is for: decision, approval, assurance, discussion or information."
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("strategic_objectives", "baf_themes"):
            field = self.fields[name]
            chosen = self.instance.pk and getattr(self.instance, name).values("pk")
            active = field.queryset.filter(is_active=True)
            field.queryset = (active | field.queryset.filter(pk__in=chosen)) if chosen else active


class GenerateForm(AccordForm):
    """A new version of the report asks nothing more: the button (draft, or issue) is the choice."""
