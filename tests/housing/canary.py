"""The refuge canaries' crawl (issue 12, ADR 0028), shared by the test world's canary (test_unit_canary.py)
and the demo's (test_demo_canary.py): a detector of one address, however a page, a JSON answer, an e-mail
or a log record spells it, and a crawl of every GET route of the URLconf with its ids taken from pools,
plus the detail API with `?address=true` and the reveal POST on given units."""

import html
import itertools
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from django.test import Client

from maillage.web.access import THIRD_PARTY_ROUTES
from maillage.web.logs import JsonFormatter
from tests.documents import readable_text
from tests.urls import walk

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
FILLABLE = {"uuid", "uuidstr"}
SESSION_ENDING = ("accounts/logout/", "admin/logout/")
UNIT_ROUTES = ("hebergement/", "api/v1/housing/")
SITUATION_ROUTES = ("situations/", "api/v1/situations", "evaluations/situations/")
EMERGENCY_ROUTES = ("situations/acces-urgence/",)


def plain(text: str) -> str:
    """HTML entities decoded, accents dropped, case folded: « Allée » and « ALL&Eacute;E » read the same."""
    text = unicodedata.normalize("NFKD", html.unescape(text))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


class Canary:
    """The address's distinctive parts — each hyphenated name in it (the street's), with a hyphen, a space or
    nothing between its words — looked for in plain text."""

    def __init__(self, address: str):
        names = re.findall(r"\w+(?:-\w+)+", plain(address))
        variants = (
            variant for name in names for variant in (name, name.replace("-", " "), name.replace("-", ""))
        )
        self.markers = tuple(dict.fromkeys(variants))
        assert self.markers, f"no distinctive part in {address!r}"
        assert self.leaks(address)

    def leaks(self, text: str) -> bool:
        text = plain(text)
        return any(marker in text for marker in self.markers)

    def in_mail(self, messages) -> list[str]:
        """The subjects of the messages that hold it (subject, text or any alternative)."""
        return [
            m.subject
            for m in messages
            if self.leaks(" ".join([m.subject, m.body, *(a[0] for a in m.alternatives)]))
        ]

    def in_logs(self, records) -> list[str]:
        """The loggers of the records that hold it, as the server writes them."""
        return [record.name for record in records if self.leaks(log_line(record))]


def log_line(record) -> str:
    """The record as the server writes it (JSON, with every extra field) and as plain text."""
    return JsonFormatter().format(record) + logging.Formatter().format(record)


def response_text(response) -> str:
    """JSON as its clients read it, a PDF's extracted text (tests/documents.py)."""
    return readable_text(response)


@dataclass
class Pools:
    """The objects whose public ids a route's parameters take: a housing route its kind's (units, stays or
    stay requests: another kind's id is just a missing one), a situation route the situations (emergency
    reviews the accesses), any other route the crawler's own (membership, account, organisation,
    territory), one of them in all its parameters."""

    units: list
    stays: list
    requests: list
    situations: list
    own: list
    accesses: list = field(default_factory=list)

    def takes_own(self, route: str) -> bool:
        return self._objects(route) is self.own

    def of(self, route: str) -> list[str]:
        return sorted({str(obj.public_id) for obj in self._objects(route)})

    def _objects(self, route: str) -> list:
        if route.startswith(EMERGENCY_ROUTES) and self.accesses:
            return self.accesses
        if route.startswith(SITUATION_ROUTES) or "/situation/" in route:
            return self.situations
        if route.startswith(UNIT_ROUTES):
            kinds = {
                "sejours/": self.stays,
                "stays/": self.stays,
                "demandes/": self.requests,
                "requests/": self.requests,
            }
            return next((kind for part, kind in kinds.items() if part in route), self.units)
        return self.own


def fill(route: str, values: tuple[str, ...]) -> str:
    filled = iter(values)
    return PARAM.sub(lambda _match: next(filled), route)


def paths(pools: Pools, *, platform_admin: bool) -> list[str]:
    """Every GET path of the URLconf with its ids from the pools (each once); the admin's lists for the
    platform admin only, the session's end never."""
    found = {}
    for route, _callback in walk():
        if route.startswith(SESSION_ENDING) or "^" in route:
            continue
        params = PARAM.findall(route)
        if route.startswith("admin/") and (not platform_admin or params):
            continue
        if any(kind not in FILLABLE for kind, _name in params):
            assert route.startswith(tuple(THIRD_PARTY_ROUTES)) or not route.startswith(UNIT_ROUTES), route
            continue
        ids = pools.of(route)
        if pools.takes_own(route):
            # The crawler's own objects (membership, account, organisation, territory) in every position at
            # once: a path holding two different kinds of them finds nothing more than one holding one kind.
            combinations = [(i,) * len(params) for i in ids]
        else:
            combinations = itertools.product(*(ids for _param in params))
        for values in combinations:
            found["/" + fill(route, values)] = route
    return list(found)


@dataclass
class Crawl:
    found: list[str]  # the answers that hold the address: "GET /path → 200"
    statuses: dict[tuple[str, str], int]  # (method, path) → status

    @property
    def ok(self) -> int:
        return sum(status == 200 for status in self.statuses.values())


def crawl(
    canary: Canary, client: Client, pools: Pools, *, units, platform_admin: bool = False, who=""
) -> Crawl:
    """Every GET path as `who`, then for each unit the detail API with `?address=true` and the reveal POST;
    no answer may be a server error."""
    requests = [("get", path) for path in paths(pools, platform_admin=platform_admin)]
    for unit in units:
        requests += [
            ("get", f"/api/v1/housing/units/{unit.public_id}?address=true"),
            ("post", f"/hebergement/logements/{unit.public_id}/adresse/"),
        ]
    result = Crawl(found=[], statuses={})
    for method, path in requests:
        response = getattr(client, method)(path)
        assert response.status_code < 500, (who, method, path, response.status_code)
        result.statuses[method, path] = response.status_code
        if canary.leaks(response_text(response)):
            result.found.append(f"{method.upper()} {path} → {response.status_code}")
    return result
