"""Who may call the API, and as whom.

Two ways in, tried in this order on every operation:
- a personal token, `Authorization: Bearer mlg_…`: acts as the membership it was created under;
- the browser session, only once it passed the second factor; CSRF is checked on unsafe methods.

Every operation declares its access rule through `auth=signed_in_auth()` or `auth=member_auth(*roles)`;
the auth objects carry that rule (`.rule`), the same words as the pages' rules in `maillage.web.access`.
`operation_rules(api)` lists them so that a test can fail on any operation without one.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from maillage.accounts import sessions
from maillage.api.ninja_internals import bound_routers
from maillage.network.actor import Actor, active_memberships_of
from maillage.network.enums import ApiTokenScope
from maillage.network.models import ApiToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# `last_used_at` is bookkeeping shown to the token's owner: one write a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)

SIGNED_IN = "signed_in"
MEMBER = "member"

NOT_AUTHENTICATED_MESSAGE = (
    "Authentification requise : connectez-vous avec votre second facteur, "
    "ou présentez un jeton d'API valide (en-tête « Authorization: Bearer … »)."
)
BAD_BEARER_MESSAGE = (
    "Ce jeton d'API n'est pas valide : il est inconnu, révoqué ou expiré, "
    "ou l'accès auquel il est rattaché a été désactivé."
)
READ_ONLY_SCOPE_MESSAGE = "Ce jeton d'API est en lecture seule : il ne permet pas de modifier des données."
MEMBERS_ONLY_MESSAGE = (
    "Cette fonction de l'API est réservée aux membres d'une organisation du réseau : "
    "l'administration technique n'y a pas accès."
)
ROLE_MESSAGE = "Votre rôle ne permet pas d'utiliser cette fonction de l'API."
CSRF_MESSAGE = "La vérification CSRF a échoué : rechargez la page et réessayez."


class NotAuthenticated(AuthenticationError):
    """401 with a French explanation; the API's handler adds `WWW-Authenticate`."""

    def __init__(self, message: str = NOT_AUTHENTICATED_MESSAGE):
        super().__init__(401, message)


def _rule_name(roles: tuple[str, ...]) -> str:
    return f"{MEMBER}:{'|'.join(roles)}" if roles else MEMBER


class _RuleMixin:
    """The access rule of an operation, enforced once the caller is known."""

    rule: str
    roles: tuple[str, ...]

    def _set_rule(self, rule: str, roles: tuple[str, ...]) -> None:
        self.rule = rule if rule == SIGNED_IN else _rule_name(roles)
        self.roles = roles

    def enforce(self, actor: Actor) -> Actor:
        if self.rule == SIGNED_IN:
            return actor
        if not actor.is_member:
            raise HttpError(403, MEMBERS_ONLY_MESSAGE)
        if self.roles and not actor.has_role(*self.roles):
            raise HttpError(403, ROLE_MESSAGE)
        return actor


def actor_for_token(key: str) -> tuple[ApiToken, Actor] | None:
    """The token behind a clear key and the actor it acts as, or None when it may not be used.

    Refused: unknown, revoked or expired token; inactive account; membership or organisation deactivated.
    Five queries at most (token, the user's active memberships with roles and communes, last use).
    """
    if not key.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.usable()
        .filter(key_hash=ApiToken.hash_key(key), user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    user = token.user
    memberships = active_memberships_of(user)
    membership = next((m for m in memberships if m.pk == token.membership_id), None)
    if membership is None:
        return None
    if user.is_platform_admin:
        # Same as a session: a technical administrator acts without any membership.
        actor = Actor.from_membership(user, None)
    else:
        actor = Actor.from_membership(user, membership, memberships)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token, actor


class BearerTokenAuth(_RuleMixin, HttpBearer):
    """Personal API token (`Authorization: Bearer mlg_…`), created on the « Jetons d'API » page."""

    openapi_bearerFormat = "mlg_…"
    openapi_description = (
        "Jeton personnel créé sur la page « Jetons d'API » de Maillage. Il agit au nom de l'adhésion "
        "active lors de sa création. Un jeton « lecture seule » n'autorise que GET, HEAD et OPTIONS."
    )

    def __init__(self, rule: str = SIGNED_IN, roles: tuple[str, ...] = ()) -> None:
        self._set_rule(rule, roles)
        super().__init__()

    def __call__(self, request: HttpRequest) -> Actor | None:
        scheme, _, key = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None  # no token: the session may still apply
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        # A token that was presented and fails is refused outright, even alongside a session.
        found = actor_for_token(token)
        if found is None:
            raise NotAuthenticated(BAD_BEARER_MESSAGE)
        api_token, actor = found
        if api_token.scope != ApiTokenScope.WRITE and request.method not in SAFE_METHODS:
            raise HttpError(403, READ_ONLY_SCOPE_MESSAGE)
        request.actor = actor
        return self.enforce(actor)


class SessionCookieAuth(_RuleMixin, APIKeyCookie):
    """The browser session of a signed-in person who passed the second factor."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "Session du navigateur, après connexion avec le second facteur. "
        "Les méthodes qui modifient des données exigent l'en-tête X-CSRFToken."
    )

    def __init__(self, rule: str = SIGNED_IN, roles: tuple[str, ...] = ()) -> None:
        self._set_rule(rule, roles)
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Actor | None:
        # Not APIKeyCookie's: it checks CSRF before knowing whether a session is there at all, which
        # would refuse a token call that simply carries no session.
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = getattr(request, "user", None)
        actor = getattr(request, "actor", None)
        # ActorMiddleware resolved the actor; a session without the second factor is not trusted at all.
        if (
            user is None
            or not user.is_authenticated
            or actor is None
            or not sessions.has_second_factor(request)
        ):
            return None
        if self.csrf and request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, CSRF_MESSAGE)
        return self.enforce(actor)


def signed_in_auth() -> list:
    """Any signed-in person, member or platform administrator (their own account)."""
    return [BearerTokenAuth(SIGNED_IN), SessionCookieAuth(SIGNED_IN)]


def member_auth(*roles: str) -> list:
    """An active membership, holding one of `roles` when given. Platform administrators get 403."""
    return [BearerTokenAuth(MEMBER, roles), SessionCookieAuth(MEMBER, roles)]


def _operation_rule(operation) -> str | None:
    rules = {getattr(callback, "rule", None) for callback in operation.auth_callbacks}
    if not rules or None in rules or len(rules) > 1:
        return None
    return rules.pop()


def operation_rules(api: NinjaAPI) -> dict[str, str | None]:
    """`{"GET /me": "signed_in", …}` for every operation of `api` (paths relative to the API root).

    The value is None when the operation declares no rule (no auth, or an auth without `rule`).
    """
    result: dict[str, str | None] = {}
    for router in bound_routers(api):
        for path, path_view in router.path_operations.items():
            full_path = "/" + "/".join(p.strip("/") for p in (router.prefix, path) if p.strip("/"))
            for operation in path_view.operations:
                for method in operation.methods:
                    result[f"{method} {full_path}"] = _operation_rule(operation)
    return result


def path_view_rule(path_view) -> str | None:
    """One access rule for a URL whose operations all declare one (None otherwise)."""
    rules = {
        method: _operation_rule(operation)
        for operation in path_view.operations
        for method in operation.methods
    }
    if not rules or None in rules.values():
        return None
    distinct = set(rules.values())
    if len(distinct) == 1:
        return distinct.pop()
    return ",".join(f"{method} {rule}" for method, rule in sorted(rules.items()))
