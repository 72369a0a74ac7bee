from django.conf import settings


def maillage(request):
    return {
        "demo_mode": settings.DEMO_MODE,
        "actor": getattr(request, "actor", None),
    }
