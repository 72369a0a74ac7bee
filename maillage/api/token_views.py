"""Personal API tokens: list, create (with a fresh second-factor code; the clear key is shown once, on the
answer to the POST), revoke."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from maillage.accounts.second_factor import NoAuthenticatorApp, WrongCode, second_factor_confirm
from maillage.api.token_forms import ApiTokenCreateForm
from maillage.errors import DomainError
from maillage.network import tokens as services
from maillage.network.models import ApiToken
from maillage.web.access import member

TOKENS_PER_PAGE = 50


def _own_token(request, public_id) -> ApiToken:
    # Someone else's token is as missing as a token that never existed.
    return get_object_or_404(ApiToken, public_id=public_id, user=request.actor.user)


@member()
def api_tokens(request):
    actor = request.actor
    form = ApiTokenCreateForm(request.POST if request.method == "POST" else None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_confirm(actor=actor, code=form.cleaned_data["code"], during="api_token")
        except NoAuthenticatorApp:
            form.add_error(
                "code",
                "Créer un jeton demande une application d'authentification : ajoutez-en une dans "
                "« Sécurité », puis revenez ici.",
            )
        except WrongCode:
            form.add_error(
                "code", "Ce code n'est pas valide (ou a déjà servi). Saisissez le code affiché maintenant."
            )
        else:
            try:
                token, key = services.api_token_create(
                    actor=actor,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_at=form.expires_at(),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                # The key lives only in this response: never in the session, never in the database.
                created = {"token": token, "key": key}
                form = ApiTokenCreateForm()
    form.forget_code()
    tokens = (
        ApiToken.objects.filter(user=actor.user)
        .select_related("membership__organisation", "membership__territory")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(tokens, TOKENS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "api/api_tokens.html",
        {
            "page_title": "Jetons d'API",  # base.html adds "Erreur : " when the form comes back
            "form": form,
            "created": created,
            "page": page,
            "query": "",
            "api_me_url": request.build_absolute_uri(reverse("api:me")),
            "openapi_url": reverse("api:openapi-json"),
            "token_days": settings.MAILLAGE_API_TOKEN_DAYS,
        },
    )


@member()
def api_token_revoke(request, public_id):
    token = _own_token(request, public_id)
    if request.method == "POST":
        services.api_token_revoke(actor=request.actor, token=token)
        messages.success(request, f"Le jeton « {token.name} » est révoqué : il ne permet plus aucun appel.")
        return redirect("api_tokens:list")
    if token.revoked_at is not None:
        messages.info(request, f"Le jeton « {token.name} » est déjà révoqué.")
        return redirect("api_tokens:list")
    return render(
        request,
        "api/api_tokens_revoke.html",
        {"page_title": "Révoquer un jeton d'API", "token": token},
    )
