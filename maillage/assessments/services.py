"""Writes of the assessments app: loading grid versions, a territory's choice of grids, and assessing a
situation. Each runs in one transaction, checks the permission itself and writes its audit entry; the
situation's danger flags are set through the situations app's service (situations imports no feature)."""

from datetime import date
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.assessments import alerts, policies, scoring
from maillage.assessments.enums import Level
from maillage.assessments.loading import GridData
from maillage.assessments.models import Assessment, Grid, GridInUseError, GridQuestion, TerritoryGrid
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.situations import policies as situation_policies
from maillage.situations import services as situation_services
from maillage.situations.models import Situation

ALREADY_RECORDED = "Cette évaluation a déjà été enregistrée (double envoi du formulaire) : la voici."
LOWER_REFUSED = (
    "Seule la coordination peut retenir un niveau inférieur au niveau calculé, en motivant sa décision."
)


def _same_content(grid: Grid, data: GridData) -> bool:
    questions = [(q.number, q.block, q.text, q.red) for q in grid.questions.order_by("number")]
    return (
        grid.title,
        grid.source,
        grid.provisional,
        grid.high_at_yes,
        grid.high_at_red,
        grid.medium_at_yes,
    ) == (
        data.title,
        data.source,
        data.provisional,
        data.high_at_yes,
        data.high_at_red,
        data.medium_at_yes,
    ) and questions == [(q.number, q.block, q.text, q.red) for q in data.questions]


@transaction.atomic
def grid_load(*, actor, data: GridData, territory=None) -> tuple[Grid, bool]:
    """Loads one version of a grid (shipped when `territory` is None, else that territory's own); returns
    it and whether anything was written. Loading again the same content changes nothing. A version already
    used by an assessment is never edited (GridInUseError); a version not used yet is replaced. A newer
    version supersedes the current one, whose assessments keep pointing at it."""
    grid = (
        Grid.objects.select_for_update()
        .filter(territory=territory, code=data.code, version=data.version)
        .first()
    )
    if grid is not None and _same_content(grid, data):
        return grid, False
    if grid is not None and grid.in_use:
        raise GridInUseError
    fields = {
        "title": data.title,
        "source": data.source,
        "provisional": data.provisional,
        "high_at_yes": data.high_at_yes,
        "high_at_red": data.high_at_red,
        "medium_at_yes": data.medium_at_yes,
    }
    if grid is None:
        grid = Grid.objects.create(territory=territory, code=data.code, version=data.version, **fields)
    else:
        Grid.objects.filter(pk=grid.pk).update(**fields)
        grid.questions.all().delete()
    GridQuestion.objects.bulk_create(
        GridQuestion(grid=grid, number=q.number, block=q.block, text=q.text, red=q.red)
        for q in data.questions
    )
    audit.record(
        actor=actor,
        action=AuditAction.GRID_LOADED,
        obj=grid,
        territory=territory,
        changes={"code": data.code, "version": data.version, "questions": len(data.questions)},
    )
    older = Grid.objects.current().filter(territory=territory, code=data.code, version__lt=data.version)
    for previous in older:
        previous.superseded_by = grid
        previous.save()
        audit.record(
            actor=actor,
            action=AuditAction.GRID_SUPERSEDED,
            obj=previous,
            territory=territory,
            changes={"code": data.code, "version": [previous.version, data.version]},
        )
    newer = (
        Grid.objects.current().filter(territory=territory, code=data.code, version__gt=data.version).first()
    )
    if newer is not None and grid.superseded_by_id is None:
        grid.superseded_by = newer
        grid.save()
    return Grid.objects.get(pk=grid.pk), True


@transaction.atomic
def territory_grids_choose(*, actor: Actor, codes: list[str]) -> list[str]:
    """The grids the actor's territory assesses with (codes of shipped or own grids)."""
    if not policies.can_choose_grids(actor):
        raise PermissionDeniedError("Le choix des grilles d'évaluation revient à la coordination.")
    territory = actor.territory
    known = set(Grid.objects.filter(territory__isnull=True).values_list("code", flat=True)) | set(
        Grid.objects.filter(territory=territory).values_list("code", flat=True)
    )
    codes = sorted(set(codes))
    if not codes or not set(codes) <= known:
        raise DomainError("Choisissez au moins une grille parmi celles qui sont chargées.")
    TerritoryGrid.objects.filter(territory=territory).exclude(code__in=codes).delete()
    for code in codes:
        TerritoryGrid.objects.get_or_create(territory=territory, code=code)
    audit.record(
        actor=actor, action=AuditAction.TERRITORY_GRIDS_CHOSEN, territory=territory, changes={"codes": codes}
    )
    return codes


def _checked_answers(grid: Grid, answers: dict[int, bool]) -> dict[int, bool]:
    numbers = list(grid.questions.order_by("number").values_list("number", flat=True))
    unknown = set(answers) - set(numbers)
    if unknown:
        raise DomainError("Ces réponses ne correspondent à aucune question de la grille : rechargez la page.")
    missing = [str(n) for n in numbers if answers.get(n) is None]
    if missing:
        raise DomainError(f"Répondez à chaque question (sans réponse : {', '.join(missing)}).")
    return {n: bool(answers[n]) for n in numbers}


@transaction.atomic
def assessment_record(
    *,
    actor: Actor,
    situation: Situation,
    grid: Grid,
    answers: dict[int, bool],
    assessed_on: date | None = None,
    override_level: str = "",
    override_reason: str = "",
    submission: UUID | None = None,
) -> Assessment:
    """Records an assessment of the situation with one of its territory's current grids: every answer, the
    computed score and level, and a professional-judgement override with its reason. The situation's latest
    assessment sets its "danger grave" flag; when it becomes high-danger, it is proposed for the next
    coordination meeting and its coordination is alerted (once). `submission` (the form's one-time id) makes
    a double click record one assessment, the second told so (ConflictError)."""
    if not situation_policies.can_open(actor, situation):
        raise PermissionDeniedError
    situation = Situation.objects.select_for_update().get(pk=situation.pk)
    if not policies.can_assess(actor, situation):
        raise PermissionDeniedError(
            "Seules la coordination et les organisations qui suivent la situation, ouverte, "
            "peuvent évaluer le danger."
        )
    if submission is not None and Assessment.objects.filter(submission=submission).exists():
        raise ConflictError(ALREADY_RECORDED)
    if not Grid.objects.for_territory(situation.territory).filter(pk=grid.pk).exists():
        raise DomainError(
            "Cette grille n'est plus celle de votre territoire (une nouvelle version l'a remplacée) : "
            "rechargez le formulaire."
        )
    today = timezone.localdate()
    assessed_on = assessed_on or today
    if assessed_on > today:
        raise DomainError("La date de l'évaluation ne peut pas être dans le futur.")
    answers = _checked_answers(grid, answers)
    computed = scoring.score(
        thresholds=scoring.Thresholds(grid.high_at_yes, grid.high_at_red, grid.medium_at_yes),
        red_numbers=grid.questions.filter(red=True).values_list("number", flat=True),
        answers=answers,
    )
    override_reason = override_reason.strip()
    if override_level:
        if override_level not in Level.values:
            raise DomainError("Choisissez un niveau parmi ceux proposés.")
        if not override_reason:
            raise DomainError("Motivez le niveau retenu par jugement professionnel.")
        if scoring.lowers(computed.level, override_level) and not policies.can_lower_level(actor, situation):
            raise PermissionDeniedError(LOWER_REFUSED)
    elif override_reason:
        raise DomainError("Un motif n'a de sens qu'avec un niveau retenu par jugement professionnel.")
    assessment = Assessment.objects.create(
        situation=situation,
        grid=grid,
        assessor=actor.membership,
        assessed_on=assessed_on,
        answers={str(n): a for n, a in answers.items()},
        yes_count=computed.yes,
        red_count=computed.red,
        computed_level=computed.level,
        override_level=override_level,
        override_reason=override_reason,
        final_level=scoring.final_level(computed.level, override_level),
        submission=submission,
    )
    # The reason is free text (it may name people): the trail says only that there was one.
    audit.record(
        actor=actor,
        action=AuditAction.ASSESSMENT_RECORDED,
        obj=situation,
        changes={
            "assessment": str(assessment.public_id),
            "grid": f"{grid.code} v{grid.version}",
            "computed_level": computed.level,
            "final_level": assessment.final_level,
            "override": bool(override_level),
        },
    )
    latest = Assessment.objects.filter(situation=situation).order_by("-assessed_on", "-pk").first()
    if latest.pk == assessment.pk:
        became = situation_services.situation_danger_set(
            actor=actor, situation=situation, high_danger=assessment.is_danger
        )
        if became:
            alerts.danger_assessed(actor=actor, assessment=assessment)
    return assessment
