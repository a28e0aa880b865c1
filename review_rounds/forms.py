"""The review round forms: launching a round, closing it, and a lead's response to a task."""

from django import forms

from core.dates import day, local_today
from core.forms import AccordForm, AccordModelForm
from core.models import ServiceArea
from partnerships.tiering import TIER_CHOICES
from review_rounds import selection
from review_rounds.models import ANSWERS, Outcome, ReviewRound, ReviewTask


class LaunchForm(AccordModelForm):
    """A round's title and deadline, and which partnerships it reviews."""

    kind = forms.ChoiceField(
        label="Which partnerships",
        choices=selection.KINDS,
        widget=forms.RadioSelect,
        initial=selection.ALL,
        error_messages={"required": "Choose which partnerships the round reviews."},
    )
    tier = forms.TypedChoiceField(
        label="Tier",
        choices=[("", "Choose a tier"), *TIER_CHOICES],
        coerce=int,
        required=False,
        help_text="With “One tier”.",
    )
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.filter(is_active=True),
        required=False,
        empty_label="Choose a service area",
        help_text="With “One service area”.",
    )
    register_filter = forms.CharField(
        label="Register filter",
        required=False,
        max_length=2000,
        help_text="With “A filter of the register”: filter the register, then paste its address here "
        "(for example …/partnerships/?tier=1&status=active).",
    )

    class Meta:
        model = ReviewRound
        fields = ["title", "deadline"]
        error_messages = {
            "title": {"required": "Enter the title of the round, for example Register spring clean 2019."},
            "deadline": {"required": "Enter the date the leads are asked to respond by."},
        }

    field_order = ["title", "deadline", "kind", "tier", "service_area", "register_filter"]

    def clean(self):
        data = super().clean()
        deadline = data.get("deadline")
        if deadline and deadline < local_today():
            self.add_error("deadline", f"The deadline must be today ({day(local_today())}) or later.")
        kind = data.get("kind")
        if kind == selection.TIER and not data.get("tier"):
            self.add_error("tier", "Choose the tier to review.")
        elif kind == selection.SERVICE_AREA and not data.get("service_area"):
            self.add_error("service_area", "Choose the service area to review.")
        elif (
            kind == selection.FILTER
            and not data.get("register_filter", "").strip()
            and "register_filter" not in self.errors
        ):
            self.add_error("register_filter", "Paste the address of the register as filtered.")
        return data


class RespondForm(AccordModelForm):
    """A lead's answer: still accurate, or propose closing it (with the reason), and a note."""

    class Meta:
        model = ReviewTask
        fields = ["outcome", "closure_reason", "note"]
        widgets = {
            "outcome": forms.RadioSelect,
            "closure_reason": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"outcome": "Your response"}
        error_messages = {
            "outcome": {
                "required": "Choose whether the partnership is still accurate or should close.",
                "invalid_choice": "Choose whether the partnership is still accurate or should close.",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (Outcome.CONFIRMED.value, "Still accurate: confirm it"),
            (Outcome.CLOSURE_PROPOSED.value, "Propose closing it"),
        ]
        self.fields["outcome"].help_text = (
            "If something has changed, update the partnership first, then confirm it here: "
            "the review records it as updated."
        )
        self.fields["note"].help_text = "Anything the coordinator should know (optional)."
        if self.instance.outcome not in ANSWERS:
            self.initial["outcome"] = Outcome.CONFIRMED.value if self.instance.outcome == Outcome.UPDATED else None

    def clean(self):
        data = super().clean()
        no_reason = not (data.get("closure_reason") or "").strip() and "closure_reason" not in self.errors
        if data.get("outcome") == Outcome.CLOSURE_PROPOSED and no_reason:
            self.add_error("closure_reason", "Say why the partnership should close.")
        return data


class CloseRoundForm(AccordForm):
    """Closing a round asks nothing more: the button is the confirmation."""
