from django import forms

from core.forms import AccordForm


class PreferencesForm(AccordForm):
    """Which kinds of reminder a person gets (each kind they may be given), and the weekly digest."""

    mark_optional = False

    kinds = forms.MultipleChoiceField(
        label="Send me a reminder by e-mail of",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="7 days before an item is due, on the day, then once a week while it is overdue.",
    )
    digest = forms.BooleanField(
        label="Send me a weekly digest of my items (on Mondays)",
        required=False,
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(name, str(label)) for name, label in kinds]
