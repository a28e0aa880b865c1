"""Selects are written in Python (``core.forms.Select``): the same markup as Django's, so the
register's "Internal lead" list of hundreds of users stays correct while it renders fast."""

import re

from django import forms
from django.urls import reverse

from accounts.models import User
from core.forms import AccordForm
from tests.world import make_user


def attributes_sorted(html):
    """The markup with each tag's attributes in a fixed order (Django and ours may differ)."""

    def tag(match):
        name, rest = match.group(1), match.group(2)
        attributes = sorted(re.findall(r'\s([\w-]+(?:="[^"]*")?)', rest))
        return "<" + " ".join([name, *attributes]) + ">"

    return re.sub(r"<(\w+)((?:\s[^>]*)?)>", tag, " ".join(html.split()).replace("> <", "><"))


class UserChoice(AccordForm):
    person = forms.ModelChoiceField(User.objects.order_by("username"), required=False, empty_label="Anyone")
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("c", "<C>")])


def django_markup(bound_field):
    widget = bound_field.field.widget
    django_select = forms.Select(widget.attrs, widget.choices)
    attrs = bound_field.build_widget_attrs({"id": bound_field.auto_id})
    return django_select.render(bound_field.html_name, bound_field.value(), attrs)


def test_a_select_renders_as_django_would_with_the_choice_kept_and_names_escaped(db):
    chosen = make_user("pat", first_name="Pat <b>", last_name="O'Neill")
    for n in range(30):
        make_user(f"user{n:02d}")
    for data in (None, {"person": str(chosen.pk), "kind": "c"}, {"person": "999999", "kind": "x"}):
        form = UserChoice(data)
        if data:
            form.is_valid()
        for name in ("person", "kind"):
            ours = form[name].as_widget()
            assert type(form.fields[name].widget).__module__ == "core.forms"
            assert attributes_sorted(ours) == attributes_sorted(django_markup(form[name]))
    ours = str(UserChoice({"person": str(chosen.pk)})["person"])
    assert f'<option value="{chosen.pk}" selected>Pat &lt;b&gt; O&#x27;Neill</option>' in ours
    assert ours.count("<option") == User.objects.count() + 1


def test_the_register_lists_every_lead_once_and_keeps_the_one_chosen(world, client):
    client.force_login(world.user("coordinator"))
    lead = world.user("owner")
    page = client.get(reverse("partnerships:list"), {"lead": lead.pk}).content.decode()
    select = re.search(r'<select name="lead".*?</select>', page, re.S).group()
    assert re.search(rf'<option value="{lead.pk}" selected>{lead.get_full_name()}</option>', select)
    leads = set(User.objects.filter(led_partnerships__isnull=False).values_list("pk", flat=True))
    listed = {int(pk) for pk in re.findall(r'<option value="(\d+)"', select)}
    assert listed == leads
