"""Sign-in guarantees applied to every request, in order: session lifetime, second factor (then
`maillage.network.middleware.ActorMiddleware` resolves the actor)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from maillage.accounts import sessions
from maillage.web.errors import is_api_request


def refuse(request, message: str):
    """End the session and send the person back to sign in (or a JSON 401 for the API)."""
    logout(request)
    if is_api_request(request):
        return JsonResponse({"detail": message}, status=401)
    messages.warning(request, message)
    return redirect(reverse("account_login"))


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if sessions.expired(request):
                return refuse(request, "Votre session a expiré. Veuillez vous reconnecter.")
            sessions.touch(request)
        return self.get_response(request)


# Pages a signed-in person without a second factor may still open: enrolling it, and leaving.
ENROLMENT_URL_NAMES = {
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "account_logout",
}


class SecondFactorMiddleware:
    """No account reaches a member page without a second factor, whoever it is (DOMAIN.md §4)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or sessions.has_second_factor(request):
            return None
        url_name = request.resolver_match.url_name if request.resolver_match else None
        if url_name in ENROLMENT_URL_NAMES:
            return None
        if sessions.has_totp(request.user):
            # A session that skipped the second factor of an enrolled account is not trusted at all.
            return refuse(request, "Veuillez vous connecter avec votre second facteur.")
        if is_api_request(request):
            return JsonResponse({"detail": "Configurez d'abord votre double authentification."}, status=401)
        messages.info(
            request,
            "Pour protéger les données des victimes, chaque compte utilise une double authentification. "
            "Configurez votre application d'authentification pour continuer.",
        )
        return redirect(reverse("mfa_activate_totp"))
