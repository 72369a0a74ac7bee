"""Mounted under /plan-d-action/ (config/urls.py): the territory's action plan."""

from django.urls import path

from maillage.actionplan import views, views_figures

app_name = "actionplan"

FIGURE_PATHS = {"indicator": "indicateurs", "budget_line": "budget", "contribution": "contributions"}

urlpatterns = [
    path("", views.plan, name="plan"),
    path("axes/creer-les-axes-du-contrat/", views.axes_default, name="axes_default"),
    path("axes/ajouter/", views.axis_add, name="axis_add"),
    path("axes/<uuid:public_id>/modifier/", views.axis_edit, name="axis_edit"),
    path("axes/<uuid:public_id>/supprimer/", views.axis_remove, name="axis_remove"),
    path("actions/ajouter/", views.action_add, name="action_add"),
    path("actions/<uuid:public_id>/", views.action_detail, name="action"),
    path("actions/<uuid:public_id>/modifier/", views.action_edit, name="action_edit"),
    path("actions/<uuid:public_id>/avancement/", views.progress_add, name="progress_add"),
]
for kind, segment in FIGURE_PATHS.items():
    urlpatterns += [
        path(
            f"actions/<uuid:public_id>/{segment}/ajouter/",
            views_figures.figure_add,
            {"kind": kind},
            name=f"{kind}_add",
        ),
        path(
            f"actions/<uuid:public_id>/{segment}/<uuid:item_id>/modifier/",
            views_figures.figure_edit,
            {"kind": kind},
            name=f"{kind}_edit",
        ),
        path(
            f"actions/<uuid:public_id>/{segment}/<uuid:item_id>/supprimer/",
            views_figures.figure_remove,
            {"kind": kind},
            name=f"{kind}_remove",
        ),
    ]
