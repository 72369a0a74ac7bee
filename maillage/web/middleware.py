import logging
import time

from django.conf import settings
from django.urls import resolve
from django.utils.cache import add_never_cache_headers

from maillage.web import health, logs
from maillage.web.health import HEALTHZ_PATH

request_logger = logging.getLogger("maillage.requests")


class NoStoreMiddleware:
    """Pages may show personal data: no browser or proxy cache keeps them (`Cache-Control: no-store`).

    Static files are served earlier by WhiteNoise and keep their long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
            response.setdefault(
                "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
            )
        return response


class RequestLogMiddleware:
    """First of all middleware: gives the request its id and writes one structured line once it is answered.

    The line names the route (`situations:detail`, `situations/<uuid:public_id>/`), never the path with its
    ids nor the query string, and the actor by public ids only: no name, no e-mail, nothing searched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = (
            logs.sane_request_id(request.headers.get(logs.REQUEST_ID_HEADER))
            if settings.MAILLAGE_TRUSTED_PROXY_COUNT > 0
            else None
        )
        request.request_id = incoming or logs.new_request_id()
        token = logs.bind_request_id(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[logs.REQUEST_ID_HEADER] = request.request_id
            self._log(request, response.status_code, started)
            return response
        finally:
            logs.unbind_request_id(token)

    @staticmethod
    def _log(request, status: int, started: float) -> None:
        match = getattr(request, "resolver_match", None)
        actor = getattr(request, "actor", None)
        membership = getattr(actor, "membership", None)
        view = match.view_name if match else None
        # A load balancer asks every few seconds: only a failing health check is worth a line by default.
        level = logging.DEBUG if view == "healthz" and status == 200 else logging.INFO
        request_logger.log(
            level,
            "requête",
            extra={
                "method": request.method,
                "view": view,
                "route": match.route if match else None,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "actor": str(actor.user.public_id) if actor else None,
                "membership": str(membership.public_id) if membership else None,
                "request_id": request.request_id,
            },
        )


class HealthCheckMiddleware:
    """Answers `/healthz` before host validation, the HTTPS redirect, sessions and sign-in.

    A load balancer calls it by the server's address, over plain HTTP, with no cookie: the answer names no
    host, reads no session and holds no data, so neither ALLOWED_HOSTS nor the redirect need widening for it.
    Every other path keeps them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH and request.method in ("GET", "HEAD"):
            request.resolver_match = resolve(HEALTHZ_PATH)
            return health.healthz(request)
        return self.get_response(request)
