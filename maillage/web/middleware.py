from django.conf import settings
from django.utils.cache import add_never_cache_headers


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
