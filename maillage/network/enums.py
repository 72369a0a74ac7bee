from django.db import models


class Role(models.TextChoices):
    """The roles of DOMAIN.md §2. `platform_admin` is a user flag, never carried by a membership."""

    COORDINATOR = "coordinator", "Coordination"
    REFERENT = "referent", "Personne référente communale"
    PROFESSIONAL = "professional", "Intervention professionnelle"
    ORG_ADMIN = "org_admin", "Administration de l'organisation"
    HOUSING_MANAGER = "housing_manager", "Gestion de l'hébergement"
    OBSERVER = "observer", "Observation (statistiques)"
    DPO = "dpo", "Protection des données (DPO)"
    PLATFORM_ADMIN = "platform_admin", "Administration technique"


MEMBERSHIP_ROLES = [r for r in Role if r != Role.PLATFORM_ADMIN]
# Roles that open nominative data (situations, identities, housing addresses): a grant takes effect only when
# made or approved by the territory's coordinator (docs/decisions/0012-who-changes-roles.md).
NOMINATIVE_ROLES = frozenset({Role.PROFESSIONAL, Role.REFERENT, Role.HOUSING_MANAGER})
# Territory-wide powers: granted, changed and deactivated by the platform administrator only.
TERRITORY_WIDE_ROLES = frozenset({Role.COORDINATOR, Role.DPO})


class RoleChangeAction(models.TextChoices):
    GRANT = "grant", "Attribution du rôle"
    REMOVAL = "removal", "Retrait du rôle"
    DEACTIVATION = "deactivation", "Désactivation de l'adhésion"
    REACTIVATION = "reactivation", "Réactivation de l'adhésion"


class RoleChangeStatus(models.TextChoices):
    PENDING = "pending", "En attente de la coordination"
    APPROVED = "approved", "Approuvée par la coordination"
    REFUSED = "refused", "Refusée par la coordination"
    CANCELLED = "cancelled", "Annulée"
    APPLIED = "applied", "Appliquée"


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
    ELECTED = "elected", "Membre du conseil municipal"
    AGENT = "agent", "Agent"


class ApiTokenScope(models.TextChoices):
    READ = "read", "Lecture seule"
    WRITE = "write", "Lecture et écriture"
