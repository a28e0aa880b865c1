"""Who may read an IG item's documents."""

import hashlib

import pytest
from django.urls import reverse

from assurance.tests.rows import PAGES
from tests.fixtures import sign_in
from tests.rows import NOT_FOUND, OK, OWNERS, ROLES, assert_outcome, everyone
from tests.spreadsheets import is_download


def streamed(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ROLES)
def test_an_ig_document_is_served_whole_and_only_to_those_who_may_see_it(client, world, role):
    """An ISA's file as uploaded; leads see only their own partnerships' IG documents (404 otherwise)."""
    sign_in(client, world, role)
    outcomes = (
        (world.ig_document, everyone(OK) | {"other_lead": NOT_FOUND}),
        (world.other_ig_document, everyone(OK) | dict.fromkeys(OWNERS, NOT_FOUND)),
    )
    assert outcomes[0][1] == PAGES["assurance:document"].get
    for document, expected in outcomes:
        response = client.get(reverse("assurance:document", args=[document.pk]))
        assert_outcome(response, expected[role])
        if expected[role] == OK:
            assert is_download(response)
            assert response["X-Content-Type-Options"] == "nosniff"
            assert hashlib.sha256(streamed(response)).hexdigest() == document.sha256
        else:
            assert not is_download(response)
            assert document.original_name not in response.content.decode()
