"""What the OpenAPI document promises beyond each operation's own declaration (ADR 0047).

ninja writes each operation's parameters, body and the answers its decorator lists. The rest is the same for
every operation and written here once, so that a new operation cannot forget it:
- every error the API can answer, in its one shape (`ErrorOut`): 400, 401, 403, 404, 422, and 409 on writes;
- the token scope an operation needs (`read` for GET, `write` otherwise) and its access rule by role,
  as `x-scope`, `x-access-rule` and the scope in the bearer security requirement (OpenAPI 3.1 allows role
  names there for schemes other than OAuth);
- how a list is paged (`x-pagination`: `limit-offset` or `cursor`).
"""

import re

from ninja.openapi.schema import OpenAPISchema

from maillage.api.auth import SAFE_METHODS
from maillage.api.schemas import ErrorOut

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
ERRORS = {
    "400": "Refusé par une règle métier : valeur inconnue du territoire (commune, organisation, personne), "
    "dates incohérentes, curseur modifié, action impossible dans l'état présent ; ou corps illisible (pas du "
    "JSON en UTF-8, caractère nul).",
    "401": "Authentification requise : jeton absent, inconnu, révoqué ou expiré, ou session sans second "
    "facteur.",
    "403": "Refusé : rôle insuffisant, jeton en lecture seule pour une écriture, ou vérification CSRF "
    "échouée (session).",
    "404": "Introuvable, ou hors de ce que l'adhésion peut voir : la même réponse dans les deux cas.",
    "422": "Paramètres ou corps invalides (type, bornes, longueur, valeur hors liste, caractère nul) : "
    "`errors` détaille chaque valeur refusée.",
}
CONFLICT = {
    "409": "Conflit : la donnée a changé depuis sa lecture (`version`), ou la même demande a déjà été faite."
}
SCOPE_SENTENCE = {
    "read": "Jeton : la portée « lecture » suffit.",
    "write": "Jeton : portée « écriture » requise (un jeton en lecture seule reçoit 403).",
}
PAGINATION = {"offset": "limit-offset", "cursor": "cursor"}
_CONVERTER = re.compile(r"\{\w+:(\w+)\}")


def describe_contract(schema: OpenAPISchema, rules: dict[str, str | None], prefix: str) -> OpenAPISchema:
    """`schema` completed in place. `rules` is `operation_rules(api)`; `prefix` the API's root path."""
    rules_by_path = {_document_key(key, prefix): rule for key, rule in rules.items()}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", _error_schema(components))
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            scope = "read" if method.upper() in SAFE_METHODS else "write"
            errors = ERRORS if scope == "read" else {**ERRORS, **CONFLICT}
            # ninja keys the declared answers by int; the document's keys are strings.
            responses = {str(status): answer for status, answer in operation["responses"].items()}
            operation["responses"] = responses
            for status, description in errors.items():
                responses[status] = {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
            operation["security"] = [
                {name: [scope] if name == "BearerTokenAuth" else [] for name in requirement}
                for requirement in operation.get("security", [])
            ]
            operation["x-scope"] = scope
            operation["x-access-rule"] = rules_by_path[f"{method.upper()} {path}"]
            operation["description"] = (
                f"{operation.get('description', '').rstrip()}\n\n{SCOPE_SENTENCE[scope]}"
            )
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            for name, kind in PAGINATION.items():
                if name in names and "limit" in names:
                    operation["x-pagination"] = kind
    return schema


def _document_key(rule_key: str, prefix: str) -> str:
    method, path = rule_key.split(" ", 1)
    path = _CONVERTER.sub(r"{\1}", path)
    return f"{method} {prefix.rstrip('/')}{path}"


def _error_schema(components: dict) -> dict:
    schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    return schema
