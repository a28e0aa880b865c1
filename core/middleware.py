from django.utils.cache import patch_cache_control

from core.audit import audit_context
from core.documents import DOWNLOAD_HEADERS


class AuditContextMiddleware:
    """Attribute every change made while handling a request to its user and one request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(user=request.user, source="web") as ctx:
            request.audit_request_id = ctx.request_id
            return self.get_response(request)


class PrivateResponseMiddleware:
    """Nothing shown to a signed-in user is kept by the browser or a proxy (``no-store``: a shared
    computer's back button or disk cache must not replay the register after logging out), and
    every download gets the strict policy of a file rather than the pages' own.

    Static files are served before this runs (WhiteNoise) and are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        if response.get("Content-Disposition", "").startswith("attachment"):
            response.headers.setdefault("Content-Security-Policy", DOWNLOAD_HEADERS["Content-Security-Policy"])
        return response
