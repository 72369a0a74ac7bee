from django.db import models


class AuditAction(models.TextChoices):
    """Every action the trail may hold, with its French label for the DPO's page.

    `audit.record()` refuses an action missing here: a new feature adds its actions (and labels) first.
    """

    LOGIN = "auth.login", "Connexion"
    LOGIN_FAILED = "auth.login_failed", "Échec de connexion (mot de passe)"
    MFA_FAILED = "auth.mfa_failed", "Code de double authentification refusé"
    LOGOUT = "auth.logout", "Déconnexion"
    PASSWORD_CHANGED = "auth.password_changed", "Mot de passe modifié"
    PASSWORD_SET = "auth.password_set", "Mot de passe défini"
    PASSWORD_RESET = "auth.password_reset", "Mot de passe réinitialisé"
    TOTP_ADDED = "mfa.totp_added", "Application d'authentification ajoutée"
    TOTP_REMOVED = "mfa.totp_removed", "Application d'authentification retirée"
    RECOVERY_CODES_ADDED = "mfa.recovery_codes_added", "Codes de secours créés"
    RECOVERY_CODES_RESET = "mfa.recovery_codes_reset", "Codes de secours renouvelés"
    RECOVERY_CODES_REMOVED = "mfa.recovery_codes_removed", "Codes de secours supprimés"
    WEBAUTHN_ADDED = "mfa.webauthn_added", "Clé de sécurité ajoutée"
    WEBAUTHN_REMOVED = "mfa.webauthn_removed", "Clé de sécurité retirée"
    ACCOUNT_CREATED = "account.created", "Compte créé"
    ACCOUNT_ACTIVATED = "account.activated", "Compte réactivé"
    ACCOUNT_DEACTIVATED = "account.deactivated", "Compte désactivé"
    API_TOKEN_CREATED = "api_token.created", "Jeton d'API créé"
    API_TOKEN_REVOKED = "api_token.revoked", "Jeton d'API révoqué"
    ORGANISATION_CREATED = "organisation.created", "Organisation créée"
    ORGANISATION_UPDATED = "organisation.updated", "Organisation modifiée"
    MEMBERSHIP_INVITED = "membership.invited", "Membre invité·e"
    MEMBERSHIP_ROLES_CHANGED = "membership.roles_changed", "Rôles d'un membre modifiés"
    MEMBERSHIP_UPDATED = "membership.updated", "Fiche d'un membre modifiée"
    MEMBERSHIP_ACTIVATED = "membership.activated", "Adhésion réactivée"
    MEMBERSHIP_DEACTIVATED = "membership.deactivated", "Adhésion désactivée"
    REFERENT_APPOINTED = "referent.appointed", "Référent·e communal·e nommé·e"
    REFERENT_REVOKED = "referent.revoked", "Fin de mission d'un·e référent·e communal·e"
    TERRITORY_IMPORTED = "territory.imported", "Territoire importé"
    AUDIT_VERIFIED = "audit.verified", "Intégrité du journal vérifiée"
    KEYS_CREATED = "privacy.keys_created", "Nouvelles clés de chiffrement"
    VALUES_REENCRYPTED = "privacy.values_reencrypted", "Données rechiffrées (rotation des clés)"
    KEY_RETIRED = "privacy.key_retired", "Ancienne clé de chiffrement retirée"
