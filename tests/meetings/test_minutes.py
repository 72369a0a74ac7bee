"""The minutes (ADR 0034): drafted from a held meeting with the pseudonymiser's replacements, reviewed by
the coordinator (keep one as written, mask more), made final — after which the raw text exists nowhere —
then read and downloaded as PDF by the group's members who accepted the charter, each item only for those
who may see it on the agenda."""

import datetime
import io
import json
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import DomainError
from maillage.meetings import minutes as document
from maillage.meetings import services
from maillage.meetings.enums import MinutesStatus
from maillage.meetings.models import AgendaItem, Decision, Minutes
from maillage.situations.enums import PersonRole, Sex

pytestmark = pytest.mark.django_db

VICTIM = {"first_name": "Maëlys", "last_name": "Berthomé-Guilloteau", "phone": "06 12 34 56 78"}
PERPETRATOR = {"first_name": "Dorian", "last_name": "Guilloteau"}
SUMMARY = (
    "Maëlys Berthomé-Guilloteau a quitté le domicile avec Timéo. Dorian Guilloteau la relance au "
    "06.12.34.56.78 ; elle souhaite porter plainte. Son collègue Ferdinand, que tous surnomment la Puce, "
    "l'héberge."
)
DECISION = "Mme Berthomé-Guilloteau sera accompagnée au dépôt de plainte."
ACTION = "Appeler Maëlys pour fixer le rendez-vous"
IDENTITIES = ("Maëlys", "Berthomé", "Guilloteau", "Dorian", "Timéo", "06.12.34.56.78", "06 12 34 56 78")


def text(response) -> str:
    return unescape(response.content.decode())


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def held(cell):
    """A meeting held on a situation whose victim, perpetrator and child are known, with a summary and a
    decision naming them; closed."""
    situation = cell.situation(
        persons=[
            {"role": PersonRole.VICTIM, "sex": Sex.FEMALE, **VICTIM},
            {"role": PersonRole.PERPETRATOR, "sex": Sex.MALE, **PERPETRATOR},
            {"role": PersonRole.CHILD, "sex": Sex.MALE, "first_name": "Timéo", "age": 6},
        ]
    )
    coordinator = cell.actor("coordinator")
    meeting = cell.open_meeting(situation)
    item = meeting.items.get(situation=situation)
    services.item_record(
        actor=coordinator,
        item=item,
        summary=SUMMARY,
        next_review_on=timezone.localdate() + datetime.timedelta(days=30),
        version=None,
    )
    services.decision_add(
        actor=coordinator,
        item=item,
        text=DECISION,
        action=ACTION,
        owner=cell["gendarme"],
        due_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    meeting.refresh_from_db()
    present = {cell[name].pk: "present" for name in ("gendarme", "cidff", "referent")}
    meeting = services.attendance_record(
        actor=coordinator, meeting=meeting, attendance={**present, cell["doctor"].pk: "excused"}, version=None
    )
    meeting = services.meeting_close(actor=coordinator, meeting=meeting, version=None)
    return meeting, situation


def url(name, meeting) -> str:
    return reverse(f"meetings:{name}", args=[meeting.public_id])


class TestTheDocument:
    def test_the_draft_proposes_the_situations_identities_as_replacements(self, cell, held):
        meeting, _situation = held
        draft = document.compose(meeting)
        (entry,) = draft["items"]
        summary = entry["summary"]
        replaced = {summary["text"][s["start"] : s["end"]]: s for s in summary["spans"]}
        assert replaced["Maëlys Berthomé-Guilloteau"]["who"] == "victim"
        assert replaced["Dorian Guilloteau"]["who"] == "perpetrator"
        assert replaced["Timéo"]["who"] == "child:0"
        assert replaced["06.12.34.56.78"]["label"] == "PHONE"
        preview = document.pseudonymised(summary)
        assert preview.startswith("[victime] a quitté le domicile avec [enfant 1]. [auteur] la relance au")
        assert not any(identity in preview for identity in IDENTITIES)
        assert (
            document.pseudonymised(entry["decisions"][0]["action"])
            == "Appeler [victime] pour fixer le rendez-vous"
        )
        assert (
            draft["excused"] == 1
            and draft["present"]
            and draft["title"].startswith("Compte rendu de la cellule de suivi du ")
        )

    def test_choices_keep_one_as_written_and_mask_more_everywhere(self, cell, held):
        meeting, _situation = held
        draft = document.compose(meeting)
        summary = draft["items"][0]["summary"]
        phone = next(s for s in summary["spans"] if s["label"] == "PHONE")
        draft = document.choose(draft, {document.span_id(summary, phone)}, [("LA PUCE", "PERSON")])
        preview = document.pseudonymised(draft["items"][0]["summary"])
        assert "06.12.34.56.78" in preview and "la Puce" not in preview
        assert "que tous surnomment [personne]" in preview
        # Choices are given whole each time: what is left out is dropped.
        draft = document.choose(draft, set(), [])
        preview = document.pseudonymised(draft["items"][0]["summary"])
        assert "06.12.34.56.78" not in preview and "la Puce" in preview
        assert document.counts(draft)["added"] == 0


class TestServices:
    def test_only_a_held_meeting_gets_minutes_and_only_the_coordinator_writes_them(self, cell, held):
        meeting, situation = held
        scheduled = cell.meeting(minutes=60 * 24)
        with pytest.raises(DomainError):
            services.minutes_draft(actor=cell.actor("coordinator"), meeting=scheduled)
        with pytest.raises(DomainError):
            services.minutes_draft(actor=cell.actor("gendarme"), meeting=meeting)
        minutes = services.minutes_draft(actor=cell.actor("coordinator"), meeting=meeting)
        assert minutes.status == MinutesStatus.DRAFT and "Maëlys" in minutes.draft

    def test_final_minutes_keep_the_raw_text_nowhere(self, cell, held):
        meeting, situation = held
        coordinator = cell.actor("coordinator")
        minutes = services.minutes_draft(actor=coordinator, meeting=meeting)
        minutes = services.minutes_choose(
            actor=coordinator,
            minutes=minutes,
            kept=set(),
            added=[("la Puce", "PERSON")],
            version=minutes.version,
        )
        minutes = services.minutes_finalise(actor=coordinator, minutes=minutes, version=minutes.version)
        minutes.refresh_from_db()
        assert minutes.status == MinutesStatus.FINAL and minutes.draft == ""
        stored = json.dumps(json.loads(minutes.final), ensure_ascii=False)
        item = AgendaItem.objects.get(meeting=meeting)
        decision = Decision.objects.get(item=item)
        for identity in (*IDENTITIES, "Ferdinand", "la Puce"):
            assert identity not in stored
            assert identity not in item.summary and identity not in decision.text
        assert situation.pseudonym in stored and "[victime]" in item.summary
        # The audit says what happened, never the text.
        entries = AuditEntry.objects.filter(action__startswith="meeting.minutes_")
        assert set(entries.values_list("action", flat=True)) == {
            AuditAction.MINUTES_DRAFTED,
            AuditAction.MINUTES_REVIEWED,
            AuditAction.MINUTES_FINALISED,
        }
        assert "Maëlys" not in json.dumps(list(entries.values_list("changes", flat=True)), ensure_ascii=False)
        # Final is final: no new draft, no choice, no change to what the meeting recorded.
        with pytest.raises(DomainError):
            services.minutes_draft(actor=coordinator, meeting=meeting)
        with pytest.raises(DomainError):
            services.minutes_finalise(actor=coordinator, minutes=minutes, version=None)
        with pytest.raises(DomainError):
            services.item_record(
                actor=coordinator, item=item, summary="Autre texte", next_review_on=None, version=None
            )

    def test_a_review_read_at_an_older_version_is_refused(self, cell, held):
        meeting, _situation = held
        coordinator = cell.actor("coordinator")
        minutes = services.minutes_draft(actor=coordinator, meeting=meeting)
        services.minutes_choose(
            actor=coordinator, minutes=minutes, kept=set(), added=[], version=minutes.version
        )
        with pytest.raises(DomainError):
            services.minutes_finalise(actor=coordinator, minutes=minutes, version=minutes.version)
        assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.DRAFT


class TestPages:
    def test_the_coordinator_prepares_reviews_and_validates(self, cell, held):
        meeting, situation = held
        client = cell.client("coordinator")
        page = text(client.get(url("minutes", meeting)))
        assert "Préparer le compte rendu" in page
        client.post(url("minutes_prepare", meeting))
        page = text(client.get(url("minutes", meeting)))
        assert "<mark>Maëlys Berthomé-Guilloteau</mark>" in page and "[victime]" in page
        # The draft shows what was written: a read of the situation, recorded.
        assert AuditEntry.objects.filter(
            action=AuditAction.SITUATION_VIEWED, object_public_id=situation.public_id
        ).exists()
        minutes = Minutes.objects.get(meeting=meeting)
        response = client.post(
            url("minutes", meeting),
            {"version": minutes.version, "mask_text": "la Puce", "mask_label": "PERSON"},
        )
        assert response.status_code == 302
        page = text(client.get(url("minutes", meeting)))
        assert "ajouté à la main" in page
        # A text of one character: a clear message, the choices kept as typed.
        minutes.refresh_from_db()
        wrong = text(client.post(url("minutes", meeting), {"version": minutes.version, "mask_text": "F"}))
        assert "Deux caractères au moins." in wrong and "Erreur" in wrong
        # Validating asks first, then acts.
        confirm = text(client.post(url("minutes_finalise", meeting), {"version": minutes.version}))
        assert "Le texte d'origine est effacé" in confirm
        assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.DRAFT
        client.post(url("minutes_finalise", meeting), {"version": minutes.version, "confirmed": "1"})
        assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.FINAL
        final = text(client.get(url("minutes", meeting)))
        assert situation.pseudonym in final and "Télécharger le PDF" in final
        assert not any(identity in final for identity in (*IDENTITIES, "Ferdinand", "la Puce"))

    def test_members_read_the_final_minutes_and_their_pdf_names_nobody(self, cell, held):
        meeting, situation = held
        coordinator = cell.actor("coordinator")
        minutes = services.minutes_draft(actor=coordinator, meeting=meeting)
        # Before it is final, a member finds nothing (the same 404 as a missing page).
        assert cell.client("gendarme").get(url("minutes", meeting)).status_code == 404
        assert cell.client("gendarme").get(url("minutes_pdf", meeting)).status_code == 404
        services.minutes_finalise(actor=coordinator, minutes=minutes, version=None)
        client = cell.client("gendarme")
        assert situation.pseudonym in text(client.get(url("minutes", meeting)))
        response = client.get(url("minutes_pdf", meeting))
        assert response["Content-Type"] == "application/pdf"
        extracted = pdf_text(response.content)
        assert situation.pseudonym in extracted and "[victime]" in extracted
        assert not any(identity in extracted for identity in IDENTITIES)
        assert (
            AuditEntry.objects.filter(
                action=AuditAction.MINUTES_EXPORTED, actor_membership_id=cell["gendarme"].pk
            ).count()
            == 1
        )

    def test_the_charter_gate_and_the_agendas_rules_hold_on_the_minutes(self, cell, held):
        meeting, situation = held
        services.minutes_finalise(
            actor=cell.actor("coordinator"),
            minutes=services.minutes_draft(actor=cell.actor("coordinator"), meeting=meeting),
            version=None,
        )
        # The doctor, in the group, has not accepted the charter: nothing.
        for name in ("doctor", "ccas", "observer", "dpo"):
            client = cell.client(name)
            assert client.get(url("minutes", meeting)).status_code in (403, 404), name
            assert client.get(url("minutes_pdf", meeting)).status_code in (403, 404), name
        # A member excluded from the situation reads the minutes without its item.
        from maillage.situations import services as situation_services

        situation_services.exclusion_add(
            actor=cell.actor("coordinator"),
            situation=situation,
            user=cell["cidff"].user,
            reason="Conflit d'intérêts",
        )
        page = text(cell.client("cidff").get(url("minutes", meeting)))
        assert "Aucune situation que vous puissiez voir" in page and situation.pseudonym not in page
        extracted = pdf_text(cell.client("cidff").get(url("minutes_pdf", meeting)).content)
        assert situation.pseudonym not in extracted

    def test_members_cannot_prepare_review_or_validate(self, cell, held):
        meeting, _situation = held
        services.minutes_draft(actor=cell.actor("coordinator"), meeting=meeting)
        minutes = Minutes.objects.get(meeting=meeting)
        client = cell.client("gendarme")
        assert client.post(url("minutes_prepare", meeting)).status_code in (403, 404)
        assert client.post(
            url("minutes_finalise", meeting), {"version": minutes.version, "confirmed": "1"}
        ).status_code in (403, 404)
        assert client.post(url("minutes", meeting), {"version": minutes.version}).status_code == 404
        assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.DRAFT


def test_the_api_gives_the_final_minutes_to_the_same_readers(cell, held):
    meeting, situation = held
    path = f"/api/v1/meetings/{meeting.public_id}/minutes"
    coordinator = cell.actor("coordinator")
    minutes = services.minutes_draft(actor=coordinator, meeting=meeting)
    assert cell.client("coordinator").get(path).status_code == 404  # not final yet
    services.minutes_finalise(actor=coordinator, minutes=minutes, version=None)
    answer = cell.client("gendarme").get(path)
    assert answer.status_code == 200
    body = answer.json()
    assert [item["pseudonym"] for item in body["items"]] == [situation.pseudonym]
    assert body["items"][0]["summary"].startswith("[victime] a quitté le domicile")
    assert not any(identity in answer.content.decode("unicode_escape") for identity in IDENTITIES)
    assert cell.client("doctor").get(path).status_code == 404  # the charter not accepted
    assert cell.client("dpo").get(path).status_code == 403
