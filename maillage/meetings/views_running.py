"""The coordinator's pages to prepare and run a meeting: its agenda (propose, add by pseudonym, take off,
move), opening and closing it (closing asks first: it ends the members' access), attendance, and for each
situation the summary, the next review date and the decisions with their action."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.errors import ConflictError, DomainError
from maillage.meetings import policies, selectors, services
from maillage.meetings.enums import MeetingStatus
from maillage.meetings.forms import AgendaAddForm, AttendanceForm, DecisionForm, ItemForm, VersionForm
from maillage.network.enums import Role
from maillage.situations.services import situation_view_record
from maillage.web.access import member
from maillage.web.confirm import confirm_remove_access, is_confirmed


def _back(meeting):
    return redirect("meetings:detail", public_id=meeting.public_id)


@member(Role.COORDINATOR)
def agenda(request, public_id):
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    form = AgendaAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_add(
                actor=actor, meeting=meeting, pseudonym=form.cleaned_data["pseudonym"]
            )
        except DomainError as error:
            form.add_error("pseudonym", error.message)
        else:
            messages.success(request, f"{item.situation.pseudonym} ajoutée à l'ordre du jour.")
            return redirect("meetings:agenda", public_id=meeting.public_id)
    return render(
        request,
        "meetings/agenda.html",
        {
            "page_title": f"Ordre du jour — {str(meeting).lower()}",
            "meeting": meeting,
            "items": selectors.agenda(actor, meeting),
            "form": form,
            "editable": meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.OPEN),
        },
    )


@member(Role.COORDINATOR)
@require_POST
def agenda_act(request, public_id, action, item_id=None):
    """Propose again, take off, move up or down."""
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    try:
        if action == "propose":
            added = services.agenda_propose(actor=actor, meeting=meeting)
            messages.success(request, f"{added} situation(s) ajoutée(s) à l'ordre du jour.")
        else:
            item = policies.access_item(actor, meeting, item_id)
            if action == "remove":
                services.agenda_item_remove(actor=actor, item=item)
                messages.success(request, f"{item.situation.pseudonym} retirée de l'ordre du jour.")
            else:
                services.agenda_item_move(actor=actor, item=item, up=action == "up")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("meetings:agenda", public_id=meeting.public_id)


@member(Role.COORDINATOR)
@require_POST
def meeting_open(request, public_id):
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Rechargez la page puis recommencez : rien n'a été modifié.")
        return _back(meeting)
    try:
        services.meeting_open(actor=actor, meeting=meeting, version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        readers = policies.memberships_opened(meeting).count()
        messages.success(
            request,
            f"Réunion ouverte : {readers} membre(s) voient les situations de l'ordre du jour jusqu'à sa "
            "clôture.",
        )
    return _back(meeting)


@member(Role.COORDINATOR)
@require_POST
def meeting_close(request, public_id):
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Rechargez la page puis recommencez : rien n'a été modifié.")
        return _back(meeting)
    if not is_confirmed(request):
        return confirm_remove_access(
            request,
            page_title=f"Clore la {str(meeting).lower()}",
            consequences=[
                "Les membres ne voient plus les situations de l'ordre du jour, dès maintenant ; chacun garde "
                "les accès qu'il avait avant la réunion.",
                "Les synthèses et décisions restent modifiables par la coordination jusqu'au compte rendu.",
            ],
            button="Clore la réunion",
            cancel_url=reverse("meetings:detail", args=[meeting.public_id]),
            form=form,
        )
    try:
        services.meeting_close(actor=actor, meeting=meeting, version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Réunion close : l'accès des membres aux situations a pris fin.")
    return _back(meeting)


@member(Role.COORDINATOR)
def attendance(request, public_id):
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    participants = meeting.participants.select_related(
        "membership__user", "membership__organisation"
    ).order_by("membership__user__last_name", "pk")
    form = AttendanceForm(
        request.POST or None, participants=participants, initial={"version": meeting.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                actor=actor,
                meeting=meeting,
                attendance=form.attendance(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Présences enregistrées.")
            return _back(meeting)
    return render(
        request,
        "meetings/attendance.html",
        {"page_title": f"Présences — {str(meeting).lower()}", "meeting": meeting, "form": form},
    )


@member(Role.COORDINATOR)
def item(request, public_id, item_id):
    """One situation of the agenda: what was said (summary, next review) and the decisions, each with its
    action. Reading the summary and decisions is a read of the situation's data: recorded."""
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    entry = policies.access_item(actor, meeting, item_id)
    item_form = ItemForm(
        request.POST if "record" in request.POST else None,
        initial={"summary": entry.summary, "next_review_on": entry.next_review_on, "version": entry.version},
    )
    decision_form = DecisionForm(
        request.POST if "decide" in request.POST else None, owners=services.owners_for(entry)
    )
    if request.method == "POST":
        try:
            if "record" in request.POST and item_form.is_valid():
                data = item_form.cleaned_data
                services.item_record(
                    actor=actor,
                    item=entry,
                    summary=data["summary"],
                    next_review_on=data["next_review_on"],
                    version=data["version"],
                )
                messages.success(request, f"Examen de {entry.situation.pseudonym} enregistré.")
                return redirect("meetings:item", public_id=meeting.public_id, item_id=entry.public_id)
            if "decide" in request.POST and decision_form.is_valid():
                services.decision_add(actor=actor, item=entry, **decision_form.cleaned_data)
                messages.success(request, "Décision enregistrée ; son action est une tâche de la situation.")
                return redirect("meetings:item", public_id=meeting.public_id, item_id=entry.public_id)
        except ConflictError as error:
            entry.refresh_from_db()
            data = request.POST.copy()
            data["version"] = entry.version
            item_form = ItemForm(data)
            item_form.is_valid()
            item_form.add_error(None, error.message)
        except DomainError as error:
            (item_form if "record" in request.POST else decision_form).add_error(None, error.message)
    situation_view_record(actor=actor, situation=entry.situation, part="meeting")
    return render(
        request,
        "meetings/item.html",
        {
            "page_title": f"{entry.situation.pseudonym} — {str(meeting).lower()}",
            "meeting": meeting,
            "item": entry,
            "reason_labels": [selectors.reason_label(code) for code in entry.reasons],
            "decisions": list(entry.decisions.select_related("task__owner__user")),
            "item_form": item_form,
            "decision_form": decision_form,
            "recording": meeting.status in (MeetingStatus.OPEN, MeetingStatus.CLOSED),
        },
    )
