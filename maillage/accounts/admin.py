"""Django admin for the technical administrator (staff only). Accounts are created and (de)activated in the
platform pages, which send invitations; here only the technical flags of an account can change."""

from allauth.mfa.models import Authenticator
from django.contrib import admin

from maillage.accounts.models import ApiToken, User
from maillage.territories.admin import ReadOnlyModelAdmin


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "last_name",
        "first_name",
        "is_active",
        "is_platform_admin",
        "is_staff",
        "last_login",
    )
    list_filter = ("is_active", "is_platform_admin", "is_staff")
    search_fields = ("email", "first_name", "last_name")
    fields = (
        "email",
        "first_name",
        "last_name",
        "public_id",
        "is_active",
        "is_platform_admin",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    readonly_fields = ("email", "first_name", "last_name", "public_id", "last_login", "date_joined")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: memberships and history point to them.
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    list_display = (
        "name",
        "user",
        "scope",
        "key_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope",)
    list_select_related = ("user",)
    search_fields = ("name", "user__email", "key_prefix")
    exclude = ("key_hash",)


# Second-factor secrets are never shown, not even to the technical administrator: whoever reads a TOTP secret
# can pass as its owner. Factors are managed by each person on their « Sécurité » page.
admin.site.unregister(Authenticator)
