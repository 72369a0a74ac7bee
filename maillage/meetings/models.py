"""The CISPD's thematic working group (*cellule de suivi*): its members, its confidentiality charter, its
meetings with their agenda of situations, attendance and decisions (DOMAIN.md §3–4, ADR 0032).

The law allows confidential exchange in this group and nowhere else: a member sees a meeting's agenda only
once they have accepted the current version of the charter, and reads the agenda's situations only while
the meeting is open (`situations.MeetingAccess`, a ground of the one situation policy). What is said about a
situation (summaries, decisions) is free text that may name people: encrypted at rest.
"""

import uuid

from django.db import models
from django.utils import timezone

from maillage.meetings.enums import Attendance, MeetingStatus, MinutesStatus
from maillage.network.models import Membership
from maillage.privacy.fields import EncryptedTextField
from maillage.situations.models import Situation, Task
from maillage.territories.models import Territory


class GroupMember(models.Model):
    """A membership of the territory in the working group, added by the coordinator. Only roles that may
    see situations (coordinator, referent, professional) belong to it (services)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="meeting_group")
    added_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "membre de la cellule de suivi"
        verbose_name_plural = "membres de la cellule de suivi"

    def __str__(self) -> str:
        return f"{self.membership} (cellule de suivi)"


class Charter(models.Model):
    """A version of the territory's confidentiality charter. Never edited: a new text is a new version,
    which every member must accept again."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField("version")
    text = models.TextField("texte de la charte")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "charte de confidentialité"
        ordering = ["territory", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "version"], name="charter_version_unique")
        ]

    def __str__(self) -> str:
        return f"Charte v{self.version}"


class CharterAcceptance(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.PROTECT, related_name="acceptances")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["charter", "membership"], name="charter_acceptance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} — v{self.charter_id}"


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    place = models.CharField("lieu", max_length=200, blank=True)
    video_link = models.URLField("lien de visioconférence", max_length=500, blank=True)
    note = models.TextField("note pratique", blank=True)
    status = models.CharField(
        "état", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The calendar's SEQUENCE: bumped when the date or place changes, or the meeting is cancelled, so that
    # calendars update the event the invitation created (RFC 5545 §3.8.7.4).
    sequence = models.PositiveIntegerField(default=0)
    # Optimistic concurrency (ADR 0005): every change bumps it; a form read at an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "réunion de la cellule de suivi"
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["territory", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"Cellule de suivi du {timezone.localtime(self.starts_at):%d/%m/%Y}"


class MeetingParticipant(models.Model):
    """A member invited to a meeting, and whether they attended."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    attendance = models.CharField("présence", max_length=20, choices=Attendance.choices, blank=True)
    # The meeting's sequence the last invitation e-mail carried (sent once per sequence, ADR 0024).
    emailed_sequence = models.IntegerField(default=-1)
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="meeting_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} — {self.membership_id}"


class AgendaItem(models.Model):
    """A situation on a meeting's agenda, why it is there, and what the meeting said of it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    reasons = models.JSONField("motifs", default=list)  # AgendaReason or registered review reasons
    summary = EncryptedTextField("synthèse", blank=True)
    next_review_on = models.DateField("prochain examen", null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "point de l'ordre du jour"
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "situation"], name="agenda_item_unique"),
        ]
        indexes = [models.Index(fields=["situation", "reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.meeting_id} — {self.situation_id}"


class Decision(models.Model):
    """What the meeting decided about a situation, with the one action it leads to: a task of the
    situation (owner, due date)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = EncryptedTextField("décision")
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "décision"
        ordering = ["item", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Décision {self.public_id}"


class Minutes(models.Model):
    """A held meeting's minutes (ADR 0034). While a draft, `draft` holds the text as written — the
    summaries, decisions and actions, which may name people — with the replacements the pseudonymiser
    proposed and the coordinator's choices (JSON, encrypted). Once final, `final` holds the document as it
    circulates, where everyone is a pseudonym or a placeholder; the draft is emptied, and the meeting's
    summaries and decisions are rewritten pseudonymised: the raw text is kept nowhere."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    draft = EncryptedTextField("brouillon", blank=True)
    final = EncryptedTextField("compte rendu", blank=True)
    drafted_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    finalised_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+", null=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "compte rendu"
        verbose_name_plural = "comptes rendus"

    def __str__(self) -> str:
        return f"Compte rendu {self.public_id}"
