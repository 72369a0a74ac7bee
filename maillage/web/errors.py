from django.http import JsonResponse
from django.shortcuts import render

from maillage.web import logs

# The API answers JSON on every path under it, even one no route matches (a malformed identifier): its
# error schema is `{"detail": "…"}` (maillage/api/core.py, ADR 0047).
API_PREFIX = "/api/"
NOT_FOUND_MESSAGE = "Ressource introuvable."
FORBIDDEN_MESSAGE = "Accès refusé."
SERVER_ERROR_MESSAGE = "Erreur du serveur : donnez la référence au support."


def is_api_request(request) -> bool:
    """The request is the API's (it answers JSON): also what the session checks use (accounts.middleware)."""
    return request.path.startswith(API_PREFIX)


def forbidden(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": FORBIDDEN_MESSAGE}, status=403)
    return render(request, "web/error.html", {"title": "Accès refusé", "status": 403}, status=403)


def not_found(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": NOT_FOUND_MESSAGE}, status=404)
    return render(request, "web/error.html", {"title": "Page introuvable", "status": 404}, status=404)


def server_error(request):
    # The reference is the request id of the log lines about this error: what support asks for.
    reference = logs.current_request_id()
    if is_api_request(request):
        return JsonResponse({"detail": SERVER_ERROR_MESSAGE, "reference": reference}, status=500)
    context = {"title": "Erreur du serveur", "status": 500, "reference": reference}
    return render(request, "web/error.html", context, status=500)
