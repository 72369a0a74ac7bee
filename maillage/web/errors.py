from django.shortcuts import render

from maillage.web import logs


def forbidden(request, exception=None):
    return render(request, "web/error.html", {"title": "Accès refusé", "status": 403}, status=403)


def not_found(request, exception=None):
    return render(request, "web/error.html", {"title": "Page introuvable", "status": 404}, status=404)


def server_error(request):
    # The reference is the request id of the log lines about this error: what support asks for.
    context = {"title": "Erreur du serveur", "status": 500, "reference": logs.current_request_id()}
    return render(request, "web/error.html", context, status=500)
