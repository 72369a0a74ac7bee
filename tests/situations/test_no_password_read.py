"""The situation list, its detail and the home's overdue tasks name people (referents, authors, task owners):
they read those accounts for a name and an address, never the password hash (a list of 50 situations would
carry up to 50 of them)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillage.situations import selectors, services
from maillage.web import keyset
from tests.situations.factories import report_situation

pytestmark = pytest.mark.django_db


def statements(read) -> str:
    with CaptureQueriesContext(connection) as queries:
        read()
    return "\n".join(q["sql"] for q in queries.captured_queries)


def test_the_list_the_detail_and_the_home_never_read_a_password_hash(net):
    coordinator = net.actor("coordinator")
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    services.referent_assign(actor=coordinator, situation=situation, membership=net["referent"])

    def listed():
        page = keyset.paginate(selectors.situations_listed(coordinator), None, size=50)
        assert [s.referent.user.email for s in page.items] == [net["referent"].user.email]

    def detailed():
        read = selectors.situation_detailed(coordinator, situation.public_id, follow_up=True)
        assert read.referent.user.get_full_name()

    def overdue():
        list(selectors.overdue_tasks(coordinator))

    for read in (listed, detailed, overdue):
        sql = statements(read)
        assert '"accounts_user"' in sql and "password" not in sql
