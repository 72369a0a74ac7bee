"""Situation pages. Each view declares its rule; situations are reached only through the visibility policy
(`Situation.objects.visible_to` / `access_situation`): missing and forbidden both answer 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillage import audit
from maillage.accounts.models import User
from maillage.accounts.second_factor import verify_totp_code
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError
from maillage.network.enums import Role
from maillage.network.models import Organisation
from maillage.situations import history, policies, presentation, selectors, services
from maillage.situations.enums import EmergencyAccessReview, PersonRole, SituationStatus
from maillage.situations.forms import (
    CloseForm,
    ConsentForm,
    EmergencyAccessForm,
    ExclusionForm,
    FilterForm,
    NameSearchForm,
    ParticipantForm,
    PersonForm,
    ReferentForm,
    ReportForm,
    RestrictForm,
    ReviewForm,
    SafeContactsForm,
    SituationEditForm,
    TaskForm,
    TimelineForm,
    persons_from,
    report_formsets,
)
from maillage.situations.models import (
    PERSON_FIELDS,
    Person,
    Situation,
    Task,
)
from maillage.situations.selectors import situation_detailed
from maillage.web.access import member

PAGE_SIZE = 50
SEEING = policies.SEEING_ROLES
REPORTED_SESSION_KEY = "maillage.situations.reported"


def _render_error(form, error: DomainError) -> None:
    form.add_error(None, error.message)


# --------------------------------------------------------------------------------------------- list


@member(*SEEING)
def situation_list(request):
    """Filters travel in the address (GET). A name never does: the exact-name search is posted, and its
    answer is rendered here at once (no redirect), so no URL, log line or browser history holds it."""
    actor = request.actor
    can_search_names = policies.can_search_names(actor)
    if request.method == "POST" and not can_search_names:
        raise PermissionDenied
    name_form = None
    if can_search_names:
        name_form = NameSearchForm(request.POST if request.method == "POST" else None)
    form = FilterForm(request.GET or None, territory=actor.territory)
    page = None
    searched_name = name_form is not None and name_form.is_bound
    if searched_name:
        if name_form.is_valid():
            situations = selectors.with_exact_name(
                selectors.situations_listed(actor), name_form.cleaned_data["name"]
            )
            page = Paginator(situations, PAGE_SIZE).get_page(1)
            services.situation_name_search_record(actor=actor, results=page.paginator.count)
    elif not form.is_bound or form.is_valid():
        situations = selectors.situations_listed(actor, form.filters())
        page = Paginator(situations, PAGE_SIZE).get_page(request.GET.get("page"))
    name_errors = searched_name and bool(name_form.errors)
    return render(
        request,
        "situations/list.html",
        {
            "page_title": ("Erreur : " if name_errors else "") + "Mes situations",
            "form": form,
            "name_form": name_form,
            "name_errors": name_errors,
            "searched_name": searched_name,
            "page": page,
            "page_size": PAGE_SIZE,
            "query": form.query(),
            "searched": bool(form.query()) or searched_name,
            "can_break_glass": policies.can_break_glass(actor),
        },
    )


# ------------------------------------------------------------------------------------------- report


@member(*SEEING)
def report(request):
    actor = request.actor
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, territory=actor.territory)
    formsets = report_formsets(data)
    if data is not None:
        valid = form.is_valid() & all([f.is_valid() for f in formsets.values()])
        if valid:
            try:
                situation = services.situation_report(
                    actor=actor, persons=persons_from(formsets), **form.report_arguments()
                )
            except DomainError as error:
                _render_error(form, error)
            else:
                request.session[REPORTED_SESSION_KEY] = {
                    "public_id": str(situation.public_id),
                    "pseudonym": situation.pseudonym,
                    "urgent": situation.urgent,
                }
                return redirect("situations:report_done")
    urgent_shown = form.is_bound and form.data.get("urgent") == "oui"
    return render(
        request,
        "situations/report.html",
        {"page_title": "Signaler une situation", "form": form, "urgent_shown": urgent_shown, **formsets},
    )


@member(*SEEING)
def report_done(request):
    """Confirms a report and, when the victim is in immediate danger, repeats what to do now."""
    reported = request.session.get(REPORTED_SESSION_KEY)
    if reported is None:
        return redirect("situations:list")
    visible = Situation.objects.visible_to(request.actor).filter(public_id=reported["public_id"]).exists()
    return render(
        request,
        "situations/report_done.html",
        {"page_title": "Situation signalée", "reported": reported, "visible": visible},
    )


# ------------------------------------------------------------------------------------- situation page


@member(*SEEING)
def situation_detail(request, public_id):
    actor = request.actor
    situation = services.situation_read(
        actor=actor, public_id=public_id, identities=request.GET.get("identites") == "1"
    )
    emergency = None  # the break-the-glass access this page is read through, for its end time
    if policies.reads_through_emergency(actor, situation):
        emergency = policies.active_emergency_accesses(actor, situation).order_by("-expires_at").first()
    tasks = list(situation.tasks.all())
    for task in tasks:
        task.can_finish = task.done_at is None and policies.can_finish_task(actor, task, situation)
    can_manage = policies.can_manage(actor, situation)
    accesses = None
    if can_manage:
        accesses = list(
            AuditEntry.objects.filter(
                object_public_id=situation.public_id, action__in=history.ACCESS_ACTIONS
            ).newest_first()[:10]
        )
    return render(
        request,
        "situations/detail.html",
        {
            "page_title": f"Situation {situation.pseudonym}",
            "situation": situation,
            "sources": presentation.describe_value(situation, "sources"),
            "violence_types": presentation.describe_value(situation, "violence_types"),
            "persons": list(situation.persons.all()),
            "consent": selectors.current_consent(situation),
            "timeline": situation.visible_timeline,
            "tasks": tasks,
            "history": history.situation_history(
                actor, situation, {str(e.public_id) for e in situation.visible_timeline}
            ),
            "accesses": accesses,
            "show_identity": situation.identities_visible,
            "can_view_identity": policies.can_view_identity(actor, situation),
            "can_contribute": policies.can_contribute(actor, situation),
            "can_manage": can_manage,
            "emergency": emergency,
            "is_open": situation.status != SituationStatus.CLOSED,
        },
    )


@member(*SEEING)
def situation_edit(request, public_id):
    actor = request.actor
    situation = situation_detailed(actor, public_id)
    initial = {
        "version": situation.version,
        "commune": situation.commune.public_id,
        "detected_on": situation.detected_on,
        "sources": situation.sources,
        "violence_types": situation.violence_types,
        "urgent": "oui" if situation.urgent else "non",
    }
    can_change_commune = policies.can_change_commune(actor, situation)
    form = SituationEditForm(
        request.POST if request.method == "POST" else None,
        territory=actor.territory,
        initial=initial,
        can_change_commune=can_change_commune,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.situation_update(actor=actor, situation=situation, version=version, **data)
        except ConflictError as error:
            _render_error(form, error)
            # What was typed stays; saving again (after checking) applies it over the current version.
            form.data = form.data.copy()
            form.data["version"] = Situation.objects.values_list("version", flat=True).get(pk=situation.pk)
        except DomainError as error:
            _render_error(form, error)
        else:
            messages.success(request, "La situation est à jour.")
            return redirect("situations:detail", public_id=situation.public_id)
    services.situation_view_record(actor=actor, situation=situation, part="detection")
    return render(
        request,
        "situations/edit.html",
        {
            "page_title": f"Modifier {situation.pseudonym}",
            "situation": situation,
            "form": form,
            "can_change_commune": can_change_commune,
        },
    )


# ---------------------------------------------------------------------------------- notes and tasks


@member(*SEEING)
def timeline_add(request, public_id):
    actor = request.actor
    situation = situation_detailed(actor, public_id)
    form = TimelineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.timeline_add(actor=actor, situation=situation, **data)
        except DomainError as error:
            _render_error(form, error)
        else:
            if entry.visibility != data["visibility"]:
                messages.info(
                    request,
                    "Information médicale : faute d'accord de la victime pour le partage, elle reste "
                    "visible de votre seule organisation.",
                )
            messages.success(request, f"{entry.get_kind_display()} ajouté·e au suivi.")
            return redirect("situations:detail", public_id=situation.public_id)
    victims = [p for p in situation.persons.all() if p.role == PersonRole.VICTIM]
    # The victims' safe channels and hours.
    services.situation_view_record(actor=actor, situation=situation, part="safe_contacts")
    return render(
        request,
        "situations/timeline_form.html",
        {
            "page_title": f"Ajouter au suivi — {situation.pseudonym}",
            "situation": situation,
            "form": form,
            "victims": victims,
        },
    )


@member(*SEEING)
def task_add(request, public_id):
    actor = request.actor
    situation = situation_detailed(actor, public_id)
    form = TaskForm(request.POST if request.method == "POST" else None, situation=situation)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_add(actor=actor, situation=situation, **form.cleaned_data)
        except DomainError as error:
            _render_error(form, error)
        else:
            messages.success(request, "Tâche ajoutée.")
            return redirect("situations:detail", public_id=situation.public_id)
    return render(
        request,
        "situations/task_form.html",
        {"page_title": f"Nouvelle tâche — {situation.pseudonym}", "situation": situation, "form": form},
    )


@require_POST
@member(*SEEING)
def task_done(request, public_id, task_id):
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    task = get_object_or_404(Task.objects.select_related("situation"), situation=situation, public_id=task_id)
    try:
        services.task_done(actor=actor, task=task)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Tâche terminée.")
    return redirect("situations:detail", public_id=situation.public_id)


# ------------------------------------------------------------------------------- persons and consent


@member(*SEEING)
def person_add(request, public_id):
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    form = PersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_add(actor=actor, situation=situation, **form.cleaned_data)
        except DomainError as error:
            _render_error(form, error)
        else:
            messages.success(request, "Personne ajoutée.")
            return redirect("situations:detail", public_id=situation.public_id)
    return render(
        request,
        "situations/person_form.html",
        {"page_title": f"Ajouter une personne — {situation.pseudonym}", "situation": situation, "form": form},
    )


def _save_person(actor, person, form, contacts_form, contacts: dict) -> None:
    services.person_update(actor=actor, person=person, **form.cleaned_data)
    for contact in contacts_form.contacts() if contacts_form else []:
        current = contacts.get(contact["channel"])
        posted = (contact["allowed"], contact["safe_hours"], contact["code_word"])
        if current is None and not any(posted):
            continue
        if current is not None and (current.allowed, current.safe_hours, current.code_word) == posted:
            continue
        services.safe_contact_set(actor=actor, person=person, **contact)


@member(*SEEING)
def person_edit(request, public_id, person_id):
    """Identity and, for a victim, safe contacts. Opening it shows identities: recorded as such."""
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    if not policies.can_view_identity(actor, situation):
        raise Http404
    person = get_object_or_404(
        Person.objects.prefetch_related("safe_contacts").select_related("situation"),
        situation=situation,
        public_id=person_id,
    )
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(person, name) for name in PERSON_FIELDS}
    form = PersonForm(data, initial=initial, prefix="personne")
    contacts = {c.channel: c for c in person.safe_contacts.all()}
    contacts_form = (
        SafeContactsForm(data, contacts=contacts, prefix="contact")
        if person.role == PersonRole.VICTIM
        else None
    )
    if data is not None:
        valid = form.is_valid() & (contacts_form is None or contacts_form.is_valid())
        if valid:
            try:
                with transaction.atomic():  # identity and contacts saved together, or not at all
                    _save_person(actor, person, form, contacts_form, contacts)
            except DomainError as error:
                _render_error(form, error)
            else:
                messages.success(request, "Les informations de la personne sont à jour.")
                return redirect("situations:detail", public_id=situation.public_id)
    # Shown again after an error too.
    services.situation_view_record(actor=actor, situation=situation, identities=True, part="person")
    return render(
        request,
        "situations/person_form.html",
        {
            "page_title": f"{person.get_role_display()} — {situation.pseudonym}",
            "situation": situation,
            "person": person,
            "form": form,
            "contacts_form": contacts_form,
        },
    )


@member(*SEEING)
def consent_edit(request, public_id):
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    form = ConsentForm(request.POST if request.method == "POST" else None, territory=actor.territory)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=actor, situation=situation, **form.cleaned_data)
        except DomainError as error:
            _render_error(form, error)
        else:
            messages.success(request, "Le consentement est enregistré.")
            return redirect("situations:detail", public_id=situation.public_id)
    return render(
        request,
        "situations/consent_form.html",
        {"page_title": f"Consentement — {situation.pseudonym}", "situation": situation, "form": form},
    )


# ------------------------------------------------------------------------------------- coordination

COORDINATION_FORMS = {
    "participant": ParticipantForm,
    "referent": ReferentForm,
    "restrict": RestrictForm,
    "exclusion": ExclusionForm,
    "close": CloseForm,
}


def _coordination_situation(actor, public_id) -> Situation:
    situation = situation_detailed(actor, public_id)
    if not policies.can_manage(actor, situation):
        raise Http404
    return situation


def _apply(action: str, actor, situation, data: dict) -> str:
    """Runs one coordination action; returns the confirmation shown to the coordinator."""
    if action == "participant":
        services.participant_add(actor=actor, situation=situation, **data)
        return f"{data['organisation'].name} suit désormais la situation."
    if action == "referent":
        services.referent_assign(actor=actor, situation=situation, membership=data["membership"])
        return "Le ou la référent·e de la situation est enregistré·e."
    if action == "restrict":
        services.situation_restrict(
            actor=actor, situation=situation, named_users=data["named_users"], reason=data["reason"]
        )
        return "L'accès à la situation est restreint à la coordination et aux personnes nommées."
    if action == "exclusion":
        services.exclusion_add(actor=actor, situation=situation, user=data["user"], reason=data["reason"])
        return f"{data['user']} est écarté·e de cette situation."
    services.situation_close(actor=actor, situation=situation, reason=data["reason"])
    return "La situation est clôturée."


@member(Role.COORDINATOR)
def coordination(request, public_id, action=None):
    """The coordinator's actions on one situation; each form posts to its own address, and a refused
    one comes back here with what was typed."""
    actor = request.actor
    situation = _coordination_situation(actor, public_id)
    if action is not None and request.method != "POST":
        return redirect("situations:coordination", public_id=situation.public_id)
    forms = {
        name: form_class(
            request.POST if name == action else None,
            prefix=name,
            **({} if name == "close" else {"situation": situation}),
        )
        for name, form_class in COORDINATION_FORMS.items()
    }
    if action is not None:
        form = forms[action]
        if form.is_valid():
            try:
                message = _apply(action, actor, situation, form.cleaned_data)
            except DomainError as error:
                _render_error(form, error)
            else:
                messages.success(request, message)
                if Situation.objects.visible_to(actor).filter(pk=situation.pk).exists():
                    return redirect("situations:coordination", public_id=situation.public_id)
                return redirect("situations:list")
    if situation.restricted and action != "restrict":
        forms["restrict"].initial = {
            "reason": situation.restriction_reason,
            "named_users": [a.user.public_id for a in situation.named_accesses.select_related("user")],
        }
    return render(
        request,
        "situations/coordination.html",
        {
            "page_title": f"Coordination — {situation.pseudonym}",
            "situation": situation,
            "forms": forms,
            "exclusions": list(situation.exclusions.select_related("user")),
            "named": list(situation.named_accesses.select_related("user")),
            "is_open": situation.status != SituationStatus.CLOSED,
        },
    )


def _coordination_post(request, public_id, run, success: str):
    actor = request.actor
    situation = _coordination_situation(actor, public_id)
    try:
        run(actor, situation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("situations:coordination", public_id=situation.public_id)


@require_POST
@member(Role.COORDINATOR)
def participant_remove(request, public_id, organisation_id):
    organisation = get_object_or_404(Organisation, public_id=organisation_id)
    return _coordination_post(
        request,
        public_id,
        lambda actor, situation: services.participant_remove(
            actor=actor, situation=situation, organisation=organisation
        ),
        f"{organisation.name} ne suit plus la situation.",
    )


@require_POST
@member(Role.COORDINATOR)
def exclusion_remove(request, public_id, user_id):
    user = get_object_or_404(User, public_id=user_id)
    return _coordination_post(
        request,
        public_id,
        lambda actor, situation: services.exclusion_remove(actor=actor, situation=situation, user=user),
        f"{user} n'est plus écarté·e de la situation.",
    )


@require_POST
@member(Role.COORDINATOR)
def unrestrict(request, public_id):
    return _coordination_post(
        request,
        public_id,
        lambda actor, situation: services.situation_unrestrict(actor=actor, situation=situation),
        "La restriction est levée : la situation suit de nouveau les règles habituelles.",
    )


@require_POST
@member(Role.COORDINATOR)
def reopen(request, public_id):
    return _coordination_post(
        request,
        public_id,
        lambda actor, situation: services.situation_reopen(actor=actor, situation=situation),
        "La situation est rouverte.",
    )


# ------------------------------------------------------------------------------- who accessed it


@member(Role.COORDINATOR, Role.DPO)
def accesses(request, public_id):
    """Who opened the situation, its identities, or asked an emergency access — and when.

    The coordinator reaches it through the visibility policy; the DPO, who sees no situation, reaches it
    within their territory: the page shows the audit trail only, never the situation's content."""
    actor = request.actor
    situation = policies.access_situation_trail(actor, public_id)
    page = Paginator(history.access_entries(actor, situation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "situations/accesses.html",
        {
            "page_title": f"Consultations — {situation.pseudonym}",
            "situation": situation,
            "page": page,
            "query": "",
            "can_open": actor.has_role(Role.COORDINATOR),
        },
    )


# ---------------------------------------------------------------------------------- break the glass


@member(Role.REFERENT, Role.PROFESSIONAL)
def emergency_access(request):
    actor = request.actor
    form = EmergencyAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        verified = verify_totp_code(actor.user, data["code"])
        if verified is None:
            form.add_error(
                "code",
                "L'accès d'urgence demande une application d'authentification : ajoutez-en une dans "
                "« Sécurité », ou appelez la coordination.",
            )
        elif not verified:
            audit.record(
                actor=actor,
                action=AuditAction.MFA_FAILED,
                user=actor.user,
                changes={"during": "emergency_access"},
            )
            form.add_error(
                "code", "Ce code n'est pas valide (ou a déjà servi). Saisissez le code affiché maintenant."
            )
        else:
            try:
                access = services.emergency_access_request(
                    actor=actor, pseudonym=data["pseudonym"], reason=data["reason"]
                )
            except DomainError as error:
                _render_error(form, error)
            else:
                messages.warning(
                    request,
                    f"Accès d'urgence ouvert jusqu'à {timezone.localtime(access.expires_at):%H:%M}. "
                    "La coordination et le ou la délégué·e à la protection des données en sont averti·es.",
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
    actor = request.actor
    accesses = _reviewable(actor).order_by("-granted_at", "-pk")
    pending = [a for a in accesses.filter(review=EmergencyAccessReview.PENDING)[:PAGE_SIZE]]
    for access in pending:
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
    if not form.is_valid():
        messages.error(request, "Indiquez si l'accès était justifié.")
        return redirect("situations:emergency_reviews")
    try:
        services.emergency_access_review(
            actor=actor,
            access=access,
            justified=form.cleaned_data["decision"] == "justified",
            comment=form.cleaned_data["comment"],
        )
    except DomainError as error:
        messages.error(request, f"{access.situation.pseudonym} : {error.message}")
    else:
        messages.success(request, f"Examen de l'accès d'urgence à {access.situation.pseudonym} enregistré.")
    return redirect("situations:emergency_reviews")
