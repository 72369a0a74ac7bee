from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from maillage.accounts.models import User
from maillage.network import role_changes
from maillage.network.models import Organisation
from maillage.territories.models import Territory
from maillage.web.access import platform_admin, public, signed_in


@signed_in
def home(request):
    actor = request.actor
    if actor.is_platform_admin:
        return redirect("platform_home")
    return render(request, "web/home.html", {"rights": role_changes.rights_to_review(actor)})


@public
@require_GET
def robots_txt(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


@platform_admin
def platform_home(request):
    counts = {
        "territories": Territory.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
    }
    return render(request, "web/platform_home.html", {"counts": counts})
