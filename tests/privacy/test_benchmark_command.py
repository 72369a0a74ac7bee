import io

import pytest
from django.core.management import call_command

from maillage.audit.models import AuditEntry


@pytest.mark.django_db
def test_benchmark_prints_figures_and_leaves_the_trail_untouched():
    out = io.StringIO()
    call_command("benchmark_security", entries=20, values=10, stdout=out)
    text = out.getvalue()
    assert "Entrée d'audit" in text and "Déchiffrer 10 valeurs" in text
    assert " ms" in text
    assert not AuditEntry.objects.exists()
