"""Break-the-glass: asking an emergency access, and its review by the coordination or the DPO."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillage.accounts.second_factor import NoAuthenticatorApp, WrongCode, second_factor_confirm
from maillage.errors import DomainError
from maillage.network.enums import Role
from maillage.situations import policies, services
from maillage.situations.coordination_forms import ReviewForm
from maillage.situations.enums import EmergencyAccessReview
from maillage.situations.forms import EmergencyAccessForm
from maillage.web.access import member
from maillage.web.pagination import PAGE_SIZE


@member(Role.REFERENT, Role.PROFESSIONAL)
def emergency_access(request):
    actor = request.actor
    form = EmergencyAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # Checked, counted and (when wrong) audited by the service, before anything is looked up.
            second_factor_confirm(actor=actor, code=data["code"], during="emergency_access")
        except NoAuthenticatorApp:
            form.add_error(
                "code",
                "L'accès d'urgence demande une application d'authentification : ajoutez-en une dans "
                "« Sécurité », ou appelez la coordination.",
            )
        except WrongCode:
            form.add_error(
                "code", "Ce code n'est pas valide (ou a déjà servi). Saisissez le code affiché maintenant."
            )
        else:
            try:
                access = services.emergency_access_request(
                    actor=actor, pseudonym=data["pseudonym"], reason=data["reason"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.warning(
                    request,
                    f"Accès d'urgence ouvert jusqu'à {timezone.localtime(access.expires_at):%H:%M}. "
                    "La coordination et la personne déléguée à la protection des données en sont averties.",
                )
                return redirect("situations:detail", public_id=access.situation.public_id)
    return render(
        request,
        "situations/emergency_access.html",
        {
            "page_title": "Accès d'urgence",
            "form": form,
            "minutes": settings.MAILLAGE_EMERGENCY_ACCESS_MINUTES,
        },
    )


def _reviewable(actor):
    return policies.emergency_accesses_reviewable_by(actor).select_related(
        "situation", "membership__user", "membership__organisation", "reviewed_by__user"
    )


@member(Role.COORDINATOR, Role.DPO)
def emergency_reviews(request):
    return _reviews_page(request)


def _reviews_page(request, *, sent=None):
    """The reviews page; `sent` is a review form sent with mistakes: it is shown in its access's place with
    what was typed (and, like every bound form of the page, in the error summary at the top)."""
    actor = request.actor
    accesses = _reviewable(actor).order_by("-granted_at", "-pk")
    pending = [a for a in accesses.filter(review=EmergencyAccessReview.PENDING)[:PAGE_SIZE]]
    for access in pending:
        if sent is not None and sent.prefix == str(access.public_id):
            access.form = sent
        else:
            access.form = ReviewForm(prefix=str(access.public_id))
        access.can_review = policies.can_review_emergency(actor, access)
    page = Paginator(accesses.exclude(review=EmergencyAccessReview.PENDING), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "situations/emergency_reviews.html",
        {
            "page_title": "Accès d'urgence à examiner",
            "pending": pending,
            # The forms again as a list: the error summary finds a page's forms among its context's values.
            "review_forms": [access.form for access in pending if access.can_review],
            "page": page,
            "query": "",
            "now": timezone.now(),
            "is_coordinator": actor.has_role(Role.COORDINATOR),
        },
    )


@require_POST
@member(Role.COORDINATOR, Role.DPO)
def emergency_review(request, access_id):
    actor = request.actor
    access = get_object_or_404(_reviewable(actor), public_id=access_id)
    form = ReviewForm(request.POST, prefix=str(access.public_id))
    if form.is_valid():
        try:
            services.emergency_access_review(
                actor=actor,
                access=access,
                justified=form.cleaned_data["decision"] == "justified",
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            form.add_error(None, f"{access.situation.pseudonym} : {error.message}")
        else:
            messages.success(
                request, f"Examen de l'accès d'urgence à {access.situation.pseudonym} enregistré."
            )
            return redirect("situations:emergency_reviews")
    access.refresh_from_db(fields=["review"])
    if access.review != EmergencyAccessReview.PENDING:
        # Reviewed meanwhile by someone else: nothing left to correct in place.
        messages.error(request, form.non_field_errors()[0] if form.non_field_errors() else "Déjà examiné.")
        return redirect("situations:emergency_reviews")
    return _reviews_page(request, sent=form)
