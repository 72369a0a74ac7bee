"""The persons of a situation (identities), their safe contacts, and the victim's consent."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from maillage.errors import DomainError
from maillage.situations import policies, services
from maillage.situations.enums import PersonRole
from maillage.situations.forms import ConsentForm, PersonForm, SafeContactsForm
from maillage.situations.models import PERSON_FIELDS, Person
from maillage.situations.policies import SEEING_ROLES
from maillage.web.access import member


@member(*SEEING_ROLES)
def person_add(request, public_id):
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    form = PersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_add(actor=actor, situation=situation, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Personne ajoutée.")
            return redirect("situations:detail", public_id=situation.public_id)
    return render(
        request,
        "situations/person_form.html",
        {"page_title": f"Ajouter une personne — {situation.pseudonym}", "situation": situation, "form": form},
    )


@member(*SEEING_ROLES)
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
                services.person_update(
                    actor=actor,
                    person=person,
                    safe_contacts=contacts_form.contacts() if contacts_form else (),
                    **form.cleaned_data,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Les informations de la personne sont à jour.")
                return redirect("situations:detail", public_id=situation.public_id)
    # The page shows the identity, also when it comes back with an error: a read of it each time.
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


@member(*SEEING_ROLES)
def consent_edit(request, public_id):
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    form = ConsentForm(request.POST if request.method == "POST" else None, territory=actor.territory)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=actor, situation=situation, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Le consentement est enregistré.")
            return redirect("situations:detail", public_id=situation.public_id)
    return render(
        request,
        "situations/consent_form.html",
        {"page_title": f"Consentement — {situation.pseudonym}", "situation": situation, "form": form},
    )
