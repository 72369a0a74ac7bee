from django.shortcuts import render

from maillage.network.models import Organisation
from maillage.web.access import platform_admin


@platform_admin
def organisation_list(request):
    return render(
        request, "network/platform/organisation_list.html", {"organisations": Organisation.objects.all()}
    )
