"""The API under generated input (schemathesis): calls made up from the OpenAPI schema alone, as a
coordinator and as a partnership lead, must never get a server error, and every answer must be
one the schema describes (status code, content type, body).

The schema is built in this process from the registered resources (``core.api_urls``), and the
calls go straight to Accord's WSGI application, inside the test's transaction. The examples are
derandomised, so a failure is found again on the next run; their number per operation is bounded
so that a run makes at least ``MINIMUM_CALLS`` calls in all, in a minute or two.
"""

import contextlib
import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tokens import create_token
from core.models import AuditEntry

MINIMUM_CALLS = 500  # per role: two roles, at least 1,000 calls in all
MINIMUM_EXAMPLES = 5  # per operation, however many operations there are
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(raw, cls=DjangoJSONEncoder)))
    loaded.app = WSGIHandler()
    return loaded


@contextlib.contextmanager
def connection_kept():
    """Calls to the WSGI application in this process keep the test's database connection (and
    its transaction), as Django's test client does: after each request Django would otherwise
    close a connection that is not in autocommit mode."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["coordinator", "owner"])
def test_generated_calls_get_no_server_error_and_match_the_schema(world, role):
    _, key = create_token(world.user(role), "schemathesis")
    headers = {"Authorization": f"Bearer {key}"}
    operations = [result.ok() for result in _schema().get_all_operations()]
    examples = max(MINIMUM_EXAMPLES, -(-MINIMUM_CALLS * 6 // 5 // len(operations)))  # a fifth to spare
    calls = {"n": 0, "written": 0}
    audit_before = AuditEntry.objects.count()

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            response = case.call(headers=headers)
            calls["n"] += 1
            if case.method in ("POST", "PUT", "PATCH", "DELETE") and response.status_code < 300:
                calls["written"] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        with connection_kept():
            call()

    assert calls["n"] >= MINIMUM_CALLS, f"only {calls['n']} calls were generated"
    assert len(operations) >= 10
    if calls["written"]:
        assert AuditEntry.objects.count() > audit_before, "writes the API accepted are in the audit trail"
    print(f"{role}: {calls['n']} generated calls over {len(operations)} operations, {calls['written']} writes accepted")
