"""What `maillage benchmark-scale` and `maillage explain-plans` measure: four people of a territory chosen by
their roles (a coordinator, a referent of two communes, a professional of the law-enforcement organisation and
one of the health organisation that take part in the most situations), and for each of them the list's
positions and searches, found in the data so that they exist at any scale (issue 16):

- the deep page: the page that begins at about 90 % of the person's list, reached by a keyset cursor;
- a part of a pseudonym matching about ten situations the person sees;
- a rare name (the fewest situations) and a common name (the most), read in-process from the words of the
  persons' names: they are used in the requests, never printed.

Reads only: nothing here writes."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from maillage.network.actor import Actor, resolve_actor
from maillage.network.enums import OrganisationKind, Role
from maillage.network.models import Membership
from maillage.situations import names, selectors
from maillage.situations.models import Participation, Person, PersonNameToken
from maillage.web import keyset

DEEP_SHARE = 0.9
PSEUDONYM_MATCHES = 10
# Situations whose persons' name words are looked at to find a common name, and a rare one.
NAME_SAMPLE = 2000
RARE_SAMPLE = 300
RARE_CANDIDATES = 40
DETAILS = 30


@dataclass
class Scenario:
    key: str
    label: str
    membership: Membership
    actor: Actor
    visible: int = 0
    deep_position: int = 0
    deep_cursor: str | None = None
    pseudonym_query: str = ""
    pseudonym_matches: int = 0
    rare_name: str = ""
    rare_matches: int = 0
    common_name: str = ""
    common_matches: int = 0
    detail_ids: list = field(default_factory=list)

    @property
    def email(self) -> str:
        return self.membership.user.email


def scenarios(territory) -> list[Scenario]:
    """The four people of `territory`, each with their list's positions and searches."""
    chosen = [
        ("coordination", "coordination", _member(territory, Role.COORDINATOR)),
        ("referent", "référente (2 communes)", _referent(territory)),
        (
            "gendarmerie",
            "professionnelle, forces de l'ordre",
            _professional(territory, OrganisationKind.LAW_ENFORCEMENT),
        ),
        ("sante", "professionnelle, santé", _professional(territory, OrganisationKind.HEALTH)),
    ]
    return [_prepared(key, label, membership) for key, label, membership in chosen]


def _prepared(key: str, label: str, membership: Membership) -> Scenario:
    actor = resolve_actor(membership.user, str(membership.public_id))
    scenario = Scenario(key=key, label=label, membership=membership, actor=actor)
    listed = selectors.situations_listed(actor)
    scenario.visible = listed.count()
    if not scenario.visible:
        raise LookupError(f"{membership.user.email} ne voit aucune situation.")
    scenario.deep_position = int(scenario.visible * DEEP_SHARE)
    # The row just before the deep page, reached once by OFFSET; the page itself is then read by keyset.
    before = listed[max(scenario.deep_position - 1, 0)]
    scenario.deep_cursor = keyset.cursor_at(before, listed)
    first = keyset.paginate(listed, None, size=DETAILS // 2).items
    deep = keyset.paginate(listed, scenario.deep_cursor, size=DETAILS - len(first)).items
    scenario.detail_ids = [s.public_id for s in first + deep]
    scenario.pseudonym_query, scenario.pseudonym_matches = _pseudonym_query(actor, first[0].pseudonym)
    _names(scenario, listed)
    return scenario


def _memberships(territory, role: str):
    return (
        Membership.objects.active()
        .filter(territory=territory, role_set__role=role, user__is_active=True)
        .select_related("user", "organisation", "territory")
        .order_by("pk")
    )


def _member(territory, role: str) -> Membership:
    membership = _memberships(territory, role).first()
    if membership is None:
        raise LookupError(f"Aucune adhésion active avec le rôle {role} dans « {territory.name} ».")
    return membership


def _referent(territory) -> Membership:
    """A referent of exactly two communes; of the most communes when none has two."""
    referents = _memberships(territory, Role.REFERENT).annotate(communes=Count("referent_of", distinct=True))
    membership = referents.filter(communes=2).first() or referents.order_by("-communes", "pk").first()
    if membership is None:
        raise LookupError(f"Aucune personne référente dans « {territory.name} ».")
    return membership


def _professional(territory, kind: str) -> Membership:
    """A professional of the organisation of that kind taking part in the most situations of the territory."""
    busiest = (
        Participation.objects.filter(situation__territory=territory, organisation__kind=kind)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation")
    )
    for row in busiest:
        membership = (
            _memberships(territory, Role.PROFESSIONAL).filter(organisation=row["organisation"]).first()
        )
        if membership is not None:
            return membership
    raise LookupError(f"Aucun professionnel d'une organisation « {kind} » dans « {territory.name} ».")


def _pseudonym_query(actor: Actor, pseudonym: str) -> tuple[str, int]:
    """The longest end-trimmed part of `pseudonym` (its year and number, « S- » left out) that matches at
    least PSEUDONYM_MATCHES situations the actor sees; with the number matched (up to the cap)."""
    text = pseudonym.split("-", 1)[-1]
    query, found = text, 1
    for end in range(len(text), 2, -1):
        query = text[:end]
        found = keyset.count_capped(selectors.situations_listed(actor, {"q": query})).value
        if found >= PSEUDONYM_MATCHES:
            break
    return query, found


def _names(scenario: Scenario, listed) -> None:
    """A common name: the last-name word most frequent among the persons of the first NAME_SAMPLE situations
    of the list. A rare one: among the least frequent name words of the RARE_SAMPLE situations the person sees
    first recorded (the demonstration's own, whose names are varied: the synthetic ones draw from a few dozen
    names), then whole names of their persons, the one found in the fewest situations — maybe still many."""
    recent = list(listed.values_list("pk", flat=True)[:NAME_SAMPLE])
    oldest = list(listed.order_by("pk").values_list("pk", flat=True)[:RARE_SAMPLE])
    scenario.common_name = _words(recent, "last_name").most_common(1)[0][0]
    scenario.common_matches = _matches(listed, scenario.common_name)
    # Single words first; then whole names (first and last), which narrow further when every word is common.
    candidates = [word for word, _ in reversed(_words(oldest).most_common()[-RARE_CANDIDATES:])]
    persons = Person.objects.filter(situation_id__in=oldest).only("first_name", "last_name").order_by("pk")
    candidates += [f"{p.first_name} {p.last_name}" for p in persons[:RARE_CANDIDATES] if p.last_name]
    rare = None
    for name in candidates:
        found = _matches(listed, name)
        if rare is None or found < rare[1]:
            rare = (name, found)
        if found == 1:
            break
    scenario.rare_name, scenario.rare_matches = rare


def _words(situation_ids: list[int], part: str | None = None) -> Counter:
    """Name words of the persons of these situations (of one part of their names if given), decrypted
    in-process, counted."""
    tokens = PersonNameToken.objects.filter(person__situation_id__in=situation_ids)
    if part is not None:
        tokens = tokens.filter(part=part)
    return Counter(token.token for token in tokens.only("token"))


def _matches(listed, word: str) -> int:
    return keyset.count_capped(names.with_name(listed, word)).value
