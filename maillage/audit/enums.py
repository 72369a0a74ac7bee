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
    ACCOUNT_INVITATION_RESENT = "account.invitation_resent", "Invitation renvoyée"
    ACCOUNT_ACTIVATED = "account.activated", "Compte réactivé"
    ACCOUNT_DEACTIVATED = "account.deactivated", "Compte désactivé"
    ACCOUNT_ADMIN_FLAGS_CHANGED = (
        "account.admin_flags_changed",
        "Droits d'administration d'un compte modifiés",
    )
    API_TOKEN_CREATED = "api_token.created", "Jeton d'API créé"
    API_TOKEN_REVOKED = "api_token.revoked", "Jeton d'API révoqué"
    ORGANISATION_CREATED = "organisation.created", "Organisation créée"
    ORGANISATION_UPDATED = "organisation.updated", "Organisation modifiée"
    MEMBERSHIP_INVITED = "membership.invited", "Invitation d'un membre"
    MEMBERSHIP_ROLES_CHANGED = "membership.roles_changed", "Rôles d'un membre modifiés"
    MEMBERSHIP_UPDATED = "membership.updated", "Fiche d'un membre modifiée"
    MEMBERSHIP_ACTIVATED = "membership.activated", "Adhésion réactivée"
    MEMBERSHIP_DEACTIVATED = "membership.deactivated", "Adhésion désactivée"
    REFERENT_APPOINTED = "referent.appointed", "Personne référente communale nommée"
    REFERENT_REVOKED = "referent.revoked", "Fin de mission d'une personne référente communale"
    ROLE_CHANGE_REQUESTED = "role_change.requested", "Rôle demandé (en attente de la coordination)"
    ROLE_CHANGE_APPROVED = "role_change.approved", "Demande de rôle approuvée"
    ROLE_CHANGE_REFUSED = "role_change.refused", "Demande de rôle refusée"
    ROLE_CHANGE_CANCELLED = "role_change.cancelled", "Demande de rôle annulée"
    TERRITORY_IMPORTED = "territory.imported", "Territoire importé"
    AUDIT_VERIFIED = "audit.verified", "Intégrité du journal vérifiée"
    KEYS_CREATED = "privacy.keys_created", "Nouvelles clés de chiffrement"
    VALUES_REENCRYPTED = "privacy.values_reencrypted", "Données rechiffrées (rotation des clés)"
    KEY_RETIRED = "privacy.key_retired", "Ancienne clé de chiffrement retirée"
    BACKUP_CREATED = "backup.created", "Sauvegarde complète de la base"
    BACKUP_RESTORED = "backup.restored", "Base restaurée depuis une sauvegarde"
    SITUATION_REPORTED = "situation.reported", "Situation signalée"
    SITUATION_UPDATED = "situation.updated", "Situation modifiée"
    SITUATION_VIEWED = "situation.viewed", "Situation consultée"
    SITUATION_IDENTITY_VIEWED = "situation.identity_viewed", "Identités d'une situation consultées"
    SITUATION_NAME_SEARCHED = "situation.name_searched", "Recherche de situations par nom"
    SITUATION_CLOSED = "situation.closed", "Situation clôturée"
    SITUATION_REOPENED = "situation.reopened", "Situation rouverte"
    SITUATION_RESTRICTED = "situation.restricted", "Accès à une situation restreint"
    SITUATION_UNRESTRICTED = "situation.unrestricted", "Restriction d'accès levée"
    PARTICIPANT_ADDED = "situation.participant_added", "Organisation ajoutée au suivi"
    PARTICIPANT_REMOVED = "situation.participant_removed", "Organisation retirée du suivi"
    SITUATION_REFERENT_ASSIGNED = "situation.referent_assigned", "Personne référente d'une situation désignée"
    EXCLUSION_ADDED = "situation.exclusion_added", "Personne écartée d'une situation (conflit d'intérêts)"
    EXCLUSION_REMOVED = "situation.exclusion_removed", "Fin d'une mise à l'écart"
    PERSON_ADDED = "situation.person_added", "Personne ajoutée à une situation"
    PERSON_UPDATED = "situation.person_updated", "Personne d'une situation modifiée"
    CONSENT_RECORDED = "situation.consent_recorded", "Consentement enregistré"
    SAFE_CONTACT_SET = "situation.safe_contact_set", "Moyen de contact sûr enregistré"
    TIMELINE_ADDED = "situation.timeline_added", "Note ou contact ajouté"
    TASK_ADDED = "situation.task_added", "Tâche ajoutée"
    TASK_DONE = "situation.task_done", "Tâche terminée"
    EMERGENCY_ACCESS_GRANTED = "situation.emergency_access", "Accès d'urgence (bris de glace)"
    EMERGENCY_ACCESS_REVIEWED = "situation.emergency_access_reviewed", "Accès d'urgence examiné"
    MEETING_ACCESS_OPENED = (
        "situation.meeting_access_opened",
        "Accès ouvert pendant la cellule de suivi",
    )
    MEETING_ACCESS_CLOSED = "situation.meeting_access_closed", "Fin de l'accès de la cellule de suivi"
    REFERRAL_PROPOSED = "referral.proposed", "Orientation proposée à une organisation"
    REFERRAL_ACCEPTED = "referral.accepted", "Orientation acceptée"
    REFERRAL_DECLINED = "referral.declined", "Orientation refusée"
    REFERRAL_DONE = "referral.done", "Orientation réalisée"
    REFERRAL_CANCELLED = "referral.cancelled", "Orientation annulée"
    REFERRAL_FLAGGED = "referral.flagged", "Orientation restée sans réponse signalée"
    SITUATION_DANGER_SET = "situation.danger_set", "Danger grave d'une situation mis à jour"
    ASSESSMENT_RECORDED = "assessment.recorded", "Évaluation du danger enregistrée"
    GRID_LOADED = "assessment.grid_loaded", "Grille d'évaluation du danger chargée"
    GRID_SUPERSEDED = "assessment.grid_superseded", "Grille d'évaluation remplacée par une nouvelle version"
    TERRITORY_GRIDS_CHOSEN = (
        "assessment.territory_grids_chosen",
        "Grilles d'évaluation du territoire choisies",
    )
    MEASURE_RECORDED = "protection.measure_recorded", "Mesure de protection enregistrée"
    MEASURE_UPDATED = "protection.measure_updated", "Mesure de protection modifiée"
    HOUSING_UNIT_CREATED = "housing.unit_created", "Logement d'urgence ajouté"
    HOUSING_UNIT_UPDATED = "housing.unit_updated", "Logement d'urgence modifié"
    HOUSING_ADDRESS_REVEALED = "housing.address_revealed", "Adresse d'un logement d'urgence affichée"
    STAY_REQUESTED = "housing.stay_requested", "Hébergement demandé"
    STAY_REQUEST_WAITLISTED = (
        "housing.stay_request_waitlisted",
        "Demande d'hébergement mise en liste d'attente",
    )
    STAY_REQUEST_REFUSED = "housing.stay_request_refused", "Demande d'hébergement refusée"
    STAY_REQUEST_CANCELLED = "housing.stay_request_cancelled", "Demande d'hébergement annulée"
    STAY_ALLOCATED = "housing.stay_allocated", "Logement attribué (séjour prévu)"
    STAY_CHECKED_IN = "housing.stay_checked_in", "Arrivée dans le logement enregistrée"
    STAY_EXTENDED = "housing.stay_extended", "Séjour prolongé ou raccourci"
    STAY_CHECKED_OUT = "housing.stay_checked_out", "Départ du logement enregistré"
    STAY_CANCELLED = "housing.stay_cancelled", "Séjour annulé"
    MEETING_GROUP_MEMBER_ADDED = "meeting.group_member_added", "Membre ajouté à la cellule de suivi"
    MEETING_GROUP_MEMBER_REMOVED = "meeting.group_member_removed", "Membre retiré de la cellule de suivi"
    CHARTER_PUBLISHED = "meeting.charter_published", "Charte de confidentialité publiée"
    CHARTER_ACCEPTED = "meeting.charter_accepted", "Charte de confidentialité acceptée"
    MEETING_SCHEDULED = "meeting.scheduled", "Réunion de la cellule de suivi programmée"
    MEETING_UPDATED = "meeting.updated", "Réunion de la cellule de suivi modifiée"
    MEETING_CANCELLED = "meeting.cancelled", "Réunion de la cellule de suivi annulée"
    MEETING_AGENDA_CHANGED = "meeting.agenda_changed", "Ordre du jour de la cellule de suivi modifié"
    MEETING_OPENED = "meeting.opened", "Réunion de la cellule de suivi ouverte"
    MEETING_CLOSED = "meeting.closed", "Réunion de la cellule de suivi close"
    MEETING_ATTENDANCE_RECORDED = "meeting.attendance_recorded", "Présences à la cellule de suivi"
    MEETING_ITEM_RECORDED = "meeting.item_recorded", "Situation examinée en cellule de suivi"
    MINUTES_DRAFTED = "meeting.minutes_drafted", "Compte rendu de la cellule de suivi préparé"
    MINUTES_REVIEWED = "meeting.minutes_reviewed", "Remplacements du compte rendu relus"
    MINUTES_FINALISED = "meeting.minutes_finalised", "Compte rendu de la cellule de suivi validé"
    MINUTES_EXPORTED = "meeting.minutes_exported", "Compte rendu de la cellule de suivi téléchargé (PDF)"
    ACTION_PLAN_AXIS_SAVED = "actionplan.axis_saved", "Axe du plan d'action enregistré"
    ACTION_CREATED = "actionplan.action_created", "Action du plan d'action créée"
    ACTION_UPDATED = "actionplan.action_updated", "Action du plan d'action modifiée"
    ACTION_PROGRESS_RECORDED = "actionplan.progress_recorded", "Point d'avancement d'une action"
    ACTION_FIGURES_CHANGED = (
        "actionplan.figures_changed",
        "Indicateurs, budget ou contributions d'une action modifiés",
    )
    PREVENTION_EVENT_RECORDED = "prevention.event_recorded", "Action de prévention enregistrée"
    PREVENTION_EVENT_UPDATED = "prevention.event_updated", "Action de prévention modifiée"
    PREVENTION_EVENT_DELETED = "prevention.event_deleted", "Action de prévention supprimée"
    TRAINING_RECORDED = "prevention.training_recorded", "Formation enregistrée"
    TRAINING_UPDATED = "prevention.training_updated", "Formation modifiée"
    TRAINING_DELETED = "prevention.training_deleted", "Formation supprimée"
    SPREADSHEET_IMPORTED = "spreadsheet.imported", "Tableur importé"
    SPREADSHEET_EXPORTED = "spreadsheet.exported", "Tableur exporté"
    STATISTICS_THRESHOLD_CHANGED = (
        "statistics.threshold_changed",
        "Seuil de diffusion des statistiques modifié",
    )
    STATISTICS_REPORT_EXPORTED = "statistics.report_exported", "Rapport annuel téléchargé (PDF)"
    OPEN_DATA_EXPORTED = "statistics.open_data_exported", "Données ouvertes des statistiques téléchargées"
