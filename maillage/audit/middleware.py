from maillage.audit import context


class AuditContextMiddleware:
    """Makes the request's IP address and browser available to `audit.record()` while the request runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.bind(context.origin_of(request))
        try:
            return self.get_response(request)
        finally:
            context.unbind(token)
