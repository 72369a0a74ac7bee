"""Forms of the coordination meetings' pages."""

import datetime

from django import forms
from django.utils import timezone

from maillage.meetings import policies
from maillage.meetings.enums import Attendance
from maillage.network.models import Membership

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

DEFAULT_CHARTER = (
    "Charte de confidentialité de la cellule de suivi\n\n"
    "1. Les informations échangées en cellule de suivi sont confidentielles (article L132-5 du code de la "
    "sécurité intérieure). Elles ne sont communiquées à aucun tiers.\n"
    "2. Chaque membre ne partage que ce qui est strictement nécessaire au suivi de la situation examinée.\n"
    "3. Aucune note personnelle nominative n'est conservée hors de la plateforme ; le compte rendu ne nomme "
    "personne.\n"
    "4. Un membre concerné personnellement par une situation le signale et ne participe pas à son examen.\n"
    "5. Les situations ne sont consultables que pendant la réunion ; chaque consultation est enregistrée."
)


class MembershipChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user} — {obj.organisation.name}"


class GroupMemberForm(forms.Form):
    membership = MembershipChoice(
        label="Personne à ajouter",
        queryset=Membership.objects.none(),
        empty_label="Choisir…",
        to_field_name="public_id",
        help_text="Coordination, personnes référentes et professionnels du réseau de votre territoire.",
    )

    def __init__(self, *args, territory_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.active()
            .filter(
                territory_id=territory_id, role_set__role__in=policies.GROUP_ROLES, meeting_group__isnull=True
            )
            .distinct()
            .select_related("user", "organisation")
            .order_by("user__last_name", "user__first_name", "pk")
        )


class CharterForm(forms.Form):
    text = forms.CharField(
        label="Texte de la charte",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=20000,
        help_text="Une nouvelle version doit être acceptée de nouveau par chaque membre.",
    )


class CharterAcceptForm(forms.Form):
    charter = forms.UUIDField(widget=forms.HiddenInput)
    accepted = forms.BooleanField(label="J'ai lu la charte et je m'engage à la respecter.")


class MeetingForm(forms.Form):
    day = forms.DateField(label="Date", widget=DATE_WIDGET)
    starts = forms.TimeField(label="Début", widget=TIME_WIDGET)
    ends = forms.TimeField(label="Fin", widget=TIME_WIDGET)
    place = forms.CharField(
        label="Lieu", max_length=200, required=False, help_text="Une salle, sans adresse de personne."
    )
    video_link = forms.URLField(
        label="Lien de visioconférence", max_length=500, required=False, assume_scheme="https"
    )
    note = forms.CharField(
        label="Note pratique",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text="Visible des membres sur la page de la réunion, jamais dans l'invitation. Aucun nom.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, meeting) -> dict:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {
            "day": starts.date(),
            "starts": starts.time(),
            "ends": ends.time(),
            "place": meeting.place,
            "video_link": meeting.video_link,
            "note": meeting.note,
            "version": meeting.version,
        }

    def clean(self):
        data = super().clean()
        if not self.errors:
            zone = timezone.get_current_timezone()
            data["starts_at"] = datetime.datetime.combine(data["day"], data["starts"], tzinfo=zone)
            data["ends_at"] = datetime.datetime.combine(data["day"], data["ends"], tzinfo=zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends", "L'heure de fin doit suivre l'heure de début.")
            if not data.get("place") and not data.get("video_link"):
                self.add_error("place", "Indiquez un lieu ou un lien de visioconférence.")
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("starts_at", "ends_at", "place", "video_link", "note")}


class VersionForm(forms.Form):
    """Opening, closing, cancelling: the version the person read, so that a second click is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class AgendaAddForm(forms.Form):
    marks_optional_fields = False

    pseudonym = forms.CharField(
        label="Pseudonyme de la situation", max_length=20, help_text="Par exemple S-2026-0042."
    )


class AttendanceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        for participant in self.participants:
            self.fields[f"p{participant.membership_id}"] = forms.ChoiceField(
                label=f"{participant.membership.user} — {participant.membership.organisation.name}",
                choices=[("", "Non renseigné"), *Attendance.choices],
                widget=forms.RadioSelect,
                required=False,
                initial=participant.attendance,
            )

    def attendance(self) -> dict[int, str]:
        return {p.membership_id: self.cleaned_data[f"p{p.membership_id}"] for p in self.participants}


class ItemForm(forms.Form):
    summary = forms.CharField(
        label="Synthèse",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        required=False,
        help_text="Le strict nécessaire. Chiffrée ; le compte rendu remplacera les identités par des "
        "pseudonymes.",
    )
    next_review_on = forms.DateField(label="Prochain examen", widget=DATE_WIDGET, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    text = forms.CharField(label="Décision", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    action = forms.CharField(
        label="Action qui en découle",
        max_length=200,
        help_text="Une seule action : elle devient une tâche de la situation.",
    )
    owner = MembershipChoice(
        label="Personne chargée de l'action",
        queryset=Membership.objects.none(),
        empty_label="Choisir…",
        to_field_name="public_id",
        help_text="Parmi les personnes qui suivent la situation.",
    )
    due_on = forms.DateField(label="Échéance", widget=DATE_WIDGET)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners.order_by("user__last_name", "user__first_name", "pk")
