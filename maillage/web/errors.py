from django.shortcuts import render


def forbidden(request, exception=None):
    return render(request, "web/error.html", {"title": "Accès refusé", "status": 403}, status=403)


def not_found(request, exception=None):
    return render(request, "web/error.html", {"title": "Page introuvable", "status": 404}, status=404)


def server_error(request):
    return render(request, "web/error.html", {"title": "Erreur du serveur", "status": 500}, status=500)
