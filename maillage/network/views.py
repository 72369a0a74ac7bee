from django.shortcuts import render

from maillage.network import selectors
from maillage.web.access import member


@member()
def directory(request):
    territory = request.actor.territory
    return render(
        request,
        "network/directory.html",
        {
            "page_title": "Annuaire du réseau",
            "organisations": selectors.directory_organisations(territory),
            "communes": selectors.directory_communes(territory),
        },
    )


@member("org_admin")
def members(request):
    return render(request, "network/members.html", {})


@member("coordinator")
def referents(request):
    return render(request, "network/referents.html", {})
