"""Django admin for the technical administrator (staff only), read-only: organisations and memberships change
through the platform pages and their services (versions, permission checks)."""

from django.contrib import admin

from maillage.network.models import CommuneReferent, Membership, MembershipRole, Organisation
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
