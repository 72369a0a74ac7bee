from django.db import models


class SituationStatus(models.TextChoices):
    NEW = "new", "Nouvelle"
    FOLLOWED = "followed", "Suivie"
    CLOSED = "closed", "Clôturée"


class ClosureReason(models.TextChoices):
    RESOLVED = "resolved", "Situation apaisée, plus de suivi nécessaire"
    MOVED_AWAY = "moved_away", "Départ du territoire"
    HANDED_OVER = "handed_over", "Relais pris par un service hors réseau"
    REFUSED = "refused", "La victime ne souhaite plus d'accompagnement"
    NO_CONTACT = "no_contact", "Aucun contact possible"
    DUPLICATE = "duplicate", "Doublon d'une autre situation"
    OTHER = "other", "Autre motif"


class DetectionSource(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", "Forces de l'ordre"
    ISCG = "iscg", "Intervention sociale en commissariat ou gendarmerie (ISCG)"
    HEALTH = "health", "Santé"
    SOCIAL_SERVICES = "social_services", "Services sociaux"
    SCHOOL = "school", "Établissement scolaire"
    MAYOR_AGENT = "mayor_agent", "Maire ou agent communal"
    ASSOCIATION = "association", "Association"
    VICTIM = "victim", "La victime elle-même"
    RELATIVE = "relative", "Un proche"


class ViolenceType(models.TextChoices):
    PHYSICAL = "physical", "Physiques"
    PSYCHOLOGICAL = "psychological", "Psychologiques"
    SEXUAL = "sexual", "Sexuelles"
    ECONOMIC = "economic", "Économiques"
    ADMINISTRATIVE = "administrative", "Administratives"
    CYBER = "cyber", "Cyberviolences"
    CHILDREN_EXPOSED = "children_exposed", "Enfants exposés"


class PersonRole(models.TextChoices):
    VICTIM = "victim", "Victime"
    CHILD = "child", "Enfant"
    PERPETRATOR = "perpetrator", "Auteur présumé"


class Sex(models.TextChoices):
    FEMALE = "female", "Femme"
    MALE = "male", "Homme"
    OTHER = "other", "Autre"
    UNKNOWN = "unknown", "Non renseigné"


class ParticipationReason(models.TextChoices):
    REPORTER = "reporter", "A signalé la situation"
    REFERRAL = "referral", "A accepté une orientation"
    ADDED = "added", "Ajoutée par la coordination"


class LegalGround(models.TextChoices):
    """Why an organisation may receive information about the situation."""

    CONSENT = "consent", "Consentement de la victime"
    IMMEDIATE_DANGER = "immediate_danger", "Danger immédiat (partage sans consentement)"
    # The organisation that detected the situation holds its own information (its mission), without sharing.
    OWN_MISSION = "own_mission", "Information propre de l'organisation qui a repéré la situation"


class ConsentAnswer(models.TextChoices):
    GIVEN = "given", "La victime accepte le partage"
    REFUSED = "refused", "La victime refuse le partage"
    NOT_ASKED = "not_asked", "Impossible de lui demander (danger immédiat)"


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Appel téléphonique"
    SMS = "sms", "SMS"
    VOICEMAIL = "voicemail", "Message vocal"
    EMAIL = "email", "Courriel"
    POST = "post", "Courrier postal"


class NoteVisibility(models.TextChoices):
    ORGANISATION = "organisation", "Mon organisation seulement"
    PARTICIPANTS = "participants", "Les organisations qui suivent la situation"
    COORDINATION = "coordination", "La coordination et la personne référente"


# What the form offers, narrowest first, each level saying who reads it (policies.TimelineQuerySet), and the
# badge of an entry. The model's choices keep their first labels: changing them would need a migration.
NOTE_VISIBILITY_CHOICES = [
    (NoteVisibility.ORGANISATION, "Mon organisation seulement — le plus restreint"),
    (
        NoteVisibility.COORDINATION,
        "Mon organisation, la coordination et les personnes référentes de la situation",
    ),
    (
        NoteVisibility.PARTICIPANTS,
        "Toutes les organisations qui suivent la situation, la coordination et les personnes référentes "
        "— le plus large",
    ),
]
NOTE_VISIBILITY_BADGES = {
    NoteVisibility.ORGANISATION: "Lisible par l'organisation qui l'a écrite",
    NoteVisibility.COORDINATION: "Lisible par la coordination et les personnes référentes",
    NoteVisibility.PARTICIPANTS: "Lisible par les organisations qui suivent la situation",
}


class TimelineKind(models.TextChoices):
    NOTE = "note", "Note"
    CONTACT = "contact", "Contact avec la victime"
    APPOINTMENT = "appointment", "Rendez-vous"
    DECISION = "decision", "Décision"


class EmergencyAccessReview(models.TextChoices):
    """Where the review of a break-the-glass access stands."""

    PENDING = "pending", "À examiner"
    JUSTIFIED = "justified", "Justifié"
    UNJUSTIFIED = "unjustified", "Injustifié"


class NotificationKind(models.TextChoices):
    """Alerts about situations (registered with the notifications app in apps.py)."""

    SITUATION_REPORTED = "situation_reported", "Nouvelle situation signalée"
    REFERENT_ASSIGNED = "referent_assigned", "Situation qui vous est confiée"
    EMERGENCY_ACCESS = "emergency_access", "Accès d'urgence à examiner"
    SITUATION_MOVED_IN = "situation_moved_in", "Situation transférée dans vos communes"
    SITUATION_MOVED_OUT = "situation_moved_out", "Une situation a quitté vos communes"
