"""The three visibility levels of a follow-up entry say which is the widest (issue 10, item 9)."""

from html import unescape

import pytest
from django.urls import reverse

from tests.situations.factories import report_situation

pytestmark = pytest.mark.django_db


def test_the_levels_go_from_the_narrowest_to_the_widest(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    html = unescape(
        net.client("referent")
        .get(reverse("situations:timeline_add", args=[situation.public_id]))
        .content.decode()
    )
    positions = [html.index(f'value="{level}"') for level in ("organisation", "coordination", "participants")]
    assert positions == sorted(positions)
    assert "Mon organisation seulement — le plus restreint" in html
    assert "— le plus large" in html and "Du plus restreint au plus large" in html
    form = html[html.index("Qui pourra lire cette entrée") : html.index("Information médicale")]
    assert "·" not in form
