from django.shortcuts import render

from maillage.accounts.models import User
from maillage.web.access import platform_admin


@platform_admin
def user_list(request):
    return render(request, "accounts/platform/user_list.html", {"users": User.objects.all()})
