from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Models that exist only in tests, to exercise the privacy fields before any nominative model exists."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"
