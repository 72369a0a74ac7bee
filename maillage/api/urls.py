"""The JSON API, mounted at /api/v1/ (config/urls.py). OpenAPI document: /api/v1/openapi.json.

The top of the API: it imports each app's router module, explicitly. The API core (`auth`, `core`,
`schemas`) imports no feature app (import-linter, docs/decisions/0015-dependency-directions.md).
"""

from maillage.actionplan import api as actionplan
from maillage.api import accounts, network
from maillage.api.core import MaillageAPI
from maillage.assessments import api as assessments
from maillage.housing import api as housing
from maillage.housing import api_calendar as housing_calendar
from maillage.housing import api_stays as housing_stays
from maillage.meetings import api as meetings
from maillage.meetings import api_minutes as meeting_minutes
from maillage.prevention import api as prevention
from maillage.protection import api as protection
from maillage.referrals import api as referrals
from maillage.situations import api as situations
from maillage.stats import api as statistics

api = MaillageAPI(
    title="API Maillage",
    version="1",
    description=(
        "API du réseau local contre les violences conjugales, sexistes et sexuelles. "
        "Chaque appel agit au nom d'une adhésion (organisation et territoire) : celle d'un jeton personnel "
        "(`Authorization: Bearer mlg_…`, créé sur la page « Jetons d'API »), ou celle de la session du "
        'navigateur. Les erreurs sont renvoyées sous la forme `{"detail": "…"}`.'
    ),
    urls_namespace="api",
    # The OpenAPI document is the reference; the bundled Swagger page is English-only and not accessible.
    docs_url=None,
)
api.add_router("", accounts.router)
api.add_router("", network.router)
api.add_router("", situations.router)
api.add_router("", referrals.router)
api.add_router("", assessments.router)
api.add_router("", protection.router)
api.add_router("", housing.router)
api.add_router("", housing_calendar.router)
api.add_router("", housing_stays.router)
# Before the meetings' router: its `/meetings/{id}/{action}` would take `/minutes` (POST only).
api.add_router("", meeting_minutes.router)
api.add_router("", meetings.router)
api.add_router("", actionplan.router)
api.add_router("", prevention.router)
api.add_router("", statistics.router)
