"""Who acts on this request: `request.actor`, once `maillage.accounts.middleware` let the session through."""

from maillage.accounts.middleware import refuse
from maillage.accounts.sessions import ACTIVE_MEMBERSHIP_SESSION_KEY
from maillage.network.actor import NoActiveMembership, resolve_actor


class ActorMiddleware:
    """Resolves `request.actor` (user + active membership) once per request.

    A membership or account deactivated since the last request ends the session on the very next one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        if request.user.is_authenticated:
            chosen = request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY)
            try:
                actor = resolve_actor(request.user, chosen)
            except NoActiveMembership:
                return refuse(
                    request,
                    "Votre accès a été désactivé ou n'est plus actif. "
                    "Adressez-vous à l'administration de votre organisation.",
                )
            if actor.membership is not None and chosen is None:
                request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = str(actor.membership.public_id)
            request.actor = actor
        return self.get_response(request)
