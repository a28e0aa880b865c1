from core.audit import audit_context


class AuditContextMiddleware:
    """Attribute every change made while handling a request to its user and one request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(user=request.user, source="web") as ctx:
            request.audit_request_id = ctx.request_id
            return self.get_response(request)
