"""What a stale save shows instead of saving.

When someone else changed a record after a user opened its edit page, the save is refused
(``core.versions``) and the page says who changed it and when (from the audit trail), lists every
field that changed meanwhile (its value when the page was opened, its value now, and the user's
own value) and shows the form again: the current record, with the fields the user changed holding
the user's values, so that one press of the button re-applies their change on top of the current
version. Nothing is merged silently: the user sees both and decides.

Values are compared and shown through the page's own form fields, so a field reads as it does on
the page ("Memorandum of understanding", "6 December 2026", "£1,234"), not as it is stored.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import pretty_name
from django.utils import timezone

from core.audit import registration
from core.dates import day
from core.money import pounds
from core.nhs_number import contains_nhs_number

NOT_RECORDED = "Not recorded"
NOT_KNOWN = "Not known"
NOT_SHOWN = "Not shown"
NOT_ON_PAGE = "Not on this page"
NHS_NUMBER_HELD = "Not shown: it contains an NHS number, which Accord must not hold"


@dataclass(frozen=True)
class Change:
    """One field that differs: as the page showed it, as it is now, and the user's own value.

    ``yours`` is ``None`` when the user left the field as it was: the current value stays.
    """

    label: str
    opened: str
    now: str
    yours: str | None


@dataclass(frozen=True)
class Save:
    name: str
    when: datetime.datetime


@dataclass
class StaleSave:
    """Why a save was refused: for the page's error summary and its table of changes.

    ``opened_at`` is ``None`` when the page did not say which version it was opened at (a page
    from before an update of Accord, or a request not made by the page): then the table lists the
    user's own changes against the record as it is now.
    """

    noun: str
    opened_at: datetime.datetime | None
    saves: list = field(default_factory=list)
    changes: list = field(default_factory=list)


def refused(noun, opened, form, posted_form, opened_form, entries, outside_form=()):
    """The form to show instead of saving, and the report of what changed since ``opened``.

    ``form`` is the page's unbound form of the current record; ``posted_form`` the refused one;
    ``opened_form`` the form as the page showed it (``None`` when not known); ``entries`` the audit
    entries of what the page edits; ``outside_form`` the changes of :func:`record_changes`.
    """
    changes, touched = compare(form, posted_form, opened_form)
    report = StaleSave(noun, opened_at=opened and opened.at, changes=changes + list(outside_form))
    if opened:
        report.saves = saved_since(entries, opened.at)
    return reapply(form, posted_form, touched), report


def saved_since(entries, at):
    """Who saved changes after ``at``, once for each save (one save's audit entries share a request id)."""
    saves, seen = [], set()
    for entry in entries.filter(timestamp__gt=at).order_by("timestamp", "id"):
        key = entry.request_id or entry.pk
        if key not in seen:
            seen.add(key)
            saves.append(Save(entry.user_name or "system", entry.timestamp))
    return saves


# --- comparing forms -------------------------------------------------------------------------------


def initials(form):
    """{field name: the value the unbound ``form`` shows}."""
    return {name: form.get_initial_for_field(f, name) for name, f in form.fields.items()}


def _comparable(form_field, value):
    value = form_field.prepare_value(value)
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    return "" if value is None else str(value)


def compare(current_form, posted_form, opened_form=None):
    """The changes to show, and the names of the fields the user changed.

    With ``opened_form`` (the form as the page showed it): every field that changed meanwhile, and
    the user's changes measured from what they saw. Without it: the user's changes, measured from
    the record as it is now.
    """
    now = initials(current_form)
    fields = current_form.fields
    if opened_form is None:
        touched = posted_form.changed_data
        return [_change(fields[n], n, NOT_KNOWN, now[n], posted_form) for n in touched], touched
    opened = initials(opened_form)
    posted_form.initial = dict(opened)
    touched = posted_form.changed_data
    changes = [
        _change(f, n, shown(f, opened[n]), now[n], posted_form if n in touched else None)
        for n, f in fields.items()
        if _comparable(f, opened[n]) != _comparable(f, now[n])
    ]
    return changes, touched


def _change(form_field, name, opened_text, now, posted_form):
    yours = None if posted_form is None else _yours(form_field, posted_form[name].data)
    return Change(_label(form_field, name), opened_text, shown(form_field, now), yours)


def _yours(form_field, data):
    if isinstance(form_field, forms.FileField):
        return f"{getattr(data, 'name', data)}: choose the file again"
    text = shown(form_field, data)
    return NHS_NUMBER_HELD if contains_nhs_number(text) else text


def _label(form_field, name):
    return str(form_field.label or pretty_name(name))


def reapply(form, posted_form, touched):
    """Show, on the unbound ``form`` of the current record, the user's own values where they changed one."""
    for name in touched:
        data = posted_form[name].data
        if isinstance(form.fields[name], forms.FileField) or contains_nhs_number(shown(form.fields[name], data)):
            continue
        form.initial[name] = data
    return form


def record_changes(model, opened, now, on_form):
    """Changes to the fields of the record that the page's form does not show (a lead's form has no
    lead field; an agreement's status changes by its lifecycle), from stored values. Not the stamps
    of who saved and when (a status's "changed at" and "by"): the page names who saved, and when."""
    sensitive = registration(model).sensitive
    changes = []
    for name, value in opened.items():
        model_field = model._meta.get_field(name)
        if name in on_form or value == now.get(name) or _is_stamp(model_field):
            continue
        form_field = model_field.formfield()
        if name in sensitive:
            changes.append(Change(str(form_field.label), NOT_SHOWN, NOT_SHOWN, NOT_SHOWN))
            continue
        before, after = (_python(model_field, v) for v in (value, now.get(name)))
        changes.append(Change(str(form_field.label), shown(form_field, before), shown(form_field, after), NOT_ON_PAGE))
    return changes


def _is_stamp(model_field):
    if isinstance(model_field, models.DateTimeField):
        return True
    return not model_field.editable and model_field.is_relation and model_field.related_model is get_user_model()


def _python(model_field, stored):
    return stored if model_field.many_to_many else model_field.to_python(stored)


def form_fields(form):
    """The record's fields the form shows: its own fields, and those it shows under other names."""
    return set(form.fields) | set(getattr(form, "record_fields", ()))


# --- showing a value ---------------------------------------------------------------------------------


def shown(form_field, value):
    """``value`` of ``form_field`` as a person reads it: the chosen option's label, a date in words,
    money in pounds (every decimal Accord keeps is an amount of money)."""
    if isinstance(form_field, forms.BooleanField):
        return "Yes" if form_field.to_python(value) else "No"
    if value in (None, "") or value == []:
        return NOT_RECORDED
    if isinstance(form_field, (forms.ModelMultipleChoiceField, forms.MultipleChoiceField)):
        return "; ".join(_choice_label(form_field, v) for v in value)
    if isinstance(form_field, forms.ChoiceField):
        return _choice_label(form_field, value)
    if isinstance(value, str) and not isinstance(form_field, forms.CharField):
        try:
            value = form_field.to_python(value)
        except ValidationError:
            return value
    return _words(value)


def _words(value):
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, datetime.date):
        return day(value)
    if isinstance(value, Decimal):
        return pounds(value)
    return str(value)


def _choice_label(form_field, value):
    key = str(form_field.prepare_value(value))
    for option, label in _options(form_field.choices):
        if str(option) == key:
            return str(label)
    if isinstance(form_field, forms.ModelChoiceField):
        # No longer offered (an inactive objective, a closed organisation): name it all the same.
        try:
            linked = form_field.queryset.model._base_manager.filter(pk=key).first()
        except (ValueError, ValidationError):
            linked = None
        return str(linked) if linked is not None else key
    return key


def _options(choices):
    for option, label in choices:
        if isinstance(label, (list, tuple)):
            yield from _options(label)
        else:
            yield option, label
