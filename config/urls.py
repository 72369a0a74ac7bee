from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from maillage.api.urls import api
from maillage.web import health
from maillage.web import views as web_views

# The admin has no login of its own: it goes through allauth (password + second factor + lockout).
admin.site.login = secure_admin_login(admin.site.login)
# Staff status alone is not enough: the admin belongs to the technical administrator.
admin.site.has_permission = lambda request: bool(
    request.user.is_active and request.user.is_staff and request.user.is_platform_admin
)
# Nor a password form of its own: allauth's checks the current password and the validators, and is audited.
admin.site.password_change = RedirectView.as_view(pattern_name="account_change_password")
admin.site.site_header = "Maillage — administration technique"

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", web_views.robots_txt, name="robots_txt"),
    path("accounts/", include("allauth.urls")),
    # The public help page for victims and witnesses: no account, nothing nominative (import contract).
    path("aide/", include("maillage.network.public_urls")),
    path("compte/jetons/", include("maillage.api.token_urls")),
    path("compte/", include("maillage.accounts.urls")),
    path("reseau/", include("maillage.network.urls")),
    path("plateforme/", include("maillage.web.platform_urls")),
    path("audit/", include("maillage.audit.dpo.urls")),
    path("situations/<uuid:public_id>/mesures/", include("maillage.protection.urls")),
    path("situations/", include("maillage.situations.urls")),
    path("orientations/", include("maillage.referrals.urls")),
    path("evaluations/", include("maillage.assessments.urls")),
    path("hebergement/", include("maillage.housing.urls_calendar")),
    path("hebergement/", include("maillage.housing.urls_stays")),
    path("notifications/", include("maillage.notifications.urls")),
    path("cellule/", include("maillage.meetings.urls")),
    path("hebergement/logements/", include("maillage.housing.urls_units")),
    path("reconnaissance/", include("maillage.stats.urls")),
    path("statistiques/", include("maillage.stats.urls_dashboard")),
    # Spreadsheet import and downloads, beside the apps' own pages (ADR 0037).
    path("plan-d-action/tableur/", include("maillage.actionplan.urls_spreadsheets")),
    path("prevention/tableur/", include("maillage.prevention.urls_spreadsheets")),
    path("plan-d-action/", include("maillage.actionplan.urls")),
    path("prevention/", include("maillage.prevention.urls")),
    path("formations/", include("maillage.prevention.urls_trainings")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "maillage.web.errors.forbidden"
handler404 = "maillage.web.errors.not_found"
handler500 = "maillage.web.errors.server_error"
