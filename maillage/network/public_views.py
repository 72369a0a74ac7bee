"""The public help page for victims and witnesses (`/aide/`): no account, nothing nominative.

It reads territories, communes and organisations only — never memberships, accounts, referents or situations
(the import contract « The public side … reaches nothing nominative » covers this module). The response sets
no cookie (no session written, no CSRF token, no message) and is never cached (`NoStoreMiddleware`).

Whom to contact in a commune: its town hall or CCAS when an organisation of the network is one (a
`local_authority` or `social` organisation named « Mairie de X », « CCAS des X »…). Referents are people:
their names and phones never appear here. The territory's partner services are the organisations of the kinds
that receive the public (forces of order, health, social action, associations, housing, local authorities);
justice, State services, funders and schools are partners of the network, not places a victim calls.
"""

import unicodedata

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from maillage.network.enums import OrganisationKind
from maillage.network.models import Organisation
from maillage.territories.models import Territory
from maillage.web.access import public

PUBLIC_KINDS = (
    OrganisationKind.LAW_ENFORCEMENT,
    OrganisationKind.HEALTH,
    OrganisationKind.SOCIAL,
    OrganisationKind.ASSOCIATION,
    OrganisationKind.HOUSING,
    OrganisationKind.LOCAL_AUTHORITY,
)
TOWN_HALL_KINDS = (OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.SOCIAL)
TOWN_HALL_PREFIXES = ("mairie ", "ccas ", "hotel de ville ")
PUBLIC_FIELDS = ("public_id", "name", "kind", "phone", "email", "address", "website", "opening_hours")


def _plain(text: str) -> str:
    """Lower case, no accents, one apostrophe, no dash: « Mairie des Épesses » → « mairie des epesses »."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("’", "'").replace("-", " ").split())


def _of_commune(commune_name: str) -> tuple[str, ...]:
    """« Of » a commune in French: de Mouchamps, des Herbiers, du Boupère, de la Gaubretière…"""
    name = _plain(commune_name)
    forms = [f"de {name}"]
    for article, contracted in (("les ", "des "), ("le ", "du "), ("la ", "de la "), ("l'", "de l'")):
        if name.startswith(article):
            forms.append(contracted + name[len(article) :])
    if name[:1] in "aeiouyh":
        forms.append(f"d'{name}")
        forms.append(f"d' {name}")
    return tuple(forms)


def town_hall_of(commune_name: str, organisations) -> list[Organisation]:
    forms = _of_commune(commune_name)
    found = []
    for organisation in organisations:
        if organisation.kind not in TOWN_HALL_KINDS:
            continue
        name = _plain(organisation.name)
        if name.startswith(TOWN_HALL_PREFIXES) and name.endswith(forms):
            found.append(organisation)
    return found


def help_content(territory: Territory) -> dict:
    organisations = list(
        Organisation.objects.filter(territories=territory, is_active=True, kind__in=PUBLIC_KINDS)
        .only(*PUBLIC_FIELDS)
        .order_by("name")
    )
    communes = []
    in_a_commune = set()
    for commune in territory.communes.only("name", "postal_code").order_by("name"):
        contacts = town_hall_of(commune.name, organisations)
        in_a_commune.update(o.pk for o in contacts)
        communes.append({"name": commune.name, "postal_code": commune.postal_code, "contacts": contacts})
    services = [o for o in organisations if o.pk not in in_a_commune]
    return {"territory": territory, "communes": communes, "services": services}


@public
@require_GET
def help_page(request):
    """The one territory's page; with several territories, the list to choose from."""
    territories = list(Territory.objects.only("public_id", "name").order_by("name"))
    if len(territories) == 1:
        return render(request, "network/public/help.html", help_content(territories[0]))
    return render(request, "network/public/territories.html", {"territories": territories})


@public
@require_GET
def territory_help_page(request, public_id):
    territory = Territory.objects.filter(public_id=public_id).only("public_id", "name").first()
    if territory is None:
        raise Http404
    if Territory.objects.count() == 1:
        return redirect("public_help:help")
    return render(request, "network/public/help.html", help_content(territory))
