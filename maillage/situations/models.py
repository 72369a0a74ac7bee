"""A situation (one household/case) followed by the network, and what hangs on it (DOMAIN.md §3).

Identities live in encrypted fields; the situation itself carries only a pseudonym, tick-boxes and dates.
Who may see a situation is decided in one place: `SituationQuerySet.visible_to` (see policies.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from maillage.network.models import Membership, Organisation
from maillage.privacy.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedFieldMixin,
    EncryptedTextField,
)
from maillage.situations.enums import (
    ClosureReason,
    ConsentAnswer,
    ContactChannel,
    EmergencyAccessReview,
    LegalGround,
    NoteVisibility,
    ParticipationReason,
    PersonRole,
    Sex,
    SituationStatus,
    TimelineKind,
)
from maillage.situations.policies import SituationQuerySet, TimelineQuerySet
from maillage.territories.models import Commune, Territory


class SituationCounter(models.Model):
    """Last pseudonym number per territory and year, locked while a pseudonym is handed out."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["territory", "year"], name="situation_counter_unique")]

    def __str__(self) -> str:
        return f"{self.territory_id}/{self.year}: {self.last_number}"


# Open situations without a referent, as the home lists them: urgent first, then new ones, then the most
# recently detected (the order of the partial index `situation_without_referent`).
WITHOUT_REFERENT_ORDER = (
    models.F("urgent").desc(),
    models.Case(models.When(status=SituationStatus.NEW, then=models.Value(0)), default=models.Value(1)),
    models.F("detected_on").desc(),
    models.F("id").desc(),
)


class Situation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed with the primary key (Meta.indexes), not alone.
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="situations", db_index=False
    )
    pseudonym = models.CharField("pseudonyme", max_length=20)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="situations", verbose_name="commune"
    )
    detected_on = models.DateField("date de repérage")
    sources = models.JSONField("source du repérage", default=list)  # DetectionSource values
    violence_types = models.JSONField("types de violences", default=list)  # ViolenceType values
    urgent = models.BooleanField("danger immédiat", default=False)
    status = models.CharField(
        "état", max_length=20, choices=SituationStatus.choices, default=SituationStatus.NEW
    )
    closure_reason = models.CharField(
        "motif de clôture", max_length=20, choices=ClosureReason.choices, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    referent = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="situations_as_referent",
        verbose_name="personne référente",
    )
    restricted = models.BooleanField("accès restreint", default=False)
    # Set from the latest danger assessment (the assessments app, through services.situation_danger_set).
    high_danger = models.BooleanField("danger grave", default=False)
    # Proposed for the next coordination meeting, on that date; the meetings app reads and clears it.
    proposed_for_meeting = models.DateField("proposée pour la prochaine réunion", null=True, blank=True)
    restriction_reason = models.CharField("motif de la restriction", max_length=200, blank=True)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="situations_reported")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every change bumps it; a form read at an older version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = SituationQuerySet.as_manager()

    class Meta:
        verbose_name = "situation"
        ordering = ["-detected_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "pseudonym"], name="situation_pseudonym_unique"),
        ]
        indexes = [
            # The territory's situations one by one with their dates, as the statistics join them from
            # referrals and measures or count each one's children: answered from the index alone.
            models.Index(fields=["territory", "id", "created_at", "closed_at"], name="situation_territory"),
            models.Index(fields=["territory", "status"]),
            models.Index(fields=["territory", "commune"]),
            # The statistics' new, active and closed situations of a year (stats/indicators/situations.py),
            # and their joins from persons: answered from the index alone (the primary key last for
            # PostgreSQL).
            models.Index(
                fields=["territory", "created_at", "closed_at", "commune", "id"],
                name="situation_period_stats",
            ),
            # The list in its default order, page after page (keyset: maillage/web/keyset.py). The
            # pseudonym search has a trigram index on PostgreSQL (migration 0011), ADR 0045.
            models.Index(fields=["territory", "-detected_on", "-id"], name="situation_list_order"),
            # The « À traiter » home's open situations without a referent, in their order
            # (selectors.situations_without_referent): a few rows walked from the index rather than every
            # open situation sorted (docs/performance.md).
            models.Index(
                "territory",
                *WITHOUT_REFERENT_ORDER,
                condition=models.Q(referent__isnull=True) & ~models.Q(status=SituationStatus.CLOSED),
                name="situation_without_referent",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Participation(models.Model):
    """An organisation that follows the situation; its members with the professional role may see it."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participations")
    reason = models.CharField(max_length=20, choices=ParticipationReason.choices)
    legal_ground = models.CharField("fondement du partage", max_length=20, choices=LegalGround.choices)
    added_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["situation", "organisation"], name="participation_unique"),
        ]
        # A professional's list: the situations their organisation takes part in (policies.visible_to).
        indexes = [models.Index(fields=["organisation", "situation"], name="participation_organisation")]

    def __str__(self) -> str:
        return f"{self.situation} — {self.organisation}"


class NamedAccess(models.Model):
    """A user allowed to see a restricted situation (besides the coordinator)."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="named_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["situation", "user"], name="named_access_unique")]

    def __str__(self) -> str:
        return f"{self.situation} — {self.user_id}"


class Exclusion(models.Model):
    """A user who must never see this situation (conflict of interest), whatever else would allow it."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="exclusions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("motif", max_length=200)
    excluded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    excluded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["situation", "user"], name="exclusion_unique")]

    def __str__(self) -> str:
        return f"{self.situation} — {self.user_id}"


class EmergencyAccess(models.Model):
    """Break-the-glass: time-boxed access to one situation, audited and reviewed afterwards."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="emergency_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("motif")
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    review = models.CharField(
        max_length=20, choices=EmergencyAccessReview.choices, default=EmergencyAccessReview.PENDING
    )
    reviewed_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField("commentaire", blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.situation} — {self.user_id} jusqu'à {self.expires_at:%H:%M}"


class MeetingAccess(models.Model):
    """Time-boxed access to one situation during a coordination meeting (*cellule de suivi*, the CISPD's
    working group where the law allows confidential exchange): a member of the group who accepted its
    charter reads the situations of the agenda from the moment the meeting opens until it closes, then no
    more. Like break-the-glass it is tied to the membership it was granted to, never opens a restricted
    situation, and yields to an exclusion. `reference` is the meeting's public id: situations imports no
    feature app (ADR 0015), the meetings app opens and closes these through `services.meeting_access_*`."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="meeting_accesses")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    reference = models.UUIDField("réunion")
    # The meeting's day as its members know it (« pendant la cellule de suivi du … »).
    meeting_on = models.DateField("date de la réunion")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    granted_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["membership", "closes_at"]),
            models.Index(fields=["reference"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "membership", "reference"], name="meeting_access_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gte=models.F("opens_at")), name="meeting_access_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.situation} — {self.membership_id} ({self.meeting_on})"


class Person(models.Model):
    """A victim, child or alleged perpetrator. Identities are encrypted; names are found by blind index."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField("rôle", max_length=20, choices=PersonRole.choices)
    sex = models.CharField("sexe", max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age = models.PositiveSmallIntegerField("âge", null=True, blank=True)  # children, and for statistics
    first_name = EncryptedCharField("prénom", max_length=150, blank=True)
    last_name = EncryptedCharField("nom", max_length=150, blank=True)
    birth_name = EncryptedCharField("nom de naissance", max_length=150, blank=True)
    birth_date = EncryptedDateField("date de naissance", null=True, blank=True)
    phone = EncryptedCharField("téléphone", max_length=40, blank=True)
    email = EncryptedEmailField("courriel", blank=True)
    address = EncryptedTextField("adresse", blank=True)
    last_name_index = BlindIndexField(source="last_name")
    birth_name_index = BlindIndexField(source="birth_name")
    first_name_index = BlindIndexField(source="first_name")

    class Meta:
        verbose_name = "personne"
        ordering = ["situation", "role", "pk"]
        # The statistics (stats/indicators/situations.py) read the victims' sex and age and count the
        # children of a year's situations: this index answers alone, without the wide rows of encrypted
        # identities (docs/performance.md).
        indexes = [models.Index(fields=["role", "situation", "sex", "age"], name="person_role_stats")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} de {self.situation_id}"


class PersonNameToken(models.Model):
    """One word of a person's first, usage or birth name ("Canarelli-Vasseur" gives "canarelli" and
    "vasseur"), so that a name is found in any order and by a part of a compound name — through a keyed
    blind index like the whole names, never a plaintext index. The word itself is encrypted (key rotation
    recomputes its index from it). Rewritten with the person's names by the persons service.

    It repeats the person's situation so that the name search reads, from one index (word, situation,
    person), whether a situation has a person bearing the words, without visiting persons (ADR 0046)."""

    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="name_tokens")
    # Deleted with its person (whose situation cascades to it): no cascade of its own to look up.
    situation = models.ForeignKey(Situation, on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    part = models.CharField("partie du nom", max_length=20)  # "first_name", "last_name" or "birth_name"
    token = EncryptedCharField("mot du nom", max_length=150)
    token_index = BlindIndexField(source="token", db_index=False)  # leads `name_token_word`

    class Meta:
        indexes = [models.Index(fields=["token_index", "situation", "person"], name="name_token_word")]
        verbose_name = "mot d'un nom"
        verbose_name_plural = "mots des noms"

    def __str__(self) -> str:
        return f"{self.part} de {self.person_id}"


# A person's identity is what is encrypted: names, birth date, phone, e-mail, address.
IDENTITY_FIELDS = tuple(f.name for f in Person._meta.fields if isinstance(f, EncryptedFieldMixin))
PERSON_FIELDS = ("role", "sex", "age", *IDENTITY_FIELDS)


class Consent(models.Model):
    """The victim's answer about sharing with the network, and with which organisations. Latest wins."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="consents")
    answer = models.CharField("réponse", max_length=20, choices=ConsentAnswer.choices)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name="organisations"
    )
    recorded_on = models.DateField("recueilli le")
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.situation} — {self.get_answer_display()}"


class SafeContact(models.Model):
    """Whether the victim may be contacted through a channel, when, and with which code word."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="safe_contacts")
    channel = models.CharField("moyen", max_length=20, choices=ContactChannel.choices)
    allowed = models.BooleanField("sans danger", default=False)
    safe_hours = models.CharField("horaires sûrs", max_length=100, blank=True)
    code_word = EncryptedCharField("mot de passe convenu", max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "channel"], name="safe_contact_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} — {self.channel}"


class TimelineEntry(models.Model):
    """A note, contact, appointment or decision, visible at one of three levels."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField("type", max_length=20, choices=TimelineKind.choices, default=TimelineKind.NOTE)
    visibility = models.CharField("visibilité", max_length=20, choices=NoteVisibility.choices)
    # A health organisation's medical information stays within it unless consent is recorded.
    medical = models.BooleanField("information médicale", default=False)
    channel = models.CharField("moyen", max_length=20, choices=ContactChannel.choices, blank=True)
    body = EncryptedTextField("texte")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField("date")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.situation_id}"


class Task(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField("tâche", max_length=200)
    owner = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="situation_tasks")
    due_on = models.DateField("échéance")
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        """Not done and its due date passed (pages and API alike)."""
        return self.done_at is None and self.due_on < timezone.localdate()
