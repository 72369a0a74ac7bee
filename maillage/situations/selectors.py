"""Reads of situations shared by pages and the API, always through the one access policy."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from maillage.accounts.actor import Actor
from maillage.situations.models import Consent, Participation, Person, Situation


def situation_detailed(actor: Actor, public_id) -> Situation:
    """`access_situation` with every row a situation page or API detail shows, in a fixed number of queries.

    Http404 when the situation is missing or hidden from this actor: the same answer."""
    return get_object_or_404(
        Situation.objects.visible_to(actor)
        .select_related("commune", "referent__user", "referent__organisation", "created_by__organisation")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organisation").order_by("added_at", "pk"),
            ),
            Prefetch(
                "persons", queryset=Person.objects.prefetch_related("safe_contacts").order_by("role", "pk")
            ),
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related("recorded_by__user", "recorded_by__organisation")
                .prefetch_related("organisations")
                .order_by("-recorded_at", "-pk"),
            ),
        ),
        public_id=public_id,
    )
