"""Reporting a situation (repérage) and editing what was reported."""

from django.contrib import messages
from django.shortcuts import redirect, render

from maillage.errors import ConflictError, DomainError
from maillage.situations import policies, services
from maillage.situations.forms import ReportForm, SituationEditForm, persons_from, report_formsets
from maillage.situations.models import Situation
from maillage.situations.policies import SEEING_ROLES
from maillage.situations.selectors import situation_detailed
from maillage.web.access import member

REPORTED_SESSION_KEY = "maillage.situations.reported"


@member(*SEEING_ROLES)
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
                form.add_error(None, error.message)
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


@member(*SEEING_ROLES)
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


@member(*SEEING_ROLES)
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
            form.add_error(None, error.message)
            # What was typed stays; saving again (after checking) applies it over the current version.
            form.data = form.data.copy()
            form.data["version"] = Situation.objects.values_list("version", flat=True).get(pk=situation.pk)
        except DomainError as error:
            form.add_error(None, error.message)
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
