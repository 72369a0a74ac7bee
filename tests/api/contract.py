"""What the API's contract tests share: schemathesis's configuration and the callers it fuzzes as (ADR 0047).

Three callers of one coordinator's membership (which also manages housing and is referent of a commune, so
that every operation is open to it): a read token, a write token, the browser session (with its CSRF token).
"""

import zlib
from dataclasses import dataclass

import hypothesis
import schemathesis
from django.conf import settings
from django.test import Client

from tests.api.helpers import bearer, create_token
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.situations.factories import report_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# A CSRF secret the session's calls present both as cookie and header (Django accepts the unmasked secret).
CSRF_SECRET = "c" * 32

SEED = 17
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "max-examples": 6,
            "deterministic": True,
            "database": "none",
            # The callers' credentials are the test's (set_stand_in, Identities.resolve), not generated.
            "with-security-parameters": False,
        },
        "phases": {"stateful": {"max-steps": 10}},
        "checks": {
            # A schema-valid request may still be refused by a domain rule (an unknown commune, a date
            # before another): 400 with the error schema, documented on every operation.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "409"],
            },
        },
    }
)


# Sequences of calls: a bounded number of scenarios, each of a few steps, the same at every run.
STATEFUL_SETTINGS = hypothesis.settings(
    CONFIG.projects.default.get_hypothesis_settings(phase="stateful"),
    max_examples=12,
    # Each step is a whole request through Django: slow by Hypothesis's measure, and that is expected.
    suppress_health_check=list(hypothesis.HealthCheck),
)


# What the auth provider writes on a case when schemathesis builds it (some cases are built while pytest
# collects, before any database): stand-ins, replaced by the callers' real credentials just before the call.
STAND_INS = {"read": "mlg_stand-in-read", "write": "mlg_stand-in-write", "session": "stand-in-session"}


def set_stand_in(case) -> None:
    """Sets one caller's credentials on `case`, chosen from the case itself so that a run is repeatable; the
    read token only where it may act (its refusals of writes: test_refusals.py). Set through the schema's
    auth provider, schemathesis takes them for valid credentials: its `ignored_auth` check calls again
    without them, and with made-up ones, and expects 401."""
    callers = ["write", "session"]
    if case.method.upper() in SAFE_METHODS:
        callers.append("read")
    fingerprint = repr((case.method, case.path_parameters, case.query, case.body)).encode()
    caller = callers[zlib.crc32(fingerprint) % len(callers)]
    case.headers = dict(case.headers or {})
    if caller == "session":
        case.cookies = {
            **(case.cookies or {}),
            settings.SESSION_COOKIE_NAME: STAND_INS["session"],
            settings.CSRF_COOKIE_NAME: CSRF_SECRET,
        }
        case.headers["X-CSRFToken"] = CSRF_SECRET
    else:
        case.headers.update(bearer(STAND_INS[caller]))


@dataclass
class Identities:
    read_key: str
    write_key: str
    session_key: str

    def resolve(self, case) -> None:
        """The stand-ins on `case` replaced by the real credentials."""
        real = {"read": self.read_key, "write": self.write_key, "session": self.session_key}
        by_stand_in = {stand_in: real[caller] for caller, stand_in in STAND_INS.items()}
        for mapping in (case.headers, case.cookies):
            for name, value in (mapping or {}).items():
                for stand_in, key in by_stand_in.items():
                    if isinstance(value, str) and stand_in in value:
                        mapping[name] = value.replace(stand_in, key)


def build_world() -> Identities:
    territory = TerritoryFactory(name="Pays du contrat")
    commune = CommuneFactory(territory=territory, name="Mouchamps")
    CommuneFactory(territory=territory, name="Vendrennes")
    coordinator = MembershipFactory(
        territory=territory, roles=["coordinator", "housing_manager"], communes=[commune]
    )
    report_situation(coordinator, commune=commune)
    _, read_key = create_token(coordinator, scope="read")
    _, write_key = create_token(coordinator, scope="write", name="Outil du partenaire")
    client = sign_in(Client(), coordinator.user, coordinator)
    return Identities(
        read_key=read_key,
        write_key=write_key,
        session_key=client.cookies[settings.SESSION_COOKIE_NAME].value,
    )
