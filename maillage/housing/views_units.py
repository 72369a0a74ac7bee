"""The units pages under /hebergement/logements/: the list (a housing manager's own units, every unit of the
territory for the coordinator, or the units as requesters see them), a unit's page, its form, and the
audited « Afficher l'adresse » (POST only; the address is on that answer alone, never in a list)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.housing import policies, services
from maillage.housing.forms import UnitForm
from maillage.housing.models import HousingUnit
from maillage.housing.policies import ADDRESS_ROLES, UNIT_ROLES
from maillage.network.enums import Role
from maillage.web.access import member


@member(*UNIT_ROLES)
def unit_list(request):
    actor = request.actor
    units = policies.units_visible_to(actor).select_related("organisation", "commune")
    managed_only = not actor.has_role(*policies.REQUESTER_ROLES)
    return render(
        request,
        "housing/unit_list.html",
        {
            "page_title": "Logements d'urgence",
            "units": units,
            "managed_only": managed_only,
            "can_create": policies.can_create_units(actor),
            "own_organisation_id": actor.membership.organisation_id,
            "is_housing_manager": actor.has_role(Role.HOUSING_MANAGER),
        },
    )


def _detail(request, unit, *, address: str | None = None):
    actor = request.actor
    return render(
        request,
        "housing/unit_detail.html",
        {
            "page_title": f"Logement : {unit.name}",
            "unit": unit,
            "can_manage": policies.can_manage(actor, unit),
            "can_see_address": policies.can_see_address(actor, unit),
            "address": address,
        },
    )


@member(*UNIT_ROLES)
def unit_detail(request, public_id):
    unit = policies.access_unit(request.actor, public_id)
    return _detail(request, unit)


@member(*ADDRESS_ROLES)
def unit_address(request, public_id):
    """POST: shows the address on this answer only, and records the reading (never the address)."""
    actor = request.actor
    unit = policies.access_unit(actor, public_id)
    if not policies.can_see_address(actor, unit):
        raise Http404
    if request.method != "POST":
        return redirect("housing_units:detail", public_id=unit.public_id)
    try:
        address = services.unit_address_reveal(actor=actor, unit=unit, via="page")
    except PermissionDeniedError as error:
        raise Http404 from error
    return _detail(request, unit, address=address)


def _form_page(request, form, unit=None):
    return render(
        request,
        "housing/unit_form.html",
        {
            "page_title": f"Modifier le logement : {unit.name}" if unit else "Nouveau logement d'urgence",
            "unit": unit,
            "form": form,
        },
    )


def _values(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@member(Role.HOUSING_MANAGER)
def unit_add(request):
    actor = request.actor
    form = UnitForm(request.POST if request.method == "POST" else None, territory=actor.membership.territory)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=actor, **_values(form))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Logement « {unit.name} » ajouté.")
            return redirect("housing_units:detail", public_id=unit.public_id)
    return _form_page(request, form)


@member(Role.HOUSING_MANAGER)
def unit_edit(request, public_id):
    actor = request.actor
    unit = policies.access_unit(actor, public_id)
    if not policies.can_manage(actor, unit):
        raise Http404
    initial = {name: getattr(unit, name) for name in services.units.FIELDS}
    initial["commune"] = unit.commune.public_id if unit.commune else None
    initial["version"] = unit.version
    form = UnitForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        territory=unit.territory,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = _values(form)
        try:
            services.unit_update(actor=actor, unit=unit, version=form.cleaned_data["version"] or 0, **data)
        except ConflictError as error:
            form.add_error(None, error.message)
            # What was typed stays; saving again (after checking) applies it over the current version.
            form.data = form.data.copy()
            form.data["version"] = HousingUnit.objects.values_list("version", flat=True).get(pk=unit.pk)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Logement « {data['name']} » à jour.")
            return redirect("housing_units:detail", public_id=unit.public_id)
    return _form_page(request, form, unit)
