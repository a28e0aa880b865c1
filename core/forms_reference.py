"""Forms for the reference lists an administrator keeps, and for the tier thresholds."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import modelform_factory

from core.forms import AccordModelForm
from core.models import TierThresholds


class ReferenceItemForm(AccordModelForm):
    """The base of every reference list's form (the model and fields are set per list).

    Names are unique on their list whatever their capitals (``ReferenceItem.clean``). A choice
    of another reference item offers only active entries, plus the one already chosen.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter a name."
        for name, field in self.fields.items():
            related = getattr(field, "queryset", None)
            if related is not None and hasattr(related.model, "is_active"):
                current = getattr(self.instance, f"{name}_id", None)
                field.queryset = related.filter(is_active=True) | related.filter(pk=current)
        if "number" in self.fields:
            self.fields["number"].error_messages["required"] = "Enter the objective's number, as in board papers."
            self.fields["number"].error_messages["invalid"] = "Enter a whole number, for example 3."

    def clean_number(self):
        number = self.cleaned_data["number"]
        clash = type(self.instance)._default_manager.filter(number=number).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise ValidationError(f"Number {number} is already used by “{clash.name}”.")
        return number


def reference_form(model, fields):
    """The form for one reference list."""
    labels = {"is_active": "Active: can be chosen on partnerships"}
    return modelform_factory(model, form=ReferenceItemForm, fields=fields, labels=labels)


class MoneyField(forms.DecimalField):
    """An amount in pounds typed as people write it: 400000, 400,000 or £400,000."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace("£", "").strip()
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:,.0f}" if value == value.to_integral() else f"{value:,.2f}"
        return value


class TierThresholdsForm(AccordModelForm):
    class Meta:
        model = TierThresholds
        fields = ["tier1_min_value", "tier2_min_value"]
        field_classes = {"tier1_min_value": MoneyField, "tier2_min_value": MoneyField}
        help_texts = {
            "tier1_min_value": "A partnership worth this much a year or more is Tier 1. For example, 1,000,000.",
            "tier2_min_value": "A partnership worth this much a year or more, but under the Tier 1 threshold, "
            "is Tier 2. For example, 100,000.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, tier in (("tier1_min_value", "Tier 1"), ("tier2_min_value", "Tier 2")):
            field = self.fields[name]
            field.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})
            field.error_messages["required"] = f"Enter the {tier} threshold in pounds."
            field.error_messages["invalid"] = f"Enter the {tier} threshold as an amount in pounds, like 1,000,000."
