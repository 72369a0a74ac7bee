"""The plan's services: the status machine, validation with clear French messages, the version check, a
second submission found, the lead organisation's limits, and an audit entry for each write."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.actionplan import services
from maillage.actionplan.enums import DEFAULT_AXES, ActionStatus, ContributionKind
from maillage.actionplan.models import Action, Axis, Contribution, ProgressUpdate
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError

pytestmark = pytest.mark.django_db
S = ActionStatus
K = ContributionKind


def entries(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def today():
    return timezone.localdate()


def test_the_contract_axes_are_created_once(plan):
    axes = Axis.objects.filter(territory=plan.territory).order_by("number")
    assert [a.title for a in axes] == list(DEFAULT_AXES)
    assert entries(AuditAction.ACTION_PLAN_AXIS_SAVED) == 14  # 7 here, 7 in the other territory
    again = services.axes_create_default(actor=plan.actor("coordinator"))
    assert [a.pk for a in again] == [a.pk for a in axes]
    assert entries(AuditAction.ACTION_PLAN_AXIS_SAVED) == 14
    with pytest.raises(PermissionDeniedError):
        services.axes_create_default(actor=plan.actor("gendarme"))


def test_axes_added_renamed_and_removed_only_when_empty(plan):
    coordinator = plan.actor("coordinator")
    axis = services.axis_create(actor=coordinator, title="Former les élus")
    assert axis.number == 8
    with pytest.raises(services.AlreadyRecorded) as already:
        services.axis_create(actor=coordinator, title="former les élus")
    assert already.value.existing == axis
    services.axis_update(actor=coordinator, axis=axis, title="Former les élus et les agents")
    with pytest.raises(DomainError, match="Un autre axe porte déjà cet intitulé"):
        services.axis_update(actor=coordinator, axis=axis, title=DEFAULT_AXES[0])
    with pytest.raises(DomainError, match="porte des actions"):
        services.axis_remove(actor=coordinator, axis=plan.axes[0])
    services.axis_remove(actor=coordinator, axis=axis)
    assert not Axis.objects.filter(pk=axis.pk).exists()
    with pytest.raises(PermissionDeniedError):
        services.axis_create(actor=plan.actor("observer"), title="Un axe")


def test_an_action_is_created_with_its_partners_and_audited(plan):
    action = plan.action("gendarmerie")
    assert action.status == S.PLANNED and action.version == 1
    assert set(action.partners.all()) == {plan.cidff, plan.ccas}
    entry = AuditEntry.objects.filter(
        action=AuditAction.ACTION_CREATED, object_public_id=action.public_id
    ).get()
    assert entry.changes["lead_organisation"] == plan.gendarmerie.name
    assert entry.changes["partners"] == sorted([plan.cidff.name, plan.ccas.name])


def test_an_action_form_sent_twice_creates_one_action(plan):
    coordinator = plan.actor("coordinator")
    values = {"axis": plan.axes[1], "title": "Protocole avec le Parquet", "lead_organisation": plan.epci}
    first = services.action_create(actor=coordinator, **values)
    with pytest.raises(services.AlreadyRecorded) as already:
        services.action_create(actor=coordinator, **values)
    assert already.value.existing == first
    assert Action.objects.filter(title="Protocole avec le Parquet").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "Indiquez l'intitulé de l'action."),
        ({"ends_on": "before"}, "La fin prévue de l'action ne peut pas précéder son début."),
        ({"lead_organisation": "elsewhere"}, "Choisissez l'organisation pilote parmi celles du territoire."),
        ({"partners": "elsewhere"}, "Choisissez les partenaires parmi les organisations du territoire."),
        ({"axis": "elsewhere"}, "Choisissez un axe du plan d'action de votre territoire."),
    ],
)
def test_action_values_are_checked(plan, changes, message):
    from maillage.network.models import Organisation

    elsewhere = Organisation.objects.get(name="Communauté de communes du Pays de Pouzauges")
    replace = {
        "before": today() - datetime.timedelta(days=1),
        "elsewhere": {"lead_organisation": elsewhere, "partners": [elsewhere]}.get(next(iter(changes)))
        or Axis.objects.filter(territory=plan.elsewhere).first(),
    }
    values = {
        "axis": plan.axes[0],
        "title": "Une action",
        "lead_organisation": plan.cidff,
        "starts_on": today(),
    }
    values.update(
        {
            name: replace.get(value, value) if isinstance(value, str) else value
            for name, value in changes.items()
        }
    )
    with pytest.raises(DomainError) as error:
        services.action_create(actor=plan.actor("coordinator"), **values)
    assert error.value.message == message
    assert not Action.objects.filter(title="Une action").exists()


def test_the_lead_is_not_its_own_partner(plan):
    action = services.action_create(
        actor=plan.actor("coordinator"),
        axis=plan.axes[0],
        title="Affiches du 3919 dans les pharmacies",
        lead_organisation=plan.cidff,
        partners=[plan.cidff, plan.hospital],
    )
    assert list(action.partners.all()) == [plan.hospital]


def test_only_the_coordinator_of_the_territory_creates_or_edits(plan):
    values = {"axis": plan.axes[0], "title": "X", "lead_organisation": plan.gendarmerie}
    for name in ("gendarme", "org_admin", "observer", "dpo"):
        with pytest.raises(PermissionDeniedError):
            services.action_create(actor=plan.actor(name), **values)
    # Another territory's coordinator edits her own plan: this territory's axis is not one of hers.
    with pytest.raises(DomainError, match="Choisissez un axe du plan d'action de votre territoire."):
        services.action_create(actor=plan.actor("coordinator_elsewhere"), **values)
    action = plan.action("gendarmerie")
    for name in ("gendarme", "org_admin", "coordinator_elsewhere"):
        with pytest.raises(PermissionDeniedError):
            services.action_update(actor=plan.actor(name), action=action, version=1, title="Autre")


def test_update_checks_the_version_and_records_what_changed(plan):
    coordinator = plan.actor("coordinator")
    action = plan.action("gendarmerie")
    services.action_update(
        actor=coordinator, action=action, version=1, status=S.IN_PROGRESS, partners=[plan.cidff]
    )
    action = plan.action("gendarmerie")
    assert (action.status, action.version, list(action.partners.all())) == (S.IN_PROGRESS, 2, [plan.cidff])
    entry = AuditEntry.objects.filter(action=AuditAction.ACTION_UPDATED).get()
    assert entry.changes["status"] == [S.PLANNED, S.IN_PROGRESS]
    assert entry.changes["partners"] == [sorted([plan.cidff.name, plan.ccas.name]), [plan.cidff.name]]
    with pytest.raises(ConflictError, match="Quelqu'un a modifié cette action") as conflict:
        services.action_update(actor=coordinator, action=action, version=1, title="Écrasé")
    assert "« En cours »" in conflict.value.message
    assert plan.action("gendarmerie").title == "Former les agents d'accueil au repérage"
    # Nothing changed: no new version, no entry.
    services.action_update(actor=coordinator, action=action, version=2, title=action.title)
    assert plan.action("gendarmerie").version == 2
    assert entries(AuditAction.ACTION_UPDATED) == 1


def test_the_status_machine(plan):
    assert services.TRANSITIONS[S.DONE] == {S.IN_PROGRESS}
    coordinator = plan.actor("coordinator")
    action = plan.action("cidff")
    services.action_update(actor=coordinator, action=action, version=1, status=S.DONE)
    with pytest.raises(DomainError, match="Une action « Réalisée » ne peut pas passer à « Reportée »."):
        services.action_update(actor=coordinator, action=plan.action("cidff"), version=2, status=S.POSTPONED)
    # Reopening is the coordination's: the lead may not.
    with pytest.raises(PermissionDeniedError, match="Seule la coordination peut rouvrir"):
        services.progress_record(
            actor=plan.actor("cidff"),
            action=plan.action("cidff"),
            written_on=today(),
            text="On reprend.",
            status=S.IN_PROGRESS,
        )
    assert services.statuses_open_to(plan.actor("cidff"), plan.action("cidff")) == [S.DONE]
    assert services.statuses_open_to(coordinator, plan.action("cidff")) == [S.DONE, S.IN_PROGRESS]
    services.action_update(actor=coordinator, action=plan.action("cidff"), version=2, status=S.IN_PROGRESS)
    assert plan.action("cidff").status == S.IN_PROGRESS


def test_a_progress_update_by_the_lead_moves_the_status(plan):
    gendarme = plan.actor("gendarme")
    update = services.progress_record(
        actor=gendarme,
        action=plan.action("gendarmerie"),
        written_on=today() - datetime.timedelta(days=2),
        text="Deux sessions programmées avec le CIDFF.",
        status=S.IN_PROGRESS,
    )
    action = plan.action("gendarmerie")
    assert (action.status, action.version, update.status, update.author) == (
        S.IN_PROGRESS,
        2,
        S.IN_PROGRESS,
        plan["gendarme"],
    )
    entry = AuditEntry.objects.filter(action=AuditAction.ACTION_PROGRESS_RECORDED).get()
    assert entry.changes["status"] == [S.PLANNED, S.IN_PROGRESS]
    assert "Deux sessions" not in str(entry.changes)
    # The same update sent again is found, not recorded twice.
    with pytest.raises(services.AlreadyRecorded):
        services.progress_record(
            actor=gendarme,
            action=action,
            written_on=update.written_on,
            text=update.text,
            status=S.IN_PROGRESS,
        )
    assert ProgressUpdate.objects.filter(action=action).count() == 1


@pytest.mark.parametrize(
    ("days", "text", "message"),
    [
        (-1, "Demain", "La date du point d'avancement ne peut pas être dans le futur."),
        (0, "   ", "Indiquez ce qui a été fait."),
    ],
)
def test_progress_values_are_checked(plan, days, text, message):
    with pytest.raises(DomainError) as error:
        services.progress_record(
            actor=plan.actor("gendarme"),
            action=plan.action("gendarmerie"),
            written_on=today() - datetime.timedelta(days=days),
            text=text,
        )
    assert error.value.message == message
    assert not ProgressUpdate.objects.exists()


def test_progress_refused_to_readers_and_other_organisations(plan):
    for name in ("cidff", "observer", "dpo", "gendarmerie_observer", "gendarme_elsewhere", "ccas"):
        with pytest.raises(PermissionDeniedError):
            services.progress_record(
                actor=plan.actor(name), action=plan.action("gendarmerie"), written_on=today(), text="Fait."
            )


def test_indicators_targets_for_the_coordinator_actuals_for_the_lead(plan):
    coordinator, gendarme = plan.actor("coordinator"), plan.actor("gendarme")
    action = plan.action("gendarmerie")
    indicator = services.indicator_create(
        actor=coordinator, action=action, label="Agents formés", unit="personnes", target=Decimal(40)
    )
    with pytest.raises(services.AlreadyRecorded):
        services.indicator_create(actor=coordinator, action=action, label="agents formés")
    with pytest.raises(PermissionDeniedError):
        services.indicator_create(actor=gendarme, action=action, label="Autre")
    services.indicator_update(actor=gendarme, indicator=indicator, actual=Decimal(12))
    with pytest.raises(PermissionDeniedError, match="Seule la coordination peut changer"):
        services.indicator_update(actor=gendarme, indicator=indicator, target=Decimal(10))
    with pytest.raises(PermissionDeniedError):
        services.indicator_update(actor=plan.actor("cidff"), indicator=indicator, actual=Decimal(50))
    with pytest.raises(DomainError, match="La cible doit être positif ou nul."):
        services.indicator_update(actor=coordinator, indicator=indicator, target=Decimal(-1))
    indicator.refresh_from_db()
    assert (indicator.target, indicator.actual) == (Decimal(40), Decimal(12))
    with pytest.raises(PermissionDeniedError):
        services.indicator_remove(actor=gendarme, indicator=indicator)
    services.indicator_remove(actor=coordinator, indicator=indicator)
    assert not action.indicators.exists()
    assert entries(AuditAction.ACTION_FIGURES_CHANGED) == 3


def test_budget_lines_are_the_coordinators(plan):
    coordinator = plan.actor("coordinator")
    action = plan.action("gendarmerie")
    year = today().year
    line = services.budget_line_create(
        actor=coordinator, action=action, year=year, label="Intervenants", planned=Decimal("1500")
    )
    with pytest.raises(services.AlreadyRecorded):
        services.budget_line_create(
            actor=coordinator, action=action, year=year, label="intervenants", planned=1
        )
    with pytest.raises(DomainError, match="Indiquez une année entre 2000 et"):
        services.budget_line_create(actor=coordinator, action=action, year=1990, label="Vieux", planned=1)
    with pytest.raises(PermissionDeniedError):
        services.budget_line_create(
            actor=plan.actor("gendarme"), action=action, year=year, label="X", planned=1
        )
    services.budget_line_update(actor=coordinator, line=line, spent=Decimal("1200.50"))
    line.refresh_from_db()
    assert line.spent == Decimal("1200.50")
    services.budget_line_remove(actor=coordinator, line=line)
    assert not action.budget_lines.exists()


@pytest.mark.parametrize(
    ("kind", "values", "message"),
    [
        (K.MONEY, {}, "Indiquez le montant."),
        (K.MONEY, {"amount": 500, "hours": 3}, "Les heures ne s'indiquent que pour du temps de personnel."),
        (K.STAFF_HOURS, {}, "Indiquez le nombre d'heures."),
        (
            K.STAFF_HOURS,
            {"hours": 10, "amount": 300},
            "Le temps de personnel se compte en heures : laissez le montant vide.",
        ),
        (K.PREMISES, {"amount": 200}, "Indiquez la description."),
        (K.IN_KIND, {}, "Indiquez la description."),
        (K.MONEY, {"amount": 0}, "Le montant doit être positif."),
    ],
)
def test_contributions_need_what_their_kind_counts(plan, kind, values, message):
    with pytest.raises(DomainError) as error:
        services.contribution_create(
            actor=plan.actor("coordinator"),
            action=plan.action("gendarmerie"),
            organisation=plan.cidff,
            year=today().year,
            kind=kind,
            **values,
        )
    assert error.value.message == message
    assert not Contribution.objects.exists()


def test_contributions_of_each_kind_and_the_leads_own(plan):
    coordinator, gendarme = plan.actor("coordinator"), plan.actor("gendarme")
    action = plan.action("gendarmerie")
    year = today().year
    services.contribution_create(
        actor=coordinator,
        action=action,
        organisation=plan.epci,
        year=year,
        kind=K.MONEY,
        amount=Decimal(2000),
    )
    services.contribution_create(
        actor=coordinator,
        action=action,
        organisation=plan.ccas,
        year=year,
        kind=K.PREMISES,
        description="Salle du CCAS, 4 demi-journées",
    )
    own = services.contribution_create(
        actor=gendarme, action=action, organisation=plan.gendarmerie, year=year, kind=K.STAFF_HOURS, hours=24
    )
    with pytest.raises(services.AlreadyRecorded):
        services.contribution_create(
            actor=gendarme,
            action=action,
            organisation=plan.gendarmerie,
            year=year,
            kind=K.STAFF_HOURS,
            hours=24,
        )
    with pytest.raises(PermissionDeniedError, match="celles des autres partenaires, la coordination"):
        services.contribution_create(
            actor=gendarme, action=action, organisation=plan.cidff, year=year, kind=K.STAFF_HOURS, hours=5
        )
    other = Contribution.objects.get(organisation=plan.epci)
    with pytest.raises(PermissionDeniedError):
        services.contribution_update(actor=gendarme, contribution=other, amount=Decimal(1))
    with pytest.raises(PermissionDeniedError):
        services.contribution_update(actor=gendarme, contribution=own, organisation=plan.cidff)
    services.contribution_update(actor=gendarme, contribution=own, hours=Decimal(30))
    own.refresh_from_db()
    assert own.hours == Decimal(30) and own.recorded_by == plan["gendarme"]
    services.contribution_remove(actor=gendarme, contribution=own)
    assert set(action.contributions.values_list("organisation__name", flat=True)) == {
        plan.epci.name,
        plan.ccas.name,
    }
    assert entries(AuditAction.ACTION_FIGURES_CHANGED) == 5


def test_the_dpo_reads_the_entries_by_the_actions_title(plan):
    from maillage.audit.dpo.labels import find_objects, label_entries

    action = plan.action("cidff")
    found = AuditEntry.objects.filter(object_public_id=action.public_id)
    label_entries(found, plan.territory.pk)
    assert {entry.object_label for entry in found} == {"Action « Permanences juridiques dans les mairies »"}
    assert find_objects(plan.territory.pk, "permanences juridiques dans les mairies") == [action.public_id]
    assert find_objects(plan.elsewhere.pk, "Permanences juridiques dans les mairies") == []
