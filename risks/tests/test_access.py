"""Who may download the risk heatmap."""

import pytest
from django.urls import reverse

from risks.models import Risk
from tests.fixtures import sign_in
from tests.rows import LOGIN, REFUSED, ROLES, assert_outcome
from tests.spreadsheets import is_download, read_records


@pytest.mark.parametrize("fmt", ["svg", "csv", "xlsx"])
@pytest.mark.parametrize("role", ROLES)
def test_the_heatmap_download_follows_the_page(client, world, role, fmt):
    """Every signed-in role of the trust downloads the heatmap (two open risks in the world); a visitor
    gets the login page, a partner contributor a refusal."""
    sign_in(client, world, role)
    response = client.get(reverse("risks:heatmap"), {"export": fmt})
    if role == "anonymous":
        assert_outcome(response, LOGIN)
        assert not is_download(response)
        return
    if role == "contributor":  # a partner outside the trust never sees a risk profile
        assert_outcome(response, REFUSED)
        assert not is_download(response)
        return
    assert is_download(response)
    if fmt == "svg":
        assert response["Content-Type"] == "image/svg+xml"
    else:
        records = read_records(response)
        assert len(records) == 25
        assert sum(int(r["Open risks"]) for r in records) == Risk.objects.filter(status="open").count() == 2
