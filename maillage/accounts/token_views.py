"""Personal API tokens: list, create (with a fresh second-factor code; the clear key is shown once, on the
answer to the POST), revoke."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from maillage import audit
from maillage.accounts import services
from maillage.accounts.models import ApiToken
from maillage.accounts.second_factor import verify_totp_code
from maillage.accounts.token_forms import ApiTokenCreateForm
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError
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
        verified = verify_totp_code(actor.user, form.cleaned_data["code"])
        if verified is None:
            form.add_error(
                "code",
                "Créer un jeton demande une application d'authentification : ajoutez-en une dans "
                "« Sécurité », puis revenez ici.",
            )
        elif not verified:
            audit.record(
                actor=actor, action=AuditAction.MFA_FAILED, user=actor.user, changes={"during": "api_token"}
            )
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
        "accounts/api_tokens.html",
        {
            "page_title": "Erreur : Jetons d'API" if form.errors else "Jetons d'API",
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
        return redirect("accounts:api_tokens")
    if token.revoked_at is not None:
        messages.info(request, f"Le jeton « {token.name} » est déjà révoqué.")
        return redirect("accounts:api_tokens")
    return render(
        request,
        "accounts/api_tokens_revoke.html",
        {"page_title": "Révoquer un jeton d'API", "token": token},
    )
