"""Django admin for the technical administrator (staff only). Organisations, memberships and API tokens are
read-only: they change through the platform pages and their services (versions, permission checks).

Accounts: created and (de)activated in the platform pages, which send invitations; here only the technical
flags of another account can change, through the audited services of `network.accounts` (deactivating an
account ends its memberships' access). Nothing here can set an e-mail address, a password or a second factor:
whoever could would take the account over (a password reset goes to the account's address)."""

from django import forms
from django.contrib import admin

from maillage.accounts.models import User
from maillage.network import accounts
from maillage.network.models import ApiToken, CommuneReferent, Membership, MembershipRole, Organisation
from maillage.web.admin import ReadOnlyAdminMixin, ReadOnlyModelAdmin


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "kind", "is_active", "phone", "email", "updated_at")
    list_filter = ("kind", "is_active", "territories")
    search_fields = ("name", "email")


class MembershipRoleInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MembershipRole
    extra = 0


@admin.register(Membership)
class MembershipAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "organisation", "territory", "role_list", "is_active", "version", "created_at")
    list_filter = ("is_active", "territory")
    list_select_related = ("user", "organisation", "territory")
    search_fields = ("user__email", "user__last_name", "user__first_name", "organisation__name")
    inlines = [MembershipRoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_set")

    @admin.display(description="rôles")
    def role_list(self, membership: Membership) -> str:
        return ", ".join(membership.role_labels)


@admin.register(CommuneReferent)
class CommuneReferentAdmin(ReadOnlyModelAdmin):
    list_display = ("commune", "membership", "referent_user", "kind", "appointed_at")
    list_filter = ("kind", "commune__territory")
    list_select_related = ("commune", "membership__user", "membership__organisation", "membership__territory")
    search_fields = ("commune__name", "membership__user__email", "membership__user__last_name")

    @admin.display(description="personne")
    def referent_user(self, referent: CommuneReferent):
        return referent.membership.user


EDITABLE_FLAGS = ("is_active", *accounts.ADMIN_FLAGS)


class UserFlagsForm(forms.ModelForm):
    """The four flags only; refusals (own account, member turned platform admin) shown with the input kept."""

    actor = None  # set per request by UserAdmin.get_form

    class Meta:
        model = User
        fields = EDITABLE_FLAGS

    def clean(self):
        cleaned = super().clean()
        # `self.instance` still holds the stored values here: the form copies its data onto it afterwards.
        refusal = accounts.account_flags_refusal(
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
        accounts.user_set_active(actor=actor, user=obj, active=data["is_active"])
        accounts.user_set_admin_flags(
            actor=actor, user=obj, **{name: data[name] for name in accounts.ADMIN_FLAGS}
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
