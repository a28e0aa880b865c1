from django import forms

from core.forms import AccordModelForm
from governance.models import Body


class BodyForm(AccordModelForm):
    class Meta:
        model = Body
        fields = ["name", "kind", "parent", "partnerships", "purpose", "ends_on"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the body's name."
        self.fields["kind"].error_messages["required"] = "Choose the kind of body."
        self.fields["name"].error_messages["unique"] = "There is already a governance body with this name."
        parents = Body.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "None (it reports to no other body)"
        self.fields["partnerships"].help_text = "Hold Ctrl (or Cmd) to choose more than one."

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())
