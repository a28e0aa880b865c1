"""What a request gets when something fails: a plain page, never a traceback.

``server_error`` is Django's ``handler500`` (``accord.urls``). Django calls it for any exception
no view or middleware handled, while that exception is being handled, so it can tell a database
that cannot be reached (PostgreSQL restarting: ``OperationalError`` or ``InterfaceError``) from a
fault in Accord:

- the database unreachable: **503** "Accord is briefly unavailable, try again in a minute", with
  ``Retry-After``;
- anything else: **500** "Sorry, something went wrong", the details left to the server's log.

Paths under ``/api/`` get the same as JSON. Neither page touches the database: they are rendered
without the request's context (no user, no session, no menu), and the stylesheet's address is
worked out defensively (no manifest yet must not turn an error page into another error).
"""

import sys

from django.contrib.staticfiles.storage import staticfiles_storage
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = "Accord is briefly unavailable, try again in a minute."
FAILED = "Sorry, something went wrong. It has been logged; try again, and tell the service desk if it goes on."


def database_unavailable(exception):
    """Whether ``exception`` (or one it was raised from) says the database cannot be reached."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, (OperationalError, InterfaceError)):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def _stylesheet():
    try:
        return staticfiles_storage.url("nhsuk/accord.css")
    except Exception:
        return None


def _response(request, status, title, message):
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "status": status}, status=status)
    else:
        html = render_to_string(
            "error_page.html", {"title": title, "message": message, "stylesheet": _stylesheet(), "status": status}
        )
        response = HttpResponse(html, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """``handler500``: 503 when the database cannot be reached, else a plain 500."""
    if database_unavailable(sys.exc_info()[1]):
        return _response(request, 503, "Accord is briefly unavailable", UNAVAILABLE)
    return _response(request, 500, "Sorry, something went wrong", FAILED)
