"""Each person's page of e-mail reminders: theirs only, saved with an audit entry, bad input refused."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import AuditEntry
from core.roles import Role
from reminders.models import ReminderPreference


@pytest.fixture
def signed_in(client, lead):
    client.force_login(lead)
    return client


def own_page(user):
    return reverse("reminders:user_preferences", args=[user.pk])


def test_the_page_offers_each_kind_the_person_may_be_given_all_ticked(signed_in):
    body = signed_in.get(reverse("reminders:preferences")).content.decode()
    assert "<h1>E-mail reminders</h1>" in body
    assert 'value="reviews_overdue"' in body and 'name="digest"' in body
    assert body.count(" checked") >= 2


def test_unticking_a_kind_and_the_digest_is_saved_and_audited(signed_in, lead):
    response = signed_in.post(own_page(lead), {"kinds": ["ig_gaps"]})
    assert response.status_code == 302 and response["Location"] == own_page(lead)
    pref = ReminderPreference.objects.get(user=lead)
    assert "reviews_overdue" in pref.kinds_off and "ig_gaps" not in pref.kinds_off
    assert pref.digest is False
    entries = AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(ReminderPreference))
    assert [(e.action, e.user) for e in entries] == [("create", lead)]
    body = signed_in.get(own_page(lead)).content.decode()
    assert re.search(r'<input[^>]*value="ig_gaps"[^>]*checked', body)
    assert not re.search(r'<input[^>]*value="reviews_overdue"[^>]*checked', body)
    signed_in.post(own_page(lead), {"kinds": ["ig_gaps"]})  # nothing changed: no second entry
    assert entries.count() == 1


def test_someone_elses_page_is_refused_whatever_the_role(client, make_user, lead):
    administrator = make_user(Role.ADMINISTRATOR)
    client.force_login(administrator)
    assert client.get(own_page(lead)).status_code == 403
    assert client.post(own_page(lead), {"digest": "on"}).status_code == 403
    assert not ReminderPreference.objects.exists()
    assert client.get(reverse("reminders:user_preferences", args=[999999])).status_code == 404


def test_a_kind_not_offered_is_refused_with_the_error_summary(signed_in, lead):
    response = signed_in.post(own_page(lead), {"kinds": ["no_such_kind"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error:" in body and "There is a problem" in body and "Select a valid choice" in body
    assert not ReminderPreference.objects.exists()


def test_a_partner_contributor_is_offered_only_the_kinds_for_partners(client, make_user):
    from organisations.models import Organisation

    org = Organisation.objects.create(name="Oxfordshire Mind", kind="vcse")
    contributor = make_user(Role.PARTNER_CONTRIBUTOR, organisation=org, email="c@mind.org.uk")
    client.force_login(contributor)
    body = client.get(reverse("reminders:preferences")).content.decode()
    assert 'value="reviews_overdue"' not in body
    assert client.get(own_page(contributor)).status_code == 200


def test_the_user_page_links_to_ones_own_reminders(client, make_user):
    administrator = make_user(Role.ADMINISTRATOR, email="ada@nhs.net")
    client.force_login(administrator)
    mine = client.get(reverse("accounts:detail", args=[administrator.pk])).content.decode()
    assert reverse("reminders:preferences") in mine and "E-mail reminders" in mine
    other = make_user(Role.LEAD)
    theirs = client.get(reverse("accounts:detail", args=[other.pk])).content.decode()
    assert "Choose your e-mail reminders" not in theirs
