from django.db import models


class EventKind(models.TextChoices):
    SCHOOL_TALK = "school_talk", "Intervention en milieu scolaire"
    PUBLIC_EVENT = "public_event", "Manifestation publique"
    CAMPAIGN = "campaign", "Campagne d'information"
    NOVEMBER_25 = "november_25", "25 novembre (journée internationale)"
    STAND = "stand", "Stand"
    PRESS = "press", "Presse et médias"


class Audience(models.TextChoices):
    PUPILS = "pupils", "Élèves"
    YOUTH = "youth", "Jeunes"
    GENERAL_PUBLIC = "general_public", "Grand public"
    PARENTS = "parents", "Parents"
    SENIORS = "seniors", "Personnes âgées"
    PROFESSIONALS = "professionals", "Professionnels"
    ELECTED_OFFICIALS = "elected_officials", "Élus"


class TrainingTopic(models.TextChoices):
    DETECTION = "detection", "Repérage des violences"
    RECEPTION = "reception", "Accueil d'une victime"
    DANGER_ASSESSMENT = "danger_assessment", "Évaluation du danger"
    LEGAL = "legal", "Cadre juridique et partage d'informations"
    CHILDREN = "children", "Enfants co-victimes"
    OTHER = "other", "Autre"
