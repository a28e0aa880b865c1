"""The error pages: a plain 500 without a traceback, a clear 503 when the database cannot be
reached (``core/errors.py``). The 503 of a real unreachable PostgreSQL behind the production
server is ``tests/test_deploy.py``."""

import pytest
from django.db.utils import InterfaceError, OperationalError
from django.test import Client
from django.utils.functional import SimpleLazyObject

from core import errors

pytestmark = pytest.mark.urls("core.tests.error_urls")


def test_a_failure_gives_a_plain_500_page_without_a_traceback(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/fails/", HTTP_X_FORWARDED_PROTO="https")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong" in page
    for detail in ("Traceback", "RuntimeError", "secret detail", "error_urls.py", "Exception Value"):
        assert detail not in page
    assert "Retry-After" not in response


def test_a_failure_under_the_api_is_json_without_a_traceback(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/api/fails/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": errors.FAILED, "status": 500}


@pytest.mark.django_db
def test_the_error_pages_read_neither_the_user_nor_the_session_nor_the_database(rf, django_assert_num_queries):
    """With the database gone, anything the page read of the user or the session would fail again."""
    request = rf.get("/partnerships/")
    request.user = SimpleLazyObject(lambda: pytest.fail("the error page read the user"))
    request.session = SimpleLazyObject(lambda: pytest.fail("the error page read the session"))
    with django_assert_num_queries(0):
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            unavailable = errors.server_error(request)
        try:
            raise RuntimeError("a fault")
        except RuntimeError:
            failed = errors.server_error(request)
    assert unavailable.status_code == 503
    assert "Accord is briefly unavailable, try again in a minute." in unavailable.content.decode()
    assert failed.status_code == 500
    assert "Sorry, something went wrong" in failed.content.decode()


def test_a_database_error_is_recognised_through_the_exceptions_it_caused():
    assert not errors.database_unavailable(RuntimeError("not the database"))
    assert errors.database_unavailable(InterfaceError("connection already closed"))
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as error:
            raise RuntimeError("while saving") from error
    except RuntimeError as error:
        assert errors.database_unavailable(error)
