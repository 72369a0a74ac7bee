"""Base classes for the Django admin of the technical administrator.

Domain objects change through services only (permission checks, versions, audit): the admin shows them.
Whatever stays writable in the admin goes through a service that records its audit entry
(`tests/web/test_admin_site.py` walks every registered model and fails otherwise)."""

from django.contrib import admin
from django.db import models


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Django 6 will assume https for bare addresses; say so now (and avoid its deprecation warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
