from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.errors import DomainError
from maillage.network import policies, role_changes, selectors, services
from maillage.network.emergency import EMERGENCY_NUMBERS
from maillage.network.enums import NOMINATIVE_ROLES, OrganisationKind, Role
from maillage.network.forms import (
    DirectorySearchForm,
    MemberInviteForm,
    MembershipEditForm,
    OrganisationContactForm,
    ReferentAppointForm,
)
from maillage.network.models import CommuneReferent, Organisation
from maillage.web.access import member
from maillage.web.confirm import confirm_remove_access, is_confirmed
from maillage.web.pagination import PAGE_SIZE


@member()
def directory(request):
    """The network directory: partners' public contacts, commune referents, emergency numbers; a search
    (GET) narrows partners and communes by name, address, commune or kind."""
    actor = request.actor
    territory = actor.territory
    search = DirectorySearchForm(request.GET or None)
    text = kind = ""
    if search.is_valid():
        text, kind = search.cleaned_data["q"].strip(), search.cleaned_data["type"]
    organisations = list(selectors.directory_organisations(territory, text=text, kind=kind))
    by_kind = []
    for organisation_kind in OrganisationKind:
        group = [o for o in organisations if o.kind == organisation_kind]
        if group:
            by_kind.append((organisation_kind, group))
    # Filtering by kind concerns partners only: the communes are left out then, unless a text is searched.
    communes = [] if kind and not text else list(selectors.directory_communes(territory, text=text))
    return render(
        request,
        "network/directory.html",
        {
            "page_title": "Annuaire du réseau",
            "search": search,
            "searching": bool(text or kind),
            "organisations_by_kind": by_kind,
            "organisation_count": len(organisations),
            "communes_with_referents": [c for c in communes if c.active_referents],
            "communes_without_referent": [c for c in communes if not c.active_referents],
            "emergency_numbers": EMERGENCY_NUMBERS,
            "can_edit_any": actor.has_role(Role.COORDINATOR),
            "own_organisation_id": actor.organisation.pk if actor.has_role(Role.ORG_ADMIN) else None,
        },
    )


def _organisation_for_contact_edit(actor, public_id) -> Organisation:
    organisation = get_object_or_404(
        Organisation.objects.filter(territories=actor.territory), public_id=public_id
    )
    if not policies.can_edit_organisation_contact(actor, organisation):
        raise Http404
    return organisation


@member(Role.COORDINATOR, Role.ORG_ADMIN)
def organisation_contact_edit(request, public_id):
    actor = request.actor
    organisation = _organisation_for_contact_edit(actor, public_id)
    form = OrganisationContactForm(
        request.POST if request.method == "POST" else None,
        instance=organisation,
        initial={"read_at": organisation.updated_at.isoformat()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        read_at = data.pop("read_at")
        try:
            services.organisation_update(actor=actor, organisation=organisation, read_at=read_at, **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Les coordonnées de {organisation.name} sont à jour.")
            return redirect("network:directory")
    return render(
        request,
        "network/organisation_contact_form.html",
        {"form": form, "organisation": organisation, "page_title": f"Coordonnées — {organisation.name}"},
    )


def _manageable_memberships(actor):
    return selectors.organisation_members(actor.organisation, actor.territory)


@member(Role.ORG_ADMIN)
def members(request):
    actor = request.actor
    page = Paginator(_manageable_memberships(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/members.html",
        {"page": page, "page_title": f"Membres — {actor.organisation.name}"},
    )


@member(Role.ORG_ADMIN)
def member_invite(request):
    actor = request.actor
    grantable = policies.grantable_roles(actor)
    form = MemberInviteForm(
        request.POST if request.method == "POST" else None,
        grantable=grantable,
        needing_approval=[r for r in grantable if policies.needs_approval(actor, r, actor.territory.pk)],
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.member_invite(
                actor=actor, organisation=actor.organisation, territory=actor.territory, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            message = (
                f"Invitation envoyée à {membership.user.email}. "
                "La personne choisira son mot de passe puis configurera sa double authentification."
            )
            if membership.requested_roles:
                message += (
                    " En attente de l'approbation de la coordination : "
                    f"{role_changes.role_labels(membership.requested_roles)}."
                )
            messages.success(request, message)
            return redirect("network:members")
    return render(request, "network/member_invite.html", {"form": form, "page_title": "Inviter un membre"})


def _saved_message(membership, requested: list[str]) -> str:
    message = f"Les changements de {membership.user} sont enregistrés."
    if requested:
        message += (
            f" En attente de l'approbation de la coordination : {role_changes.role_labels(requested)}. "
            "La coordination en est avertie."
        )
    return message


def membership_edit_page(request, membership, *, template_name: str, success_url: str, page_title: str):
    """The roles-and-details form of a membership, for an organisation admin or the platform admin.

    Roles the actor cannot grant are shown as fixed and kept by the service; roles waiting for the
    coordinator are shown ticked and marked; removing roles asks for confirmation first; a stale form is
    refused; one's own membership offers the work details only."""
    actor = request.actor
    grantable = policies.grantable_roles(actor, membership)
    pending = role_changes.pending_roles(membership)
    initial = {
        "version": membership.version,
        "job_title": membership.job_title,
        "work_phone": membership.work_phone,
        "roles": [r for r in grantable if r in membership.roles or r in pending],
    }
    form = MembershipEditForm(
        request.POST if request.method == "POST" else None,
        grantable=grantable,
        needing_approval=[r for r in grantable if policies.needs_approval(actor, r, membership.territory_id)],
        initial=initial,
    )
    removing = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm_removal")
        data.setdefault("roles", None)
        if data["roles"] is not None:
            removing = [r for r in membership.roles if r in grantable and r not in data["roles"]]
        if removing and not confirmed:
            form.data = form.data.copy()
            form.data["confirm_removal"] = "True"
        else:
            removing = []
            try:
                saved = services.membership_update(actor=actor, membership=membership, **data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _saved_message(membership, saved.requested_roles))
                return redirect(success_url)
    return render(
        request,
        template_name,
        {
            "form": form,
            "membership": membership,
            "fixed_roles": [Role(r).label for r in membership.roles if r not in grantable],
            "pending_roles": role_changes.role_labels(pending),
            "is_own": policies.is_own(actor, membership),
            "removing": role_changes.role_labels(removing),
            "page_title": page_title,
        },
    )


def deactivation_consequences(membership) -> list[str]:
    """What deactivating a membership changes, said before it is done."""
    consequences = [
        f"{membership.user} ne pourra plus agir pour {membership.organisation.name} sur le territoire "
        f"{membership.territory.name} : ses sessions sont fermées dès sa prochaine action.",
        "Ses jetons d'API liés à cette adhésion sont révoqués définitivement.",
    ]
    if NOMINATIVE_ROLES & set(membership.roles):
        consequences.append(
            "Cette personne perd l'accès aux situations. Si l'adhésion est réactivée, ces accès devront "
            "de nouveau être approuvés par la coordination."
        )
    return consequences


def membership_deactivation_page(request, membership, *, action_url: str, cancel_url: str):
    return confirm_remove_access(
        request,
        page_title=f"Désactiver l'accès de {membership.user}",
        consequences=deactivation_consequences(membership),
        action_url=action_url,
        cancel_url=cancel_url,
        button="Désactiver cet accès",
    )


def set_active_message(membership, active: bool) -> str:
    if not active:
        return f"L'accès de {membership.user} est désactivé, ses sessions sont fermées."
    message = f"L'accès de {membership.user} est rétabli."
    if getattr(membership, "requested_roles", None):
        message += (
            f" Rôles en attente de l'approbation de la coordination : "
            f"{role_changes.role_labels(membership.requested_roles)}."
        )
    return message


@member(Role.ORG_ADMIN)
def member_edit(request, public_id):
    membership = get_object_or_404(_manageable_memberships(request.actor), public_id=public_id)
    return membership_edit_page(
        request,
        membership,
        template_name="network/member_edit.html",
        success_url=reverse("network:members"),
        page_title=f"Modifier — {membership.user}",
    )


@member(Role.ORG_ADMIN)
def member_set_active(request, public_id, active: bool):
    """GET asks to confirm a deactivation (it removes access); POST does it."""
    actor = request.actor
    membership = get_object_or_404(_manageable_memberships(actor), public_id=public_id)
    if request.method != "POST":
        if active:
            return redirect("network:members")
        return membership_deactivation_page(
            request, membership, action_url=request.path, cancel_url=reverse("network:members")
        )
    try:
        membership = services.membership_set_active(actor=actor, membership=membership, active=active)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, set_active_message(membership, active))
    return redirect("network:members")


@member(Role.COORDINATOR)
def referents(request):
    actor = request.actor
    territory = actor.territory
    communes = selectors.directory_communes(territory)
    form = ReferentAppointForm(
        request.POST if request.method == "POST" else None,
        communes=communes.model.objects.filter(territory=territory),
        memberships=selectors.territory_members(territory),
    )
    if request.method == "POST" and form.is_valid():
        try:
            referent = services.referent_appoint(
                actor=actor,
                membership=form.cleaned_data["membership"],
                commune=form.cleaned_data["commune"],
                kind=form.cleaned_data["kind"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{referent.membership.user} est désormais la personne référente de {referent.commune.name}.",
            )
            return redirect("network:referents")
    return render(
        request,
        "network/referents.html",
        {"communes": communes, "form": form, "page_title": "Référents communaux"},
    )


def referent_revoke_consequences(referent) -> list[str]:
    person, commune = referent.membership.user, referent.commune.name
    consequences = [
        f"{person} ne sera plus la personne référente de {commune} ({referent.get_kind_display()}) : "
        f"les situations de {commune} ne lui seront plus ouvertes à ce titre et ne lui seront plus "
        "signalées.",
    ]
    others = [c.commune.name for c in referent.membership.referent_of.exclude(pk=referent.pk)]
    if others:
        consequences.append(f"Cette personne reste référente pour : {', '.join(others)}.")
    else:
        consequences.append("Cette personne n'est plus référente pour aucune commune : elle perd ce rôle.")
    return consequences


@require_POST
@member(Role.COORDINATOR)
def referent_revoke(request, public_id):
    actor = request.actor
    referent = get_object_or_404(
        CommuneReferent.objects.select_related("commune", "membership__user").filter(
            commune__territory=actor.territory
        ),
        public_id=public_id,
    )
    if not is_confirmed(request):
        return confirm_remove_access(
            request,
            page_title=f"Retirer {referent.membership.user} des référents de {referent.commune.name}",
            consequences=referent_revoke_consequences(referent),
            cancel_url=reverse("network:referents"),
            button="Retirer cette personne référente",
        )
    try:
        services.referent_revoke(actor=actor, referent=referent)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{referent.membership.user} n'est plus la personne référente de {referent.commune.name}.",
        )
    return redirect("network:referents")
