"""Who may read an agreement's documents, and what an agreement protects."""

import hashlib

import pytest
from django.urls import reverse

from agreements import services
from agreements.tests.rows import PAGES, upload_document
from core.audit import audit_context
from core.dates import local_today
from tests.fixtures import sign_in
from tests.rows import OK, OWNERS, ROLES, assert_no_data, assert_outcome
from tests.spreadsheets import is_download
from tests.world import PDF, database_state


def streamed(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ROLES)
def test_an_agreement_document_is_served_whole_and_only_to_those_who_may_see_it(client, world, role):
    """The file exactly as uploaded, as an attachment; a lead of another partnership gets 404."""
    sign_in(client, world, role)
    response = client.get(reverse("agreements:document", args=[world.document.pk]))
    expected = PAGES["agreements:document"].get[role]
    assert_outcome(response, expected)
    if expected == OK:
        assert is_download(response)
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        body = streamed(response)
        assert body.startswith(PDF)
        assert hashlib.sha256(body).hexdigest() == world.document.sha256
    else:
        assert_no_data(response, world)


def test_leads_download_their_own_partnerships_documents_and_not_each_others(client, world):
    """Who leads P-0002 reads its subcontract; the lead and delegate of P-0001 cannot tell it exists."""
    theirs = reverse("agreements:document", args=[world.other_document.pk])
    for role in OWNERS:
        sign_in(client, world, role)
        response = client.get(theirs)
        assert response.status_code == 404
        assert not is_download(response)
        assert world.other_document.title not in response.content.decode()
        assert world.other_document.original_name not in response.content.decode()
        # Their agreement's page and its history are open to them, but say nothing of its documents.
        for url in (
            world.other_agreement.get_absolute_url(),
            reverse("agreements:history", args=[world.other_agreement.pk]),
        ):
            page = client.get(url).content.decode()
            assert world.other_agreement.title in page
            for secret in (theirs, world.other_document.title, world.other_document.original_name):
                assert secret not in page, (url, secret)
            assert world.other_document.sha256 not in page
    sign_in(client, world, "other_lead")
    response = client.get(theirs)
    assert is_download(response)
    assert hashlib.sha256(streamed(response)).hexdigest() == world.other_document.sha256


def test_a_partnership_with_agreements_cannot_be_deleted_even_by_an_administrator(client, world):
    sign_in(client, world, "administrator")
    before = database_state()
    url = reverse("partnerships:delete", args=[world.partnership.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(world.partnership.get_absolute_url(), 302)]
    assert f"{world.partnership} cannot be deleted because other records still use it." in response.content.decode()
    assert database_state() == before


def test_a_party_of_an_approved_agreement_cannot_be_removed_and_the_page_says_why(client, world):
    """Parties are fixed once approved: the page explains, the POST changes nothing and goes back."""
    party = world.unsigned_party
    sign_in(client, world, "coordinator")
    url = reverse("agreements:party_delete", args=[party.pk])
    back = f"{world.approved_agreement.get_absolute_url()}#parties"
    page = client.get(url).content.decode()
    assert "Parties can only be added, changed or removed while the agreement is a draft or out for comment" in page
    assert f'href="{back}"' in page
    assert "Delete agreement party</button>" not in page
    before = database_state()
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(back, 302)]
    assert "this one is “Approved, awaiting signatures”" in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize(
    ("name", "record", "section"),
    [
        ("agreements:party_delete", lambda w: w.party, "parties"),
        ("agreements:consultation_delete", lambda w: w.consultation, "comment"),
        ("agreements:scope_delete", lambda w: w.scope_item, "scope"),
        ("agreements:milestone_delete", lambda w: w.milestone, "milestones"),
        ("agreements:indicator_delete", lambda w: w.indicator, "indicators"),
    ],
)
def test_a_delete_page_goes_back_to_the_records_place_on_the_agreement_page(client, world, name, record, section):
    obj = record(world)
    sign_in(client, world, "owner")
    page = client.get(reverse(name, args=[obj.pk])).content.decode()
    back = f"{obj.agreement.get_absolute_url()}#{section}"
    assert f'<a class="nhsuk-back-link" href="{back}">' in page
    assert f'<a class="nhsuk-link" href="{back}">Cancel</a>' in page
    assert f'id="{section}"' in client.get(obj.agreement.get_absolute_url()).content.decode()


def test_a_signed_copy_is_named_in_the_history_only_to_those_who_may_see_documents(client, world):
    """A lead of another partnership reads that a party's signed copy was uploaded, not its title."""
    with audit_context(user=world.user("other_lead"), source="web"):
        signed_copy = upload_document(world.other_agreement, "Signed subcontract", world.user("other_lead"))
        services.send_for_comment(world.other_agreement)
        services.approve(world.other_agreement)
        party = world.other_agreement.parties.get()
        services.record_signature(party, "Ms Sally Hart", "Director", local_today(), signed_copy=signed_copy)
    history = reverse("agreements:history", args=[world.other_agreement.pk])
    for role, sees in (("owner", False), ("delegate", False), ("other_lead", True), ("auditor", True)):
        sign_in(client, world, role)
        for url in (world.other_agreement.get_absolute_url(), history):
            page = client.get(url).content.decode()
            assert ("Signed subcontract" in page) is sees, (role, url)
        assert "Ms Sally Hart" in page, "the signature itself is no secret"
