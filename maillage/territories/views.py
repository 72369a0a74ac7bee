from django.shortcuts import render

from maillage.territories.models import Territory
from maillage.web.access import platform_admin


@platform_admin
def territory_list(request):
    territories = Territory.objects.all()
    return render(request, "territories/territory_list.html", {"territories": territories})
