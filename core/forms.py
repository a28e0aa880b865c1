"""NHS.UK form rendering and the base form every Accord form uses."""

import re

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from core.documents import NHS_NUMBER_NAME_MESSAGE
from core.markup import escaped
from core.nhs_number import contains_nhs_number
from core.validators import NHS_NUMBER_MESSAGE

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


MULTIPLE_WIDGETS = {"checkboxselectmultiple", "radioselect"}


class NhsukBoundField(BoundField):
    """A field's NHS.UK form group (label, hint, error message, widget), written in Python.

    A template per field (and two per text box) made a page's form one of its slowest parts: the
    register's sixteen filters took longer to draw than its fifty rows. Radios and groups of
    checkboxes, a fieldset each, keep their template (``forms/nhsuk_fieldset.html``)."""

    def as_field_group(self):
        if self.use_fieldset:
            return super().as_field_group()
        widget = self.as_widget()
        if self.widget_type == "checkbox":
            label = format_html(
                '<label class="nhsuk-label nhsuk-checkboxes__label" for="{}">{}</label>',
                self.id_for_label,
                self.label,
            )
            control = format_html(
                '<div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes">'
                '<div class="nhsuk-checkboxes__item">{}{}</div></div>',
                widget,
                label,
            )
            return self._group(self._hint(), self._error_message(), control)
        optional = not self.field.required and self.widget_type != "select" and self.form.mark_optional
        label = format_html(
            '<label class="nhsuk-label" for="{}">{}{}</label>', self.id_for_label, self.label, " (optional)" * optional
        )
        return self._group(label, self._hint(), self._error_message(), widget)

    def _group(self, *parts):
        error = " nhsuk-form-group--error" if self.errors else ""
        return format_html('<div class="nhsuk-form-group{}">{}</div>', error, mark_safe("".join(parts)))  # noqa: S308 - parts escaped

    def _hint(self):
        if not self.help_text:
            return ""
        return format_html('<div class="nhsuk-hint" id="{}_helptext">{}</div>', self.auto_id, self.help_text)

    def _error_message(self):
        if not self.errors:
            return ""
        hidden = mark_safe('<span class="nhsuk-u-visually-hidden">Error: </span>')
        messages = mark_safe("<br>".join(hidden + conditional_escape(error) for error in self.errors))  # noqa: S308
        return format_html('<span class="nhsuk-error-message" id="{}-error">{}</span>', self.auto_id, messages)


class NhsukFormRenderer(TemplatesSetting):
    """Render every form and field with the NHS.UK design system's markup."""

    form_template_name = "forms/nhsuk_form.html"
    field_template_name = "forms/nhsuk_fieldset.html"
    bound_field_class = NhsukBoundField


class FastInputMixin:
    """An ``<input>`` written in Python: Django's markup without its two templates per box."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value_attribute = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value_attribute, flatatt(widget["attrs"])
        )


# Each keeps its base's class name, from which Django and :func:`style_widgets` read the widget's type.
FAST_INPUTS = {
    base: type(base.__name__, (FastInputMixin, base), {"__module__": __name__})
    for base in (
        forms.TextInput,
        forms.EmailInput,
        forms.URLInput,
        forms.NumberInput,
        forms.SearchInput,
        forms.TelInput,
        forms.PasswordInput,
        forms.HiddenInput,
    )
}


class Select(forms.Select):
    """Django's select with its options written in Python rather than one template each.

    Same markup; a choice of several hundred users (the register's "Internal lead") renders in a
    millisecond instead of tens. Grouped choices keep Django's own rendering."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(iter(self.choices))  # no len(): a ModelChoiceIterator would count in SQL first
        if any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escaped(key)}"{" selected" if str(key) in chosen else ""}>{escaped(label)}</option>'
            for key, label in choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, mark_safe(options))  # noqa: S308 - escaped above


def style_widgets(form):
    """Give each widget the NHS.UK class for its type, and the error class when it has errors.

    Plain selects become :class:`Select` and plain text boxes a ``FAST_INPUTS`` class (the same
    markup, faster). Runs when the form is built,
    validated and rendered. It never creates bound fields (they
    freeze a field's label and hint, which a form's own ``__init__`` may still change) and reads
    ``_errors`` so that it never triggers validation itself.
    """
    for name, field in form.fields.items():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = Select
        elif type(field.widget) in FAST_INPUTS:
            field.widget.__class__ = FAST_INPUTS[type(field.widget)]
        widget_type = re.sub(r"widget$|input$", "", field.widget.__class__.__name__.lower())
        auto_id = form.auto_id % form.add_prefix(name) if "%s" in str(form.auto_id) else form.add_prefix(name)
        css = WIDGET_CLASSES.get(widget_type, "").split()
        if form._errors and name in form._errors and css:
            css.append(f"{css[0]}--error")
        widths = [c for c in field.widget.attrs.get("class", "").split() if "width" in c and c not in css]
        if css:
            field.widget.attrs["class"] = " ".join(css + widths)
        if widget_type not in MULTIPLE_WIDGETS:
            described_by = [f"{auto_id}_helptext"] if field.help_text else []
            if form._errors and name in form._errors:
                described_by.append(f"{auto_id}-error")
            field.widget.attrs.pop("aria-describedby", None)
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)


class DateInput(FastInputMixin, forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})}, format="%d/%m/%Y")


# The largest id a database column holds (a 64-bit integer): a choice of record beyond it is refused as
# not one of the choices, rather than reaching the database, which would fail on it (SQLite: "too
# large", PostgreSQL: "out of range").
LARGEST_ID = 2**63 - 1


def _beyond_ids(value):
    try:
        return abs(int(str(value).strip())) > LARGEST_ID
    except (TypeError, ValueError):
        return False  # not a number: the field's own check says so


class BoundedChoiceMixin:
    """A choice of records by id that refuses an id no database could hold (see ``LARGEST_ID``)."""

    def clean(self, value):
        values = value if isinstance(value, (list, tuple)) else [value]
        if any(_beyond_ids(v) for v in values if v not in self.empty_values):
            raise ValidationError("Select a valid choice: that is not one of the choices.", code="invalid_choice")
        return super().clean(value)


_bounded = {}


def bounded(field):
    """``field`` (a choice of records by id), made to refuse ids beyond any database's range."""
    if not isinstance(field, forms.ModelChoiceField) or isinstance(field, BoundedChoiceMixin):
        return
    if field.to_field_name not in (None, "pk", "id"):
        return
    cls = type(field)
    if cls not in _bounded:
        _bounded[cls] = type(cls.__name__, (BoundedChoiceMixin, cls), {"__module__": cls.__module__})
    field.__class__ = _bounded[cls]


class AccordFormMixin:
    """Every Accord form: NHS.UK widgets, dates typed day first, the signed-in user at hand."""

    date_hint = "For example, 30/03/2022"
    mark_optional = True

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bounded(field)
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.input_formats = ["%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y"]
                field.help_text = field.help_text or self.date_hint
                field.error_messages["invalid"] = "Enter a real date, day first, for example 30/03/2022."
            if isinstance(field, (forms.DecimalField, forms.IntegerField)):
                # A text box, not type="number": NHS.UK guidance, and no silent rounding by the browser.
                field.widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})

        style_widgets(self)

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            refuse_nhs_numbers(self)
        style_widgets(self)

    def get_context(self):
        style_widgets(self)
        return super().get_context()


class AccordModelForm(AccordFormMixin, forms.ModelForm):
    pass


# -- No NHS number in, none echoed back ---------------------------------------------------------


def refuse_nhs_numbers(form):
    """Refuse every field whose input holds an NHS number, in any form, whatever the field.

    The field gets the one message that never repeats the number, and its input is dropped: the
    form shown again has the field empty (no ``value=""``, no textarea text), a model form's
    instance keeps its stored value (so an edit page's heading shows the record as it was), and
    any other message that quotes the number (a "Select a valid choice. … is not one of the
    choices", a "reference … already used") is replaced by the same one. Passwords are neither
    stored nor shown, and are left to the password rules.
    """
    refused = [name for name, field in form.fields.items() if _holds_nhs_number(form, name, field)]
    for name in refused:
        form._errors[name] = form.error_class(_refusal(form, name), renderer=form.renderer)
        form.cleaned_data.pop(name, None)
        _drop_input(form, name)
        _keep_stored_value(form, name)
    for name, errors in form._errors.items():
        if any(contains_nhs_number(message) for message in errors):
            form._errors[name] = form.error_class(
                [ValidationError(NHS_NUMBER_MESSAGE, code="nhs_number")], renderer=form.renderer
            )


def _refusal(form, name):
    """The field's own NHS-number message if it gave one (a file's says to rename the file), else
    the shared one; never its other messages, which may quote the input."""
    own = [e for e in form._errors[name].as_data() if e.code == "nhs_number"] if name in form._errors else []
    if own:
        return own
    if isinstance(form.fields[name], forms.FileField):
        return [ValidationError(NHS_NUMBER_NAME_MESSAGE, code="nhs_number")]
    return [ValidationError(NHS_NUMBER_MESSAGE, code="nhs_number")]


def _holds_nhs_number(form, name, field):
    if isinstance(field.widget, forms.PasswordInput):
        return False
    value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    values = value if isinstance(value, (list, tuple)) else [value]
    return any(contains_nhs_number(v.name if isinstance(v, UploadedFile) else v) for v in values if v)


def _input_names(form, name):
    widget, html_name = form.fields[name].widget, form.add_prefix(name)
    if isinstance(widget, forms.MultiWidget):
        return [f"{html_name}{suffix}" for suffix in widget.widgets_names]
    return [html_name]


def _drop_input(form, name):
    form.data, form.files = form.data.copy(), form.files.copy()
    for key in _input_names(form, name):
        form.data.pop(key, None)
        form.files.pop(key, None)


def _keep_stored_value(form, name):
    """A model form has already copied the input onto its instance: put the stored value back."""
    instance = getattr(form, "instance", None)
    if instance is None:
        return
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return
    if field.concrete and not field.is_relation:
        setattr(instance, field.attname, form.initial.get(name, field.get_default()))


def https_url_formfield(model_field, **kwargs):
    """Form fields for a ModelForm's Meta: web addresses typed without a scheme mean https."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class AccordForm(AccordFormMixin, forms.Form):
    pass


class FilterForm(AccordFormMixin, forms.Form):
    """The form behind a list's filters: every field is optional, so none is marked as such."""

    mark_optional = False
