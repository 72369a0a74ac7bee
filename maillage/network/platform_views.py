"""Pages of the technical administrator for the partner organisations: list, creation, edition."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render

from maillage.errors import ConflictError, DomainError
from maillage.network import services
from maillage.network.models import Organisation
from maillage.network.platform_forms import OrganisationEditForm, OrganisationFilterForm, OrganisationForm
from maillage.territories.models import Territory
from maillage.web.access import platform_admin
from maillage.web.confirm import confirm_remove_access, is_confirmed
from maillage.web.pagination import PAGE_SIZE


@platform_admin
def organisation_list(request):
    filters = OrganisationFilterForm(request.GET or None)
    organisations = (
        Organisation.objects.annotate(
            active_member_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True)
        )
        .prefetch_related(Prefetch("territories", queryset=Territory.objects.order_by("name")))
        .order_by("name")
    )
    if filters.is_valid():
        if filters.cleaned_data["territoire"]:
            organisations = organisations.filter(territories=filters.cleaned_data["territoire"])
        if filters.cleaned_data["type"]:
            organisations = organisations.filter(kind=filters.cleaned_data["type"])
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/platform/organisation_list.html",
        {
            "filters": filters,
            "filtered": filters.is_valid() and any(filters.cleaned_data.values()),
            "page": page,
            "query": query.urlencode(),
            "page_title": "Organisations",
        },
    )


@platform_admin
def organisation_create(request):
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.actor, **form.service_arguments())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"L'organisation « {organisation.name} » est créée.")
            return redirect("network_platform:organisation_list")
    return render(
        request,
        "network/platform/organisation_form.html",
        {"form": form, "organisation": None, "conflict": False, "page_title": "Nouvelle organisation"},
    )


def organisation_removal_consequences(organisation, was_active, territories_before, data) -> list[str]:
    """What an edit takes away (deactivation, territories left), said before it is saved; empty if nothing."""
    members = organisation.memberships.filter(is_active=True)
    consequences = []
    if was_active and not data["is_active"]:
        consequences.append(
            f"{organisation.name} devient inactive : elle disparaît de l'annuaire, et ses "
            f"{members.count()} membres actifs n'ont plus accès à Maillage pour elle ; leurs jetons d'API "
            "sont révoqués définitivement."
        )
    for territory in territories_before:
        if territory not in data["territories"]:
            consequences.append(
                f"{organisation.name} quitte le réseau de {territory.name} "
                f"({members.filter(territory=territory).count()} membres actifs sur ce territoire)."
            )
    return consequences


@platform_admin
def organisation_edit(request, public_id):
    organisation = get_object_or_404(Organisation, public_id=public_id)
    # Taken before validation, which writes the typed values on the instance.
    page_title = f"Modifier — {organisation.name}"
    form = OrganisationEditForm(
        request.POST if request.method == "POST" else None,
        instance=organisation,
        initial={"read_at": organisation.updated_at.isoformat()},
    )
    conflict = False
    was_active, territories_before = organisation.is_active, list(organisation.territories.all())
    if request.method == "POST" and form.is_valid() and not is_confirmed(request):
        consequences = organisation_removal_consequences(
            organisation, was_active, territories_before, form.cleaned_data
        )
        if consequences:
            return confirm_remove_access(
                request,
                page_title=f"Retirer l'accès de {organisation.name}",
                consequences=consequences,
                cancel_url=request.path,
                button="Enregistrer et retirer ces accès",
                form=form,
            )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.actor,
                organisation=organisation,
                read_at=form.cleaned_data["read_at"],
                **form.service_arguments(),
            )
        except ConflictError as error:
            form.add_error(None, error.message)
            conflict = True
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"L'organisation « {form.cleaned_data['name']} » est enregistrée.")
            return redirect("network_platform:organisation_list")
    return render(
        request,
        "network/platform/organisation_form.html",
        {"form": form, "organisation": organisation, "conflict": conflict, "page_title": page_title},
    )
