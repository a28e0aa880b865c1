"""What the apps' API tests share: a client signed in with a token of a role, writes with
``If-Match``, the database as it stands, and the audit entries a write left.

``core/tests/test_api.py`` shows the API's behaviour once; each app's ``tests/test_api.py`` checks
its own resources with these.
"""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiToken
from accounts.tokens import create_token
from core.models import AuditEntry
from tests.world import database_state


def token_client(world, role="coordinator"):
    """A client holding a new token of ``role``'s user: (client, token)."""
    token, key = create_token(world.user(role), f"{role} script")
    return Client(headers={"Authorization": f"Bearer {key}"}), token


def send(client, method, url, data=None, etag=None):
    """``method`` (post, put, patch, delete) ``url`` with ``data`` as JSON and ``If-Match: etag``."""
    headers = {"If-Match": etag} if etag else {}
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def etag_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


def state():
    """Every table but the tokens' "last used" bookkeeping."""
    data = database_state()
    data.pop(ApiToken._meta.label)
    return data


def api_entries(since, token):
    """The audit entries written after entry ``since`` (a pk), each checked to name the API and ``token``."""
    entries = list(AuditEntry.objects.filter(pk__gt=since).order_by("pk"))
    assert entries, "an API write must be in the audit trail"
    assert {(e.source, e.token_id) for e in entries} == {("api", token.pk)}
    return entries


def last_entry():
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def list_queries(client, url):
    """(queries, the answer) for one GET of an API list, after a first GET that warms caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def assert_list_cost_fixed(client, url, grow, by=20):
    """A page of the list at ``url`` costs as many queries after ``grow(by)`` added ``by`` rows (and
    what hangs on them) as before, and shows them all."""
    few, answer = list_queries(client, url)
    grow(by)
    many, grown = list_queries(client, url)
    assert grown["count"] == answer["count"] + by and len(grown["results"]) == grown["count"]
    assert many == few
