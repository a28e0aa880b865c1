"""The peer review forms: a round, an operational area, an area's ratings (all five key questions
on one page) and an action following a finding."""

from django import forms

from accounts.models import User
from core.forms import AccordModelForm
from peer_reviews.models import KeyQuestion, Rating, ReviewAction, ReviewArea, ReviewRound, findings_field
from peer_reviews.services import round_organisations


class RoundForm(AccordModelForm):
    class Meta:
        model = ReviewRound
        fields = ["title", "start_date", "end_date", "reviewing_organisations", "reviewed_organisations"]
        widgets = {
            "reviewing_organisations": forms.CheckboxSelectMultiple,
            "reviewed_organisations": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "title": {"required": "Enter the title of the round, for example OMHP October 2019."},
            "start_date": {"required": "Enter the date the round starts."},
            "reviewing_organisations": {"required": "Choose at least one reviewing organisation."},
            "reviewed_organisations": {"required": "Choose at least one reviewed organisation."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partners = round_organisations(self.instance.partnership).order_by("name")
        for name in ("reviewing_organisations", "reviewed_organisations"):
            self.fields[name].queryset = partners
            self.fields[name].help_text = "The partnership's partners and the trust."


class AreaForm(AccordModelForm):
    class Meta:
        model = ReviewArea
        fields = ["name"]
        error_messages = {"name": {"required": "Enter the name of the operational area."}}


class RatingsForm(AccordModelForm):
    """An area's rating and findings for each of the five key questions, saved together."""

    class Meta:
        model = ReviewArea
        fields = [name for q in KeyQuestion for name in (q.value, findings_field(q.value))]
        widgets = {
            **{q.value: forms.RadioSelect for q in KeyQuestion},
            **{findings_field(q.value): forms.Textarea(attrs={"rows": 3}) for q in KeyQuestion},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for q in KeyQuestion:
            self.fields[q.value].choices = [("", "Not rated"), *Rating.choices]
            self.fields[q.value].help_text = ""


class ActionForm(AccordModelForm):
    """An action following a finding on one of the area's rated key questions."""

    class Meta:
        model = ReviewAction
        fields = ["key_question", "description", "owner", "due_date", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "status": forms.RadioSelect}
        error_messages = {
            "key_question": {"required": "Choose the key question whose finding the action follows."},
            "description": {"required": "Describe the action."},
            "owner": {"required": "Choose the person who owns the action."},
            "due_date": {"required": "Enter the date the action is due."},
            "status": {"required": "Choose the status of the action."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        area = self.instance.area
        rated = [(q.value, q.label) for q in KeyQuestion if getattr(area, q.value)]
        self.fields["key_question"].choices = [("", "Choose a key question"), *rated]
        self.fields["key_question"].help_text = "Only the key questions rated for this area."
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("first_name", "last_name")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        if self.instance.pk is None:
            del self.fields["status"]
