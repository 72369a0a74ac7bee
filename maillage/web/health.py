"""`/healthz`: is this process able to serve? The database answers, and the keyring encrypts, decrypts and
computes blind indexes with its active keys. No data, no session, no account, not audited.

The answer is `{"status": "ok", "checks": {…}}` (200), or 503 with the failing part marked "error": never
an exception's text, a path or a key id (they go to the server's log, with the request id).
"""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from maillage.privacy import crypto
from maillage.web.access import public

HEALTHZ_PATH = "/healthz"
PROBE = "healthz"
PROBE_CONTEXT = "maillage.healthz"

logger = logging.getLogger("maillage.health")


def database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def keyring_works() -> None:
    if crypto.decrypt(crypto.encrypt(PROBE, context=PROBE_CONTEXT), context=PROBE_CONTEXT) != PROBE:
        raise RuntimeError("encryption round trip changed the value")
    if crypto.blind_index(PROBE) != crypto.blind_index(PROBE.upper()):
        raise RuntimeError("blind index is not stable")


CHECKS = {"database": database_answers, "keyring": keyring_works}


@public
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception:
            logger.exception("Contrôle de santé en échec : %s", name)
            results[name] = "error"
    healthy = all(result == "ok" for result in results.values())
    body = {"status": "ok" if healthy else "error", "checks": results}
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response
