"""NHS.UK form rendering and the base form every Accord form uses."""

from django import forms
from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES = {
    "text": "nhsuk-input",
    "email": "nhsuk-input",
    "url": "nhsuk-input",
    "number": "nhsuk-input",
    "password": "nhsuk-input",
    "date": "nhsuk-input nhsuk-input--width-10",
    "search": "nhsuk-input",
    "textarea": "nhsuk-textarea",
    "select": "nhsuk-select",
    "selectmultiple": "nhsuk-select",
    "checkbox": "nhsuk-checkboxes__input",
    "checkboxselectmultiple": "nhsuk-checkboxes__input",
    "radioselect": "nhsuk-radios__input",
    "clearablefile": "nhsuk-file-upload",
    "file": "nhsuk-file-upload",
}


class NhsukFormRenderer(TemplatesSetting):
    """Render every form and field with the NHS.UK design system's markup."""

    form_template_name = "forms/nhsuk_form.html"
    field_template_name = "forms/nhsuk_field.html"


def style_widgets(form):
    """Give each widget the NHS.UK class for its type, and the error class when it has errors.

    Reads ``_errors`` rather than ``errors`` so that calling this from ``__init__`` never
    validates a form whose fields are still being set up.
    """
    for name, field in form.fields.items():
        widget_type = form[name].widget_type
        css = WIDGET_CLASSES.get(widget_type, "")
        if form._errors and name in form._errors and css:
            css += f" {css.split()[0]}--error"
        if css:
            field.widget.attrs["class"] = css


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})}, format="%d/%m/%Y")


class AccordFormMixin:
    """Every Accord form: NHS.UK widgets, dates typed day first, the signed-in user at hand."""

    date_hint = "For example, 30/03/2022"

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.input_formats = ["%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y"]
                field.help_text = field.help_text or self.date_hint
                field.error_messages["invalid"] = "Enter a real date, day first, for example 30/03/2022."
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.setdefault("inputmode", "decimal")
        style_widgets(self)

    def full_clean(self):
        super().full_clean()
        style_widgets(self)


class AccordModelForm(AccordFormMixin, forms.ModelForm):
    pass


class AccordForm(AccordFormMixin, forms.Form):
    pass
