"""Accord's URLs plus two that fail, for the error page tests (``core/tests/test_errors.py``)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from accord.urls import handler403, handler500  # noqa: F401
from accord.urls import urlpatterns as accord_urlpatterns


@login_not_required
def fails(request):
    raise RuntimeError("secret detail of the failure")


urlpatterns = [path("fails/", fails), path("api/fails/", fails), *accord_urlpatterns]
