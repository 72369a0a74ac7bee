"""Where the current request comes from (IP, browser), for the entries recorded while it runs.

Set by AuditContextMiddleware; empty outside a request (management commands, tests without a client).
"""

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings

USER_AGENT_MAX_LENGTH = 255


@dataclass(frozen=True)
class RequestOrigin:
    ip: str = ""
    user_agent: str = ""


NO_ORIGIN = RequestOrigin()
_origin: ContextVar[RequestOrigin] = ContextVar("maillage_audit_origin", default=NO_ORIGIN)


def current_origin() -> RequestOrigin:
    return _origin.get()


def _valid_ip(value: str | None) -> str:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """The client's address. Behind N trusted proxies (setting MAILLAGE_TRUSTED_PROXY_COUNT), the N-th
    address from the right of X-Forwarded-For, the one our nearest trusted proxy saw; anything further
    left was written by the client and proves nothing."""
    trusted = settings.MAILLAGE_TRUSTED_PROXY_COUNT
    if trusted > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= trusted:
            return _valid_ip(forwarded[-trusted])
    return _valid_ip(request.META.get("REMOTE_ADDR"))


def origin_of(request) -> RequestOrigin:
    user_agent = request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")
    return RequestOrigin(ip=client_ip(request), user_agent=user_agent[:USER_AGENT_MAX_LENGTH])


def bind(origin: RequestOrigin):
    """Sets the origin for the current context; returns the token to give back to `unbind`."""
    return _origin.set(origin)


def unbind(token) -> None:
    _origin.reset(token)
