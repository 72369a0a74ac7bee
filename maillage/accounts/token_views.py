from django.shortcuts import render

from maillage.web.access import member


@member()
def api_tokens(request):
    return render(request, "accounts/api_tokens.html", {"page_title": "Jetons d'API"})


@member()
def api_token_revoke(request, public_id):
    return render(request, "accounts/api_tokens.html", {"page_title": "Jetons d'API"})
