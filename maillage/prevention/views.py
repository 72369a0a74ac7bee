"""The prevention pages under /prevention/: the events with their filters and totals, an event's page, its
form (record, change) and its deletion after a confirmation page. Who may do what: policies.py. The
trainings' pages (views_trainings.py) share the helpers at the top."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.errors import ConflictError, DomainError
from maillage.network.enums import Role
from maillage.prevention import policies, selectors, services
from maillage.prevention.forms import DeleteForm, EventFilterForm, EventForm
from maillage.prevention.models import PreventionEvent
from maillage.prevention.policies import WRITER_ROLES
from maillage.territories.models import Commune
from maillage.web.access import member
from maillage.web.confirm import confirm_remove_access, is_confirmed
from maillage.web.pagination import PAGE_SIZE

# ------------------------------------------------------------------------------------------- helpers


class CountedPaginator(Paginator):
    """A paginator told the count the page's totals already made (the filtered set is counted once)."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.count = count


def counted_page(request, records, count: int):
    return CountedPaginator(records, PAGE_SIZE, count).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def own_organisation_kept(actor):
    """The writer's organisation when it is always counted (every writer but the coordinator)."""
    return actor.membership.organisation if policies.must_include_own_organisation(actor) else None


def show_refusal(form, error: DomainError) -> None:
    """A service's refusal beside the field it names, else at the top of the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.message)


def record_saved(request, what: str, record, *, created: bool, url_name: str):
    messages.success(request, f"{what} « {record.title} » {'enregistrée' if created else 'à jour'}.")
    return redirect(url_name, public_id=record.public_id)


def delete_with_confirmation(request, *, access, delete, what: str, consequences, list_url: str, detail_url):
    """The deletion of an event or a training: the first POST shows the confirmation page, the second
    (`confirmed=1`) deletes. A record already gone (the confirmation sent twice) leads back to the list."""
    actor = request.actor
    try:
        record = access()
    except Http404:
        if is_confirmed(request):
            messages.info(request, f"{what} n'existe plus : elle a peut-être déjà été supprimée.")
            return redirect(list_url)
        raise
    if not policies.can_delete(actor, record):
        raise Http404
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Rechargez la page puis recommencez : rien n'a été supprimé.")
        return redirect(detail_url(record))
    if not is_confirmed(request):
        return confirm_remove_access(
            request,
            page_title=f"Supprimer {what.lower()} « {record.title} »",
            consequences=consequences(record),
            button="Supprimer définitivement",
            cancel_url=detail_url(record),
            form=form,
        )
    try:
        delete(actor=actor, record=record, version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(detail_url(record))
    messages.success(request, f"{what} « {record.title} » supprimée.")
    return redirect(list_url)


# -------------------------------------------------------------------------------------------- events


@member()
def event_list(request):
    actor = request.actor
    communes = list(Commune.objects.filter(territory_id=actor.membership.territory_id).order_by("name"))
    form = EventFilterForm(request.GET or None, years=selectors.event_years(actor), communes=communes)
    chosen = form.filters()
    filters = selectors.EventFilters(
        year=chosen.get("year"), kind=chosen.get("kind") or "", commune=chosen.get("commune") or ""
    )
    totals = selectors.event_totals(actor, filters)
    page = counted_page(request, selectors.events_listed(actor, filters), totals["events"])
    return render(
        request,
        "prevention/event_list.html",
        {
            "page_title": "Prévention et communication",
            "form": form,
            "filtered": any(chosen.values()),
            "totals": totals,
            "page": page,
            "query": query_without_page(request),
            "can_record": policies.can_record(actor),
        },
    )


@member()
def event_detail(request, public_id):
    actor = request.actor
    event = policies.access_event(actor, public_id)
    return render(
        request,
        "prevention/event_detail.html",
        {
            "page_title": f"Action de prévention : {event.title}",
            "event": event,
            "can_edit": policies.can_edit_event(actor, event),
            "can_delete": policies.can_delete(actor, event),
            "delete_form": DeleteForm(initial={"version": event.version}),
        },
    )


def _event_form_page(request, form, event=None, current=None):
    return render(
        request,
        "prevention/event_form.html",
        {
            "page_title": f"Modifier l'action : {event.title}"
            if event
            else "Enregistrer une action de prévention",
            "event": event,
            "current": current,
            "form": form,
        },
    )


@member(*WRITER_ROLES)
def event_add(request):
    actor = request.actor
    own = own_organisation_kept(actor)
    form = EventForm(
        request.POST if request.method == "POST" else None,
        # The coordinator's organisation is proposed; another writer's is always counted.
        initial={} if own else {"organisations": [actor.membership.organisation.public_id]},
        territory_id=actor.membership.territory_id,
        own_organisation=own,
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_record(
                actor=actor, submission=form.cleaned_data["submission"], **form.values()
            )
        except services.AlreadyRecorded as already:
            messages.info(request, already.message)
            return redirect("prevention:detail", public_id=already.record.public_id)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return record_saved(request, "Action", event, created=True, url_name="prevention:detail")
    return _event_form_page(request, form)


@member(*WRITER_ROLES)
def event_edit(request, public_id):
    actor = request.actor
    event = policies.access_event(actor, public_id)
    if not policies.can_edit_event(actor, event):
        raise Http404
    own = own_organisation_kept(actor)
    kept = list(event.organisations.all())
    initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    initial["commune"] = event.commune.public_id if event.commune else None
    initial["organisations"] = [o.public_id for o in kept]
    initial["version"] = event.version
    form = EventForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        territory_id=event.territory_id,
        own_organisation=own,
        kept=kept,
    )
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(
                actor=actor, event=event, version=form.cleaned_data["version"] or 0, **form.values()
            )
        except ConflictError as error:
            form.add_error(None, error.message)
            # What was typed stays; the version saved meanwhile shows beside it, and saving again applies it.
            current = policies.access_event(actor, public_id)
            form.data = form.data.copy()
            form.data["version"] = current.version
        except DomainError as error:
            show_refusal(form, error)
        else:
            return record_saved(request, "Action", event, created=False, url_name="prevention:detail")
    return _event_form_page(request, form, event, current)


def _event_consequences(event: PreventionEvent) -> list[str]:
    people = (
        f"ses {event.people_reached} personnes touchées ne comptent plus dans les bilans"
        if event.people_reached
        else "elle ne compte plus dans les bilans"
    )
    return [
        f"L'action du {event.held_on:%d/%m/%Y} disparaît de la liste et de la page de chaque organisation "
        f"impliquée ; {people}.",
        "Le journal d'audit garde la trace de sa suppression.",
    ]


@member(Role.COORDINATOR)
@require_POST
def event_delete(request, public_id):
    return delete_with_confirmation(
        request,
        access=lambda: policies.access_event(request.actor, public_id),
        delete=lambda actor, record, version: services.event_delete(
            actor=actor, event=record, version=version
        ),
        what="L'action",
        consequences=_event_consequences,
        list_url=reverse("prevention:list"),
        detail_url=lambda event: reverse("prevention:detail", args=[event.public_id]),
    )
