"""Every page and API endpoint that shows a situation's data records a read, on the right ground: through a
break-the-glass access or not (policies.reads_through_emergency). A new situation route must say here whether
it is such a read, so that none is forgotten."""

from html import unescape

import pytest
from django.urls import reverse

from maillage.api.auth import operation_rules
from maillage.api.urls import api
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.situations import services
from maillage.situations.urls import urlpatterns
from tests.api.helpers import API
from tests.situations.factories import report_situation

pytestmark = pytest.mark.django_db

VIEWED, IDENTITY = AuditAction.SITUATION_VIEWED, AuditAction.SITUATION_IDENTITY_VIEWED
REASON = "La victime est à l'accueil du CCAS, la référente est injoignable"

# Route (pages: pattern under /situations/; API: operation) → the reads each GET records, by query string.
READS = {
    "<uuid:public_id>/": {"": {(VIEWED, "")}, "?identites=1": {(VIEWED, ""), (IDENTITY, "")}},
    "<uuid:public_id>/modifier/": {"": {(VIEWED, "detection")}},
    "<uuid:public_id>/suivi/ajouter/": {"": {(VIEWED, "safe_contacts")}},
    "<uuid:public_id>/personnes/<uuid:person_id>/": {"": {(IDENTITY, "person")}},
    "GET /situations/{uuidstr:public_id}": {
        "": {(VIEWED, "")},
        "?identities=true": {(VIEWED, ""), (IDENTITY, "")},
    },
    "GET /situations/{uuidstr:public_id}/tasks": {"": {(VIEWED, "tasks")}},
    # Protective measures (maillage.protection; its pages are checked in tests/protection/test_access.py).
    "GET /situations/{uuidstr:public_id}/measures": {"": {(VIEWED, "measures")}},
}
WRITE = "a write, audited as such"
FORM_ADDRESS = "a form's address: GET goes back to the coordination page, POST is a write"
NOT_READS = {
    "": "the list: pseudonyms only (a name search is recorded apart)",
    "signaler/": "an empty report form",
    "signaler/confirmation/": "the pseudonym just reported",
    "acces-urgence/": "the break-the-glass form (the access itself is recorded)",
    "acces-urgence/examen/": "the review queue: pseudonyms and reasons, no data of the victims",
    "acces-urgence/<uuid:access_id>/examen/": WRITE,
    "notifications/": "former address of the alerts (pseudonyms only): redirects to /notifications/",
    "notifications/<uuid:public_id>/": "former address of an alert: redirects to it (then to the page)",
    "<uuid:public_id>/taches/ajouter/": "the pseudonym and who may own a task: no data of the victims",
    "<uuid:public_id>/taches/<uuid:task_id>/terminer/": WRITE,
    "<uuid:public_id>/personnes/ajouter/": "an empty form",
    "<uuid:public_id>/consentement/": "an empty form (the current answer is on the situation page)",
    "<uuid:public_id>/consultations/": "the audit trail itself, for the coordinator and the DPO",
    "<uuid:public_id>/coordination/": "the coordinator's forms: organisations, referent, restriction",
    "<uuid:public_id>/coordination/organisations/": FORM_ADDRESS,
    "<uuid:public_id>/coordination/organisations/<uuid:organisation_id>/retirer/": WRITE,
    "<uuid:public_id>/coordination/referent/": FORM_ADDRESS,
    "<uuid:public_id>/coordination/restriction/": FORM_ADDRESS,
    "<uuid:public_id>/coordination/restriction/lever/": WRITE,
    "<uuid:public_id>/coordination/ecarter/": FORM_ADDRESS,
    "<uuid:public_id>/coordination/ecarter/<uuid:user_id>/retirer/": WRITE,
    "<uuid:public_id>/coordination/cloturer/": FORM_ADDRESS,
    "<uuid:public_id>/coordination/rouvrir/": WRITE,
    "GET /situations": "the list: pseudonyms only",
    "POST /situations": WRITE,
    "POST /situations/{uuidstr:public_id}/notes": WRITE,
    "POST /situations/{uuidstr:public_id}/tasks": WRITE,
    "POST /situations/{uuidstr:public_id}/measures": WRITE,
    "PUT /situations/{uuidstr:public_id}/measures/{uuidstr:measure_id}": WRITE,
}


def test_every_situation_route_says_whether_it_is_a_read():
    pages = {str(p.pattern) for p in urlpatterns}
    operations = {op for op in operation_rules(api) if " /situations" in op}
    assert pages | operations == set(READS) | set(NOT_READS)
    assert not set(READS) & set(NOT_READS)


@pytest.fixture
def situation(net):
    situation = report_situation(
        net["gendarme"],
        commune=net.mouchamps,
        safe_contacts=[
            {"channel": "sms", "allowed": True, "safe_hours": "après 18 h", "code_word": "Tulipe"}
        ],
    )
    services.task_add(
        actor=net.actor("coordinator"),
        situation=situation,
        title="Appeler la victime",
        owner=net["gendarme"],
        due_on=situation.detected_on,
    )
    return situation


def address(route: str, situation) -> str:
    person = situation.persons.get(role="victim")
    if route.startswith("GET "):
        return API + route[4:].replace("{uuidstr:public_id}", str(situation.public_id))
    path = route.replace("<uuid:public_id>", str(situation.public_id))
    return "/situations/" + path.replace("<uuid:person_id>", str(person.public_id))


def reads_of(user_id, after: int) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            actor_user_id=user_id, sequence__gt=after, action__in=[VIEWED, IDENTITY]
        ).order_by("sequence")
    )


def last_sequence() -> int:
    return AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


@pytest.mark.parametrize(
    ("name", "emergency"),
    [("gendarme", False), ("referent", False), ("coordinator", False), ("ccas", True)],
)
def test_each_read_is_recorded_with_its_ground(net, situation, name, emergency):
    if emergency:
        services.emergency_access_request(actor=net.actor(name), pseudonym=situation.pseudonym, reason=REASON)
    client = net.client(name)
    user_id = net[name].user_id
    wrong = []
    for route, queries in READS.items():
        for query, expected in queries.items():
            before = last_sequence()
            response = client.get(address(route, situation) + query)
            assert response.status_code == 200, (route, query, response.status_code)
            recorded = [
                (e.action, e.changes.get("part", ""), e.changes["emergency"], e.object_public_id)
                for e in reads_of(user_id, before)
            ]
            if sorted(recorded) != sorted((a, p, emergency, situation.public_id) for a, p in expected):
                wrong.append((route, query, recorded))
    assert not wrong, wrong


def test_the_person_page_read_through_break_the_glass_says_so(net, situation):
    services.emergency_access_request(actor=net.actor("ccas"), pseudonym=situation.pseudonym, reason=REASON)
    victim = situation.persons.get(role="victim")
    before = last_sequence()
    url = reverse("situations:person_edit", args=[situation.public_id, victim.public_id])
    assert net.client("ccas").get(url).status_code == 200
    (read,) = reads_of(net["ccas"].user_id, before)
    assert (read.action, read.changes) == (IDENTITY, {"emergency": True, "part": "person"})


def test_the_person_page_shown_again_after_an_error_is_a_read(net, situation):
    victim = situation.persons.get(role="victim")
    url = reverse("situations:person_edit", args=[situation.public_id, victim.public_id])
    # As a browser posts it: the page's values (identity, code word) with one mistake.
    data = {"personne-role": "victim", "personne-sex": "female", "personne-last_name": victim.last_name}
    data |= {"personne-email": "pas un courriel", "contact-allowed_sms": "on", "contact-code_sms": "Tulipe"}
    before = last_sequence()
    response = net.client("gendarme").post(url, data)
    html = unescape(response.content.decode())
    assert response.status_code == 200 and "Tulipe" in html and victim.last_name in html
    (read,) = reads_of(net["gendarme"].user_id, before)
    assert (read.action, read.changes) == (IDENTITY, {"emergency": False, "part": "person"})


def test_the_accesses_page_says_what_was_read(net, situation):
    net.client("gendarme").get(f"{API}/situations/{situation.public_id}/tasks")
    html = unescape(
        net.client("coordinator")
        .get(reverse("situations:accesses", args=[situation.public_id]))
        .content.decode()
    )
    assert "Situation consultée — tâches" in html
