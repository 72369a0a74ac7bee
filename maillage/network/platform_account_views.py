"""Pages of the technical administrator for accounts: list, creation by invitation, memberships and roles.

They live in `network` because an account's page is its memberships: deactivating it ends their access
(`network.accounts`). Every change is a POST through a service; a service's refusal (duplicate, own
account…) is shown as a message.
"""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.accounts import services as account_services
from maillage.accounts.models import User
from maillage.errors import DomainError
from maillage.network import accounts, policies, role_changes
from maillage.network import services as network_services
from maillage.network.enums import NOMINATIVE_ROLES
from maillage.network.models import Membership, RoleChange
from maillage.network.platform_account_forms import MembershipAddForm, UserCreateForm, UserSearchForm
from maillage.network.views import membership_deactivation_page, membership_edit_page, set_active_message
from maillage.web.access import platform_admin
from maillage.web.confirm import confirm_remove_access
from maillage.web.pagination import PAGE_SIZE


def _with_totp(users):
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return users.annotate(has_totp=Exists(totp))


@platform_admin
def user_list(request):
    search = UserSearchForm(request.GET or None)
    users = _with_totp(User.objects.all()).annotate(
        active_membership_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    for word in search.words():
        users = users.filter(
            Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    page = Paginator(users.order_by("last_name", "first_name", "email"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/platform/accounts/user_list.html",
        {
            "search": search,
            "searched": bool(search.words()),
            "page": page,
            "query": query.urlencode(),
            "page_title": "Comptes",
        },
    )


@platform_admin
def user_create(request):
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account = account_services.user_create(actor=request.actor, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Le compte est créé et une invitation a été envoyée à {account.email}. "
                "Ajoutez-lui maintenant une adhésion pour lui ouvrir un accès.",
            )
            return redirect("accounts_platform:user_detail", public_id=account.public_id)
    return render(
        request, "network/platform/accounts/user_create.html", {"form": form, "page_title": "Nouveau compte"}
    )


def _account(public_id) -> User:
    return get_object_or_404(_with_totp(User.objects.all()), public_id=public_id)


@platform_admin
def user_detail(request, public_id):
    account = _account(public_id)
    memberships = (
        Membership.objects.filter(user=account)
        .select_related("organisation", "territory")
        .prefetch_related(
            "role_set",
            Prefetch("role_changes", queryset=RoleChange.objects.pending(), to_attr="pending_changes"),
        )
        .order_by("-is_active", "territory__name", "organisation__name")
    )
    return render(
        request,
        "network/platform/accounts/user_detail.html",
        {
            "account": account,
            "memberships": memberships,
            "is_self": account.pk == request.actor.user.pk,
            "page_title": str(account),
        },
    )


@platform_admin
def user_set_active(request, public_id, active: bool):
    """GET asks to confirm a deactivation (it removes every access of the account); POST does it."""
    account = _account(public_id)
    detail_url = reverse("accounts_platform:user_detail", kwargs={"public_id": account.public_id})
    if request.method != "POST":
        if active:
            return redirect(detail_url)
        return confirm_remove_access(
            request,
            page_title=f"Désactiver le compte de {account}",
            consequences=[
                f"{account} ne pourra plus se connecter : ses sessions prennent fin dès sa prochaine action.",
                "Toutes ses adhésions cessent de donner accès, et ses jetons d'API sont révoqués "
                "définitivement.",
            ],
            cancel_url=detail_url,
            button="Désactiver le compte",
        )
    try:
        accounts.user_set_active(actor=request.actor, user=account, active=active)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if active:
            messages.success(request, f"Le compte de {account} est réactivé.")
        else:
            messages.success(
                request,
                f"Le compte de {account} est désactivé : ses sessions prennent fin dès sa prochaine action.",
            )
    return redirect("accounts_platform:user_detail", public_id=account.public_id)


@platform_admin
@require_POST
def user_resend_invitation(request, public_id):
    account = _account(public_id)
    try:
        account_services.invitation_resend(actor=request.actor, user=account)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"L'invitation a été renvoyée à {account.email}.")
    return redirect("accounts_platform:user_detail", public_id=account.public_id)


@platform_admin
def membership_add(request, public_id):
    account = _account(public_id)
    grantable = policies.grantable_roles(request.actor)
    form = MembershipAddForm(
        request.POST if request.method == "POST" else None,
        grantable=grantable,
        # The platform administrator never opens nominative data: those roles wait for the coordinator.
        needing_approval=[r for r in grantable if r in NOMINATIVE_ROLES],
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = network_services.member_invite(
                actor=request.actor,
                email=account.email,
                first_name=account.first_name,
                last_name=account.last_name,
                notify=True,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            message = (
                f"{account} est membre de {membership.organisation.name} sur {membership.territory.name}. "
                "Un courriel l'en informe."
            )
            if membership.requested_roles:
                message += (
                    " En attente de l'approbation de la coordination du territoire : "
                    f"{role_changes.role_labels(membership.requested_roles)}."
                )
            messages.success(request, message)
            return redirect("accounts_platform:user_detail", public_id=account.public_id)
    return render(
        request,
        "network/platform/accounts/membership_add.html",
        {"form": form, "account": account, "page_title": f"Ajouter une adhésion — {account}"},
    )


def _membership(public_id) -> Membership:
    return get_object_or_404(Membership.objects.with_details(), public_id=public_id)


@platform_admin
def membership_edit(request, public_id):
    membership = _membership(public_id)
    return membership_edit_page(
        request,
        membership,
        template_name="network/platform/accounts/membership_edit.html",
        success_url=reverse("accounts_platform:user_detail", kwargs={"public_id": membership.user.public_id}),
        page_title=f"Modifier l'adhésion — {membership.user}",
    )


@platform_admin
def membership_set_active(request, public_id, active: bool):
    """GET asks to confirm a deactivation; POST does it (a reactivation asks nothing: it removes nothing)."""
    membership = _membership(public_id)
    detail_url = reverse("accounts_platform:user_detail", kwargs={"public_id": membership.user.public_id})
    if request.method != "POST":
        if active:
            return redirect(detail_url)
        return membership_deactivation_page(
            request, membership, action_url=request.path, cancel_url=detail_url
        )
    try:
        membership = network_services.membership_set_active(
            actor=request.actor, membership=membership, active=active
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, set_active_message(membership, active))
    return redirect(detail_url)
