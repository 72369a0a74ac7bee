"""The group's pages: who is in it (the coordinator adds and removes members, removing asks first), the
confidentiality charter (members read and accept the current version; the coordinator publishes one)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.errors import DomainError
from maillage.meetings import policies, services
from maillage.meetings.forms import DEFAULT_CHARTER, CharterAcceptForm, CharterForm, GroupMemberForm
from maillage.meetings.models import Charter, CharterAcceptance
from maillage.network.enums import Role
from maillage.network.models import Membership
from maillage.situations.policies import SEEING_ROLES
from maillage.web.access import member
from maillage.web.confirm import confirm_remove_access, is_confirmed


@member(*SEEING_ROLES)
def group(request):
    """The members (to the group and the coordinators) with whether they accepted the current charter;
    the coordinator's form to add one. Anyone else is told they are not in the group."""
    actor = request.actor
    can_manage = policies.can_manage(actor)
    form = GroupMemberForm(request.POST or None, territory_id=actor.territory.pk) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.group_member_add(actor=actor, membership=form.cleaned_data["membership"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    f"{form.cleaned_data['membership'].user} fait désormais partie de la cellule de suivi ; "
                    "il lui reste à accepter la charte.",
                )
                return redirect("meetings:group")
    members = []
    if policies.can_view_group(actor):
        accepted = set(policies.memberships_accepting(actor.territory.pk).values_list("pk", flat=True))
        members = list(
            policies.group_memberships(actor.territory.pk)
            .select_related("user", "organisation")
            .order_by("user__last_name", "user__first_name", "pk")
        )
        for membership in members:
            membership.accepted = membership.pk in accepted
    return render(
        request,
        "meetings/group.html",
        {
            "page_title": "Membres de la cellule de suivi",
            "in_group": policies.can_view_group(actor),
            "can_manage": can_manage,
            "members": members,
            "form": form,
            "charter": policies.current_charter(actor.territory.pk),
        },
    )


@member(Role.COORDINATOR)
@require_POST
def group_remove(request, membership_id):
    actor = request.actor
    membership = get_object_or_404(
        Membership.objects.select_related("user").filter(
            territory_id=actor.territory.pk, meeting_group__isnull=False
        ),
        public_id=membership_id,
    )
    if not is_confirmed(request):
        return confirm_remove_access(
            request,
            page_title=f"Retirer {membership.user} de la cellule de suivi",
            consequences=[
                f"{membership.user} ne verra plus les réunions de la cellule ni leur ordre du jour, et ne "
                "recevra plus leurs invitations.",
                "Si une réunion est en cours, les situations qu'elle lui ouvrait lui sont fermées "
                "immédiatement ; ses accès propres (organisation, commune) ne changent pas.",
            ],
            button="Retirer de la cellule",
            cancel_url=reverse("meetings:group"),
        )
    try:
        services.group_member_remove(actor=actor, membership=membership)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.user} ne fait plus partie de la cellule de suivi.")
    return redirect("meetings:group")


@member(*SEEING_ROLES)
def charter(request):
    """The current charter, for the group and the coordinators; a member who has not accepted it does so
    here (the version they read, carried by the form)."""
    actor = request.actor
    if not policies.can_view_group(actor):
        raise Http404
    current = policies.current_charter(actor.territory.pk)
    accepted = current is not None and policies.has_accepted_current_charter(actor)
    form = None
    if current is not None and policies.is_group_member(actor) and not accepted:
        form = CharterAcceptForm(request.POST or None, initial={"charter": current.public_id})
        if request.method == "POST" and form.is_valid():
            read = get_object_or_404(
                Charter, territory_id=actor.territory.pk, public_id=form.cleaned_data["charter"]
            )
            try:
                services.charter_accept(actor=actor, charter=read)
            except DomainError as error:
                form = CharterAcceptForm(initial={"charter": current.public_id})
                messages.error(request, error.message)
            else:
                messages.success(request, f"Charte acceptée (version {current.version}).")
                return redirect("meetings:list")
    acceptance = None
    if accepted:
        acceptance = CharterAcceptance.objects.filter(
            charter=current, membership_id=actor.membership.pk
        ).first()
    return render(
        request,
        "meetings/charter.html",
        {
            "page_title": "Charte de confidentialité de la cellule de suivi",
            "charter": current,
            "acceptance": acceptance,
            "form": form,
            "can_manage": policies.can_manage(actor),
        },
    )


@member(Role.COORDINATOR)
def charter_publish(request):
    actor = request.actor
    current = policies.current_charter(actor.territory.pk)
    form = CharterForm(request.POST or None, initial={"text": current.text if current else DEFAULT_CHARTER})
    if request.method == "POST" and form.is_valid():
        try:
            published = services.charter_publish(actor=actor, text=form.cleaned_data["text"])
        except DomainError as error:
            form.add_error("text", error.message)
        else:
            messages.success(
                request,
                f"Version {published.version} de la charte publiée : chaque membre doit l'accepter avant de "
                "voir l'ordre du jour.",
            )
            return redirect("meetings:charter")
    return render(
        request,
        "meetings/charter_form.html",
        {"page_title": "Publier une version de la charte", "form": form, "charter": current},
    )
