"""What the API's behaviour tests share: a client holding a role's token, a JSON call with or
without ``If-Match``, and the database's state to compare before and after a refused write."""

import json

from django.test import Client

from accounts.models import ApiToken
from accounts.tokens import create_token
from tests.world import database_state


def api(world, role="coordinator"):
    """A client holding a new token of ``role``'s user: (client, token)."""
    token, key = create_token(world.user(role), f"{role} script")
    return Client(headers={"Authorization": f"Bearer {key}"}), token


def send(client, method, url, data, etag=None):
    """``method`` ("post", "patch", …) ``data`` as JSON to ``url``, with ``If-Match: etag`` if given."""
    headers = {"If-Match": etag} if etag else {}
    return getattr(client, method)(url, json.dumps(data), content_type="application/json", headers=headers)


def state():
    """Every table but the tokens' "last used" bookkeeping."""
    data = database_state()
    data.pop(ApiToken._meta.label)
    return data
