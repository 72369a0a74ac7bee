"""API: a situation's protective measures, under the situation's policy (protection/policies.py, ADR 0025).

Every look-up starts from `access_situation`: a missing situation and one the caller may not see answer the
same 404. Each read is audited like the page; writes go through the services, which check again."""

from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Status

from maillage.api.auth import member_auth
from maillage.api.schemas import ErrorOut
from maillage.protection import policies, selectors, services
from maillage.protection.models import ProtectiveMeasure
from maillage.protection.schemas import MeasureIn, MeasureOut, MeasureUpdateIn
from maillage.situations import policies as situation_policies
from maillage.situations.policies import SEEING_ROLES
from maillage.situations.services import situation_view_record

router = Router(tags=["Mesures de protection"])

DENIED = {401: ErrorOut, 403: ErrorOut}
NOT_FOUND = {404: ErrorOut}


def _situation(actor, public_id: UUID):
    situation = situation_policies.access_situation(actor, public_id)
    if not policies.can_view_measures(actor, situation):
        raise Http404
    return situation


def _answer(measure: ProtectiveMeasure) -> ProtectiveMeasure:
    return ProtectiveMeasure.objects.select_related("recorded_by__organisation").get(pk=measure.pk)


@router.get(
    "/situations/{uuid:public_id}/measures",
    auth=member_auth(*SEEING_ROLES),
    response={200: list[MeasureOut], **DENIED, **NOT_FOUND},
    url_name="situation_measures",
    summary="Mesures de protection d'une situation",
)
def measure_list(request: HttpRequest, public_id: UUID):
    """Les mesures de protection connues du réseau pour cette situation (plainte, TGD, bracelet
    anti-rapprochement, ordonnance de protection et sa forme provisoire, éviction), celles en vigueur
    d'abord. Visibles de qui peut ouvrir la situation ; chaque lecture est enregistrée au journal."""
    actor = request.actor
    situation = _situation(actor, public_id)
    situation_view_record(actor=actor, situation=situation, part="measures")
    return selectors.measures_of(situation)


@router.post(
    "/situations/{uuid:public_id}/measures",
    auth=member_auth(*SEEING_ROLES),
    response={201: MeasureOut, 400: ErrorOut, **DENIED, **NOT_FOUND},
    url_name="situation_measure_add",
    summary="Enregistrer une mesure de protection",
)
def measure_add(request: HttpRequest, public_id: UUID, payload: MeasureIn):
    """Enregistre une mesure. Réservé à la coordination et aux organisations qui suivent la situation
    (pas à un accès d'urgence). Dates incohérentes (fin avant le début, décision avant la demande, date de
    demande future) : 400 avec un message. Exige le droit d'écriture."""
    actor = request.actor
    situation = _situation(actor, public_id)
    measure = services.measure_record(actor=actor, situation=situation, **payload.dict())
    return Status(201, _answer(measure))


@router.put(
    "/situations/{uuid:public_id}/measures/{uuid:measure_id}",
    auth=member_auth(*SEEING_ROLES),
    response={200: MeasureOut, 400: ErrorOut, 409: ErrorOut, **DENIED, **NOT_FOUND},
    url_name="situation_measure",
    summary="Modifier une mesure de protection",
)
def measure_update(request: HttpRequest, public_id: UUID, measure_id: UUID, payload: MeasureUpdateIn):
    """Remplace les champs d'une mesure lue à la version `version`. L'état suit les étapes permises
    (demandée → en vigueur, refusée ou caduque ; en vigueur → terminée ou caduque) ; une mesure terminée,
    refusée ou caduque ne change plus. Version dépassée : 409, rien n'est changé. Exige le droit
    d'écriture."""
    actor = request.actor
    situation = _situation(actor, public_id)
    measure = policies.access_measure(actor, situation, measure_id)
    data = payload.dict()
    version = data.pop("version")
    measure = services.measure_update(actor=actor, measure=measure, version=version, **data)
    return _answer(measure)
