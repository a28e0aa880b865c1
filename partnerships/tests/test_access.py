"""Who may do what on a partnership, in words: leads and delegates, closing, and what each page offers."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from partnerships.models import Partnership, Status
from partnerships.tests.rows import NEW_TITLE
from tests.fixtures import sign_in
from tests.world import database_state, partnership_form_data


def _partnership(w):
    return Partnership.objects.get(pk=w.partnership.pk)


def test_a_delegate_edits_the_partnership_and_the_change_is_theirs(client, world):
    sign_in(client, world, "delegate")
    response = client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(world.partnership, title=NEW_TITLE),
    )
    assert response.status_code == 302
    partnership = _partnership(world)
    assert partnership.title == NEW_TITLE
    entry = AuditEntry.objects.for_object(partnership).filter(action="update").first()
    assert entry.user_name == "Dee Legate"
    assert entry.changed_fields == ["title"]


def test_a_lead_who_is_no_longer_delegated_loses_access(client, world):
    world.partnership.delegates.remove(world.user("delegate"))
    sign_in(client, world, "delegate")
    url = reverse("partnerships:edit", args=[world.partnership.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, partnership_form_data(world.partnership, title=NEW_TITLE)).status_code == 403
    assert _partnership(world).title == world.partnership.title


def test_a_lead_cannot_close_their_own_partnership_through_the_edit_form(client, world):
    """Closing is the coordinator's: a lead's edit form refuses the status and changes nothing."""
    sign_in(client, world, "owner")
    before = database_state()
    response = client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(world.partnership, status=Status.CLOSED, end_date="31/03/2025"),
    )
    assert response.status_code == 400
    assert "Only the partnerships coordinator can close a partnership." in response.content.decode()
    assert database_state() == before


def test_a_lead_cannot_hand_the_partnership_to_someone_else(client, world):
    """The lead field is not on a lead's form; a crafted POST naming another lead is ignored."""
    sign_in(client, world, "owner")
    response = client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(world.partnership, title=NEW_TITLE, lead=world.user("other_lead").pk),
    )
    assert response.status_code == 302
    assert _partnership(world).lead == world.user("owner")


def test_pages_offer_only_the_actions_the_role_may_take(client, world):
    """The detail page shows edit links to the owner and hides them from another lead."""
    url = reverse("partnerships:detail", args=[world.partnership.pk])
    edit = reverse("partnerships:edit", args=[world.partnership.pk])
    add_headline = reverse("partnerships:headline_add", args=[world.partnership.pk])
    close = reverse("partnerships:close", args=[world.partnership.pk])
    expectations = {
        "owner": {edit: True, add_headline: True, close: False},
        "delegate": {edit: True, add_headline: True, close: False},
        "other_lead": {edit: False, add_headline: False, close: False},
        "coordinator": {edit: True, add_headline: True, close: True},
        "board_member": {edit: False, add_headline: False, close: False},
    }
    for role, links in expectations.items():
        sign_in(client, world, role)
        body = client.get(url).content.decode()
        assert {link: f'href="{link}"' in body for link in links} == links, role


@pytest.mark.parametrize(
    ("name", "record", "section"),
    [
        ("partnerships:partner_delete", lambda w: w.partner_role, "partners"),
        ("partnerships:headline_delete", lambda w: w.headline, "headlines"),
    ],
)
def test_a_delete_page_goes_back_to_the_records_place_on_the_partnership_page(client, world, name, record, section):
    obj = record(world)
    sign_in(client, world, "owner")
    page = client.get(reverse(name, args=[obj.pk])).content.decode()
    back = f"{obj.partnership.get_absolute_url()}#{section}"
    assert f'<a class="nhsuk-back-link" href="{back}">' in page
    assert f'<a class="nhsuk-link" href="{back}">Cancel</a>' in page
    assert f'id="{section}"' in client.get(obj.partnership.get_absolute_url()).content.decode()
