"""The « Cellule de suivi » pages: the meetings, one meeting, scheduling and changing it, its calendar file.

A meeting's date and place are shown to the group's members and the coordinators; its agenda only to the
coordinators and the members who accepted the current charter (policies.sees_agenda); what was said about
a situation only to whoever may open the situation now, each read recorded on it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from maillage.errors import ConflictError, DomainError
from maillage.meetings import invitations, policies, selectors, services
from maillage.meetings.forms import MeetingForm, VersionForm
from maillage.network.enums import Role
from maillage.situations.policies import SEEING_ROLES
from maillage.web.access import member
from maillage.web.confirm import is_confirmed


@member(*SEEING_ROLES)
def meeting_list(request):
    actor = request.actor
    meetings = selectors.meetings_listed(actor)
    return render(
        request,
        "meetings/list.html",
        {
            "page_title": "Cellule de suivi",
            "in_group": policies.can_view_group(actor),
            "can_manage": policies.can_manage(actor),
            "needs_charter": policies.is_group_member(actor)
            and not policies.has_accepted_current_charter(actor),
            "upcoming": selectors.upcoming(meetings)[:20],
            "past": selectors.past(meetings)[:50],
        },
    )


@member(*SEEING_ROLES)
def meeting_detail(request, public_id):
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    can_manage = policies.can_manage(actor)
    context = {
        "page_title": str(meeting),
        "meeting": meeting,
        "can_manage": can_manage,
        "in_group": policies.is_group_member(actor),
        "has_charter": policies.current_charter(actor.territory.pk) is not None,
        "action_form": VersionForm(initial={"version": meeting.version}),
        "minutes": policies.minutes_of(meeting),
        **services.agenda_read(actor=actor, meeting=meeting),
    }
    if can_manage:
        context["participants"] = list(
            meeting.participants.select_related("membership__user", "membership__organisation").order_by(
                "membership__user__last_name", "pk"
            )
        )
        context["opened"] = {m.pk for m in policies.memberships_opened(meeting)}
    return render(request, "meetings/detail.html", context)


@member(*SEEING_ROLES)
def meeting_calendar(request, public_id):
    """The meeting's .ics (the same as the invitation's): date, place, link; nothing else."""
    meeting = policies.access_meeting(request.actor, public_id)
    response = HttpResponse(invitations.calendar(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cellule-de-suivi.ics"'
    return response


@member(Role.COORDINATOR)
def meeting_create(request):
    actor = request.actor
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=actor, **form.values())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Réunion programmée : les membres de la cellule reçoivent l'invitation par courriel. "
                f"{meeting.items.count()} situation(s) proposée(s) à l'ordre du jour.",
            )
            return redirect("meetings:detail", public_id=meeting.public_id)
    return render(
        request, "meetings/form.html", {"page_title": "Programmer une réunion de la cellule", "form": form}
    )


@member(Role.COORDINATOR)
def meeting_edit(request, public_id):
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=actor, meeting=meeting, version=form.cleaned_data["version"], **form.values()
            )
        except ConflictError as error:
            # Their input is kept; the form now carries the current version, so saving again applies it.
            meeting.refresh_from_db()
            data = request.POST.copy()
            data["version"] = meeting.version
            form = MeetingForm(data)
            form.is_valid()
            form.add_error(None, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Réunion modifiée ; les membres invités reçoivent la mise à jour.")
            return redirect("meetings:detail", public_id=meeting.public_id)
    return render(
        request,
        "meetings/form.html",
        {"page_title": f"Modifier la {str(meeting).lower()}", "form": form, "meeting": meeting},
    )


@member(Role.COORDINATOR)
def meeting_cancel(request, public_id):
    """Cancelling asks first (the members' calendars are told); a meeting that opened cannot be cancelled."""
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    form = VersionForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return redirect("meetings:detail", public_id=meeting.public_id)
    if not is_confirmed(request):
        return render(
            request,
            "web/confirm_remove_access.html",
            {
                "page_title": f"Annuler la {str(meeting).lower()}",
                "consequences": [
                    "Les membres invités reçoivent un courriel d'annulation qui retire la réunion de leur "
                    "agenda.",
                    "L'ordre du jour n'est plus modifiable ; la réunion ne pourra pas être ouverte.",
                ],
                "button": "Annuler la réunion",
                "cancel_url": reverse("meetings:detail", args=[meeting.public_id]),
                "action_url": request.path,
                "form": form,
            },
        )
    try:
        services.meeting_cancel(actor=actor, meeting=meeting, version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Réunion annulée ; les membres invités sont prévenus.")
    return redirect("meetings:detail", public_id=meeting.public_id)
