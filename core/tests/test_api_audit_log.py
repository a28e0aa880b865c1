"""The audit log through the API: read only, for the auditors and administrators who may read the
log page, with the page's filters; refused to every other role."""

import json

import pytest

from core.models import AuditEntry
from tests.api_calls import token_client


@pytest.mark.parametrize("role", ["auditor", "administrator"])
def test_the_log_is_read_by_those_who_may_read_it(world, role):
    client, _ = token_client(world, role)
    listed = client.get("/api/audit-log/?sort=-timestamp&page_size=5")
    assert listed.status_code == 200
    page = listed.json()
    assert page["count"] == AuditEntry.objects.count() and len(page["results"]) == 5
    newest = AuditEntry.objects.order_by("-timestamp", "-pk").first()
    assert page["results"][0]["id"] == newest.pk
    one = client.get(f"/api/audit-log/{newest.pk}/")
    assert one.status_code == 200 and one.json()["object_label"] == newest.object_label


@pytest.mark.parametrize("role", ["coordinator", "owner", "executive", "board_member"])
def test_the_log_is_refused_to_every_other_role(world, role):
    client, _ = token_client(world, role)
    entry = AuditEntry.objects.first()
    assert client.get("/api/audit-log/").status_code == 403
    assert client.get(f"/api/audit-log/{entry.pk}/").status_code == 403


def test_the_log_cannot_be_written(world):
    client, _ = token_client(world, "administrator")
    entry = AuditEntry.objects.first()
    url = f"/api/audit-log/{entry.pk}/"
    etag = client.get(url)["ETag"]
    assert client.post("/api/audit-log/", json.dumps({}), "application/json").status_code == 405
    assert (
        client.patch(url, json.dumps({"object_label": "x"}), "application/json", headers={"If-Match": etag}).status_code
        == 405
    )
    assert client.delete(url, headers={"If-Match": etag}).status_code == 405
    assert AuditEntry.objects.get(pk=entry.pk).object_label == entry.object_label
