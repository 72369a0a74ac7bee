"""The NinjaAPI of Maillage: JSON errors in French, and URLs that fit the project's access rules.

- LoginRequiredMiddleware would redirect an anonymous API call to the sign-in page: every API URL opts
  out of it and its operations answer 401 JSON themselves (through their `auth=`).
- Each operation URL carries the access rule of its operations (`maillage.web.access.ACCESS_RULE_ATTR`)
  when all of them declare one, so the test that walks the URLconf also catches an API operation
  without a rule. The OpenAPI document and the docs are public: they describe the API, not its data.
"""

import functools

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from maillage.api.auth import NOT_AUTHENTICATED_MESSAGE, NotAuthenticated, operation_rules, path_view_rule
from maillage.api.ninja_internals import bound_routers
from maillage.api.openapi import describe_contract
from maillage.api.parsing import NINJA_UNREADABLE_BODY, UNREADABLE_BODY_MESSAGE, StorableTextParser
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.web.access import ACCESS_RULE_ATTR, public
from maillage.web.errors import NOT_FOUND_MESSAGE

METHOD_NOT_ALLOWED_MESSAGE = "Méthode non permise à cette adresse : l'en-tête Allow dit lesquelles le sont."
INVALID_MESSAGE = "Requête invalide : `errors` indique chaque valeur refusée et pourquoi."


class MaillageAPI(NinjaAPI):
    def __init__(self, **kwargs):
        kwargs.setdefault("docs_decorator", public)
        kwargs.setdefault("parser", StorableTextParser())
        super().__init__(**kwargs)
        self.add_exception_handler(AuthenticationError, self._not_authenticated)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(DomainError, self._domain_error)
        self.add_exception_handler(ValidationError, self._invalid)
        self.add_exception_handler(HttpError, self._http_error)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        prefix = path_prefix if path_prefix is not None else self.get_root_path(path_params or {})
        return describe_contract(schema, operation_rules(self), prefix)

    def _not_authenticated(self, request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        # ninja raises its own AuthenticationError("Unauthorized") when no auth accepted the call.
        message = exc.message if isinstance(exc, NotAuthenticated) else NOT_AUTHENTICATED_MESSAGE
        response = self.create_response(request, {"detail": message}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="Maillage"'
        return response

    def _not_found(self, request: HttpRequest, exc: Http404) -> HttpResponse:
        return self.create_response(request, {"detail": NOT_FOUND_MESSAGE}, status=404)

    def _http_error(self, request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = UNREADABLE_BODY_MESSAGE if exc.message == NINJA_UNREADABLE_BODY else exc.message
        return self.create_response(request, {"detail": message}, status=exc.status_code)

    def _invalid(self, request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # ninja's own answer has a list in `detail`: the API keeps one error shape (`ErrorOut`, ADR 0047).
        errors = [{"type": e["type"], "loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors]
        return self.create_response(request, {"detail": INVALID_MESSAGE, "errors": errors}, status=422)

    def _domain_error(self, request: HttpRequest, exc: DomainError) -> HttpResponse:
        if isinstance(exc, PermissionDeniedError):
            status = 403
        elif isinstance(exc, ConflictError):
            status = 409
        else:
            status = 400
        return self.create_response(request, {"detail": exc.message}, status=status)

    @property
    def urls(self):
        urls, app_name, namespace = super().urls
        return self._with_access_rules(urls), app_name, namespace

    def _with_access_rules(self, urls):
        rules_by_route = {}
        for router in bound_routers(self):
            for path, path_view in router.path_operations.items():
                route = "/".join(p.strip("/") for p in (router.prefix, path) if p.strip("/"))
                rules_by_route[route.replace("{", "<").replace("}", ">")] = path_view_rule(path_view)
        for url in urls:
            route = str(url.pattern).strip("/")
            if getattr(url.callback, ACCESS_RULE_ATTR, None) is not None:
                continue  # the OpenAPI document and the docs (docs_decorator)
            if route in rules_by_route:
                url.callback = _json_not_allowed(url.callback)
                login_not_required(url.callback)
                if rules_by_route[route] is not None:
                    setattr(url.callback, ACCESS_RULE_ATTR, rules_by_route[route])
            elif route == "":
                # ninja's API root only answers 404: nothing to protect.
                public(url.callback)
        return urls


def _json_not_allowed(view):
    """ninja answers a method no operation of the URL takes with an empty 405: the API's is JSON too."""

    @functools.wraps(view)  # keeps the view's flags (csrf_exempt…)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            allowed = response["Allow"]
            response = JsonResponse({"detail": METHOD_NOT_ALLOWED_MESSAGE}, status=405)
            response["Allow"] = allowed
        return response

    return wrapped
