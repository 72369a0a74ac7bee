"""Django admin for the technical administrator (staff only). Accounts are created and (de)activated in the
platform pages, which send invitations; here only the technical flags of another account can change, through
the audited services. Nothing here can set an e-mail address, a password or a second factor: whoever could
would take the account over (a password reset goes to the account's address)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group

from maillage.accounts import services
from maillage.accounts.models import ApiToken, User
from maillage.web.admin import ReadOnlyModelAdmin

EDITABLE_FLAGS = ("is_active", *services.ADMIN_FLAGS)


class UserFlagsForm(forms.ModelForm):
    """The four flags only; refusals (own account, member turned platform admin) shown with the input kept."""

    actor = None  # set per request by UserAdmin.get_form

    class Meta:
        model = User
        fields = EDITABLE_FLAGS

    def clean(self):
        cleaned = super().clean()
        # `self.instance` still holds the stored values here: the form copies its data onto it afterwards.
        refusal = services.account_flags_refusal(
            actor=self.actor, user=self.instance, flags={name: cleaned.get(name) for name in EDITABLE_FLAGS}
        )
        if refusal:
            raise forms.ValidationError(refusal)
        return cleaned


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserFlagsForm
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
        *EDITABLE_FLAGS,
        "last_login",
        "date_joined",
    )
    readonly_fields = ("email", "first_name", "last_name", "public_id", "last_login", "date_joined")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.actor})

    def has_add_permission(self, request, obj=None):
        # Accounts come from invitations (platform pages), which send the set-password link.
        return False

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: memberships and history point to them.
        return False

    def save_model(self, request, obj, form, change):
        # Through the services, never `obj.save()`: they lock the row, re-check and write the audit entry.
        # The admin's change view runs in one transaction: both writes happen, or none.
        actor, data = request.actor, form.cleaned_data
        services.user_set_active(actor=actor, user=obj, active=data["is_active"])
        services.user_set_admin_flags(
            actor=actor, user=obj, **{name: data[name] for name in services.ADMIN_FLAGS}
        )


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
# An address attached here would receive someone else's password reset; each account has exactly one,
# set by its invitation. Groups are unused (roles live on memberships).
admin.site.unregister(EmailAddress)
admin.site.unregister(Group)
