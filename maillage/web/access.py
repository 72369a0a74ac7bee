"""Every view declares who may call it. A test walks the URLconf and fails on any view without a rule.

- `public`: no account needed (sign-in pages, health check). Opts out of LoginRequiredMiddleware.
- `signed_in`: any signed-in person with the second factor, member or platform admin (own account pages).
- `member(*roles)`: an active membership, holding one of `roles` when given. Platform admins are refused.
- `platform_admin`: the technical administrator only.

Refusals answer 403 for pages that reveal no object; object look-ups answer 404 (see policies).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

ACCESS_RULE_ATTR = "access_rule"


def _declare(view: Callable, rule: str) -> Callable:
    setattr(view, ACCESS_RULE_ATTR, rule)
    return view


def public(view: Callable) -> Callable:
    return _declare(login_not_required(view), "public")


def signed_in(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "actor", None) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _declare(wrapper, "signed_in")


def member(*roles: str) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            actor = getattr(request, "actor", None)
            if actor is None or not actor.is_member:
                raise PermissionDenied
            if roles and not actor.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _declare(wrapper, "member:" + "|".join(roles) if roles else "member")

    return decorator


def platform_admin(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        actor = getattr(request, "actor", None)
        if actor is None or not actor.is_platform_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _declare(wrapper, "platform_admin")


def access_rule_of(callback: Callable) -> str | None:
    rule = getattr(callback, ACCESS_RULE_ATTR, None)
    if rule is None and hasattr(callback, "view_class"):
        rule = getattr(callback.view_class, ACCESS_RULE_ATTR, None)
    return rule


# Routes served by libraries, with who guards them. The URLconf test accepts these prefixes only for views
# coming from the named module, so a project view can never hide under them.
THIRD_PARTY_ROUTES = {
    "accounts/": (("allauth.",), "allauth: sign-in pages are public, account pages require a signed-in user"),
    # Every admin route is wrapped by AdminSite.admin_view (staff only, signed in through allauth with TOTP),
    # including its redirects (generic RedirectView) and the content-type shortcut.
    "admin/": (
        ("django.contrib.admin", "django.contrib.contenttypes.views", "django.views.generic"),
        "platform_admin: staff only",
    ),
    "api/v1/": (("ninja.",), "per operation: see maillage.api.auth.operation_rules"),
}
