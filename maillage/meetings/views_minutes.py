"""The minutes' pages (ADR 0034): the coordinator prepares them once the meeting is held, reviews the
highlighted replacements (the draft shows what was written: each situation's read is recorded), and makes
them final; then the group's members who accepted the charter read them and download the PDF — each item
only if they may see it on the agenda (exclusions, restricted situations), each download audited."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.errors import ConflictError, DomainError
from maillage.meetings import minutes as document
from maillage.meetings import policies, services
from maillage.meetings.enums import MeetingStatus, MinutesStatus
from maillage.meetings.forms_minutes import FinaliseForm, MinutesReviewForm
from maillage.meetings.models import Minutes
from maillage.meetings.services.minutes import draft_of
from maillage.network.enums import Role
from maillage.situations.policies import SEEING_ROLES
from maillage.situations.services import situation_view_record
from maillage.web.access import member
from maillage.web.confirm import confirm_remove_access, is_confirmed
from maillage.web.pdf import pdf_response, render_pdf


def _minutes(meeting) -> Minutes | None:
    return policies.minutes_of(meeting)


def _shown(part: dict) -> dict:
    """A draft part as the review page shows it: cut at its replacements, and its preview."""
    return {
        "segments": [
            {
                "text": text,
                "span": span,
                "id": ident,
                "placeholder": document.placeholder(span) if span else "",
            }
            for text, span, ident in document.segments(part)
        ],
        "preview": document.pseudonymised(part),
        "empty": not part["text"],
    }


def _review_context(actor, meeting, minutes: Minutes, form) -> dict:
    draft = draft_of(minutes)
    items = [
        {
            **entry,
            "summary": _shown(entry["summary"]),
            "decisions": [
                {"text": _shown(line["text"]), "action": _shown(line["action"]), "due_on": line["due_on"]}
                for line in entry["decisions"]
            ],
        }
        for entry in draft["items"]
    ]
    # The draft shows what was written about each situation: a read of its data.
    for item in meeting.items.select_related("situation"):
        situation_view_record(actor=actor, situation=item.situation, part="minutes")
    return {
        "page_title": f"Compte rendu — {str(meeting).lower()}",
        "meeting": meeting,
        "minutes": minutes,
        "draft": draft,
        "items": items,
        "counts": document.counts(draft),
        "form": form,
        "kept": set(form["keep"].value() or []),
        "finalise_form": FinaliseForm(initial={"version": minutes.version}),
    }


@member(*SEEING_ROLES)
def minutes(request, public_id):
    """The coordinator: the draft to review (or the button to prepare it), then the final minutes. The
    members who accepted the charter: the final minutes only (404 before, as for a missing page)."""
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    record = _minutes(meeting)
    can_manage = policies.can_manage(actor)
    if record is not None and record.status == MinutesStatus.FINAL and policies.sees_agenda(actor, meeting):
        return render(
            request,
            "meetings/minutes.html",
            {
                "page_title": f"Compte rendu — {str(meeting).lower()}",
                "meeting": meeting,
                "minutes": record,
                "document": document.final_for(actor, meeting, record),
            },
        )
    if not can_manage:
        raise Http404
    if record is None:
        return render(
            request,
            "meetings/minutes_prepare.html",
            {
                "page_title": f"Compte rendu — {str(meeting).lower()}",
                "meeting": meeting,
                "held": meeting.status == MeetingStatus.CLOSED,
            },
        )
    form = MinutesReviewForm(
        request.POST or None, draft=draft_of(record), initial={"version": record.version}
    )
    if request.method == "POST" and form.is_valid():
        kept, added = form.choices()
        try:
            services.minutes_choose(
                actor=actor, minutes=record, kept=kept, added=added, version=form.cleaned_data["version"]
            )
        except ConflictError as error:
            messages.error(request, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
            return render(
                request, "meetings/minutes_review.html", _review_context(actor, meeting, record, form)
            )
        else:
            messages.success(request, "Choix enregistrés : relisez l'aperçu, puis validez le compte rendu.")
        return redirect("meetings:minutes", public_id=meeting.public_id)
    return render(request, "meetings/minutes_review.html", _review_context(actor, meeting, record, form))


@member(Role.COORDINATOR)
@require_POST
def minutes_prepare(request, public_id):
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    try:
        services.minutes_draft(actor=actor, meeting=meeting)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "Compte rendu préparé : vérifiez chaque remplacement surligné avant de le valider."
        )
    return redirect("meetings:minutes", public_id=meeting.public_id)


@member(Role.COORDINATOR)
@require_POST
def minutes_finalise(request, public_id):
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    record = _minutes(meeting)
    if record is None:
        raise Http404
    form = FinaliseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Rechargez la page puis recommencez : rien n'a été modifié.")
        return redirect("meetings:minutes", public_id=meeting.public_id)
    if not is_confirmed(request):
        return confirm_remove_access(
            request,
            page_title="Valider le compte rendu",
            consequences=[
                "Le compte rendu circule tel que l'aperçu le montre : chaque remplacement non décoché est "
                "fait.",
                "Le texte d'origine est effacé : les synthèses et décisions de la réunion ne gardent que "
                "leur version pseudonymisée et ne sont plus modifiables.",
            ],
            button="Valider le compte rendu",
            cancel_url=reverse("meetings:minutes", args=[meeting.public_id]),
            form=form,
        )
    try:
        services.minutes_finalise(actor=actor, minutes=record, version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "Compte rendu validé : les membres de la cellule peuvent le lire et le télécharger."
        )
    return redirect("meetings:minutes", public_id=meeting.public_id)


@member(*SEEING_ROLES)
def minutes_pdf(request, public_id):
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    record = _minutes(meeting)
    if record is None or record.status != MinutesStatus.FINAL or not policies.sees_agenda(actor, meeting):
        raise Http404
    final = document.final_for(actor, meeting, record)
    pdf = render_pdf("meetings/minutes_pdf.html", {"document": final}, title=final["title"])
    services.minutes_exported(actor=actor, minutes=record)
    day = meeting.starts_at.strftime("%Y-%m-%d")
    return pdf_response(pdf, f"compte-rendu-cellule-de-suivi-{day}.pdf")
