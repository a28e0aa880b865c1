import datetime
from decimal import Decimal, InvalidOperation

from django import forms

from core.forms import AccordModelForm
from monitoring import periods, services
from monitoring.models import IndicatorValue, Measure

LARGEST = Decimal("1e12")


class FigureField(forms.CharField):
    """A figure (a count, a percentage, days), typed as text and kept as a decimal.

    Not a ``DecimalField``: Accord's pages (``core.stale``) read every decimal form field as an
    amount of money and would show a referral count in pounds.
    """

    def __init__(self, *, message, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["invalid"] = message
        self.widget.attrs.update(inputmode="decimal", spellcheck="false")

    def to_python(self, value):
        value = super().to_python("" if value is None else value).replace(",", "")
        if value in self.empty_values:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite() or abs(number) >= LARGEST or number != round(number, 2):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True

    def prepare_value(self, value):
        return figure(value) if isinstance(value, Decimal) else value


def figure(number):
    """A decimal as typed: 1250, 52.5 (no trailing zeros, no exponent)."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def figures_as_text(form, names):
    """Show the instance's figures as typed (the stale-save report reads the initial values)."""
    for name in names:
        if isinstance(form.initial.get(name), Decimal):
            form.initial[name] = figure(form.initial[name])


MONTHS = [(str(n), datetime.date(2000, n, 1).strftime("%B")) for n in range(1, 13)]


class MeasureForm(AccordModelForm):
    """The measurable form of an indicator; its frequency is fixed once values are recorded."""

    target = FigureField(label="Target", message="Enter the target as a number, for example 50 or 15000.")
    national_target = FigureField(
        label="National target",
        required=False,
        help_text="Leave blank when there is none.",
        message="Enter the national target as a number, or leave it blank.",
    )

    class Meta:
        model = Measure
        fields = ["unit", "direction", "target", "national_target", "frequency", "shared_with_partners"]
        labels = {"shared_with_partners": "Shared with partners"}
        widgets = {"unit": forms.RadioSelect, "direction": forms.RadioSelect, "frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "unit": "Choose the unit the indicator is measured in.",
            "direction": "Choose whether a higher or a lower value is better.",
            "target": "Enter the target as a number, for example 50 or 15000.",
            "frequency": "Choose how often a value is recorded.",
        }
        for name, message in messages.items():
            self.fields[name].error_messages.update(required=message, invalid_choice=message)
        self.fields["unit"].choices = [c for c in self.fields["unit"].choices if c[0]]  # radios: no blank one
        figures_as_text(self, ("target", "national_target"))

    def clean_frequency(self):
        frequency = self.cleaned_data["frequency"]
        measure = self.instance
        if measure.pk and frequency != measure.frequency and measure.values.exists():
            raise forms.ValidationError(
                "Values are already recorded for this indicator's periods: its frequency cannot change."
            )
        return frequency


class IndicatorValueForm(AccordModelForm):
    """A period's value. The period is chosen by month and year when the value is added (any month
    of a quarter or financial year names that period) and fixed afterwards."""

    month = forms.ChoiceField(
        choices=[("", "Choose a month"), *MONTHS], error_messages={"required": "Choose the month of the period."}
    )
    year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Enter the year of the period, for example 2025.",
            "invalid": "Enter the year as four digits, for example 2025.",
            "min_value": "Enter a year from 2000.",
            "max_value": "Enter a year up to 2100.",
        },
    )

    value = FigureField(label="Value", message="Enter the value as a number, for example 1250 or 52.5.")

    class Meta:
        model = IndicatorValue
        fields = ["month", "year", "value", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].error_messages["required"] = "Enter the value as a number, for example 1250 or 52.5."
        figures_as_text(self, ("value",))
        frequency = self.instance.measure.frequency
        if frequency != "monthly":
            self.fields["month"].help_text = "Any month of the period."
        if self.instance.pk:
            del self.fields["month"], self.fields["year"]

    def clean(self):
        data = super().clean()
        if self.instance.pk or not data.get("month") or not data.get("year"):
            return data
        measure = self.instance.measure
        start = periods.period_start(datetime.date(data["year"], int(data["month"]), 1), measure.frequency)
        refusal = services.period_refusal(measure, start)
        if refusal:
            self.add_error("month", refusal)
        data["period_start"] = start
        return data

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit)
        data = self.cleaned_data
        return services.record_value(
            self.instance.measure, data["period_start"], data["value"], data.get("note", ""), user=self.user
        )
