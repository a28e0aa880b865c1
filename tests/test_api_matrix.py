"""The REST API × every role × the same records as the pages: what each endpoint answers follows
from the permission matrix of the page whose view it runs (``core.api``), so the API and the
pages cannot drift apart.

For every registered API resource, each page it is built from (its list, its record's pages, its
add, edit, delete and action pages, its file's download) gives a row of the page matrix (each
app's ``PAGES``); the endpoint must answer every role as that page does: 200 where the page shows, 201/200/204 and the
same change made where the page saves, 403 where it refuses, 404 where it hides. Anonymous
callers get 401, partner contributors 403 (the API is the trust's). A write that is refused must
leave every table as it was; a write that is allowed is in the audit trail as made through the
API with the caller's token.
"""

import json

import pytest
from django.urls import reverse

from accounts.models import ApiToken
from accounts.tokens import create_token
from core import registry, versions
from core.models import AuditEntry
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectMixin
from tests.rows import FORBIDDEN, NOT_FOUND, OK, REFUSED, ROLES, SAVED, collect
from tests.urls import url_patterns, view_class
from tests.world import database_state

PAGES = collect("PAGES")
READS = ("list", "read", "download")


def _operations(resource):
    """(operation, page URL name, pattern) for each page the resource's endpoints run."""
    found = []
    for name, pattern in url_patterns():
        cls = view_class(pattern)
        route = str(pattern.pattern)
        if cls is None:
            continue
        if resource.list_view is not None and cls is resource.list_view:
            found.append(("list", name))
        elif cls is resource.edit_view:
            found.append(("update" if "<int:pk>" in route else "create", name))
        elif cls is resource.add_view:
            found.append(("create", name))
        elif cls is resource.download_view:
            found.append(("download", name))
        elif cls is resource.delete_view:
            found.append(("delete", name))
        elif cls in resource.actions.values():
            action = next(a for a, v in resource.actions.items() if v is cls)
            found.append((f"action:{action}", name))
        elif _shows(cls, resource.model) and "<int:pk>" in route:
            found.append(("read", name))
    return found


def _shows(cls, model):
    """A page that only shows a record of ``model`` (its page, a version's page, its paper)."""
    if issubclass(cls, ObjectDetailView):
        return cls.model is model
    return (
        issubclass(cls, ObjectMixin)
        and cls.model is model
        and not issubclass(cls, (ObjectEditView, ObjectDeleteView, ObjectHistoryView))
        and hasattr(cls, "get")
        and not hasattr(cls, "post")
    )


CASES = [
    pytest.param(resource.name, operation, name, role, id=f"{resource.name}-{operation}-{name}-{role}")
    for resource in registry.api_resources()
    for operation, name in _operations(resource)
    for role in ROLES
]


def _resource(name):
    return next(r for r in registry.api_resources() if r.name == name)


def _expected(page, operation, role):
    """What the API must answer ``role``: the page's answer, in HTTP's words."""
    if role == "anonymous":
        return {401}
    if role == "contributor":
        return {403}
    outcome = page.get[role] if operation in READS else page.post[role]
    success = {"list": 200, "read": 200, "create": 201, "delete": 204}.get(operation, 200)
    return {
        OK: {200},
        SAVED: {success},
        FORBIDDEN: {403},
        NOT_FOUND: {404},
        REFUSED: {403, 404},
    }[outcome]


def _state():
    """Every table but the tokens' "last used" bookkeeping."""
    state = database_state()
    state.pop(ApiToken._meta.label)
    return state


def _call(client, resource, operation, page, world, headers):
    args = page.args(world)
    base = f"/api/{resource.name}/"
    data = {k: v for k, v in page.data(world).items() if k != versions.VERSION_FIELD}
    if operation == "list":
        return client.get(base, headers=headers)
    if operation == "read":
        return client.get(f"{base}{args[0]}/", headers=headers)
    if operation == "download":  # the page's route names the format after the record, if any
        segment = args[1] if len(args) > 1 else "download"
        return client.get(f"{base}{args[0]}/{segment}/", headers=headers)
    if operation == "create":
        if resource.parent:
            data[resource.parent] = args[0]
        return client.post(base, json.dumps(data), content_type="application/json", headers=headers)
    record = resource.model._base_manager.get(pk=args[0])
    headers = {**headers, "If-Match": f'"{versions.record_version(record)}"'}
    if operation == "update":
        # What the page's form holds for this record (a browser sends no more: the page rows'
        # data may carry a field only the add form has, such as a partnership's reference).
        taken = resource.edit_view.form_class(instance=record, user=world.user("administrator")).fields
        data = {k: v for k, v in data.items() if k in taken}
        return client.patch(f"{base}{args[0]}/", json.dumps(data), content_type="application/json", headers=headers)
    if operation == "delete":
        return client.delete(f"{base}{args[0]}/", headers=headers)
    action = operation.removeprefix("action:")
    url = f"{base}{args[0]}/{action}/"
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_every_resource_is_walked():
    """Each resource runs pages with rows: none is served without the matrix saying who may."""
    for resource in registry.api_resources():
        operations = dict(_operations(resource))
        assert operations, f"{resource.name}: no page of it was found"
        for name in operations.values():
            assert name in PAGES, f"{resource.name}: page {name} has no row"


@pytest.mark.parametrize(("resource_name", "operation", "name", "role"), CASES)
def test_api_matrix(client, world, resource_name, operation, name, role):
    resource, page = _resource(resource_name), PAGES[name]
    expected = _expected(page, operation, role)
    headers = {}
    token = None
    if role != "anonymous":
        token, key = create_token(world.user(role), "matrix")
        headers = {"Authorization": f"Bearer {key}"}
    if page.prepare:
        page.prepare(client, world, role)
    before, audit_count = _state(), AuditEntry.objects.count()

    response = _call(client, resource, operation, page, world, headers)

    assert response.status_code in expected, (response.status_code, response.content[:300])
    assert (
        response.status_code == 204
        or operation == "download"
        or response["Content-Type"].startswith("application/json")
    )
    if operation in READS:
        assert _state() == before
    elif response.status_code in (200, 201, 204):
        assert page.effect(world), f"{role} was allowed to {operation} through the API but nothing changed"
        entries = AuditEntry.objects.order_by("pk")[audit_count:]
        assert entries, "an API write must be in the audit trail"
        assert {(e.source, e.token_id) for e in entries} == {("api", token.pk)}
    else:
        assert _state() == before, f"{operation} as {role} was refused but changed the database"
        assert "Traceback" not in response.content.decode()


def test_schema_lists_every_resource(client, world):
    _, key = create_token(world.user("auditor"), "schema")
    response = client.get(
        reverse("api:schema"), headers={"Authorization": f"Bearer {key}", "Accept": "application/json"}
    )
    assert response.status_code == 200
    schema = json.loads(response.content) if response.content.startswith(b"{") else None
    text = response.content.decode()
    for resource in registry.api_resources():
        assert f"/api/{resource.name}/" in text
    assert schema is None or "token" in json.dumps(schema.get("components", {}).get("securitySchemes", {}))
