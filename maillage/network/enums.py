from django.db import models


class Role(models.TextChoices):
    """The roles of DOMAIN.md §2. `platform_admin` is a user flag, never carried by a membership."""

    COORDINATOR = "coordinator", "Coordination"
    REFERENT = "referent", "Référent·e communal·e"
    PROFESSIONAL = "professional", "Professionnel·le"
    ORG_ADMIN = "org_admin", "Administration de l'organisation"
    HOUSING_MANAGER = "housing_manager", "Gestion de l'hébergement"
    OBSERVER = "observer", "Observation (statistiques)"
    DPO = "dpo", "Délégué·e à la protection des données"
    PLATFORM_ADMIN = "platform_admin", "Administration technique"


MEMBERSHIP_ROLES = [r for r in Role if r != Role.PLATFORM_ADMIN]
# Roles an organisation's admin may hand out. Territory-wide powers (coordination, DPO) are given by the
# platform administrator; the referent role follows the coordinator's appointments to communes.
ORG_ADMIN_GRANTABLE_ROLES = [Role.PROFESSIONAL, Role.ORG_ADMIN, Role.HOUSING_MANAGER, Role.OBSERVER]


class OrganisationKind(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", "Forces de l'ordre"
    JUSTICE = "justice", "Justice"
    HEALTH = "health", "Santé"
    SOCIAL = "social", "Action sociale"
    ASSOCIATION = "association", "Association d'aide aux victimes"
    LOCAL_AUTHORITY = "local_authority", "Collectivité"
    HOUSING = "housing", "Logement et hébergement"
    EDUCATION = "education", "Éducation"
    STATE = "state", "Services de l'État"
    FUNDER = "funder", "Financeur"


class ReferentKind(models.TextChoices):
    ELECTED = "elected", "Élu·e"
    AGENT = "agent", "Agent"
