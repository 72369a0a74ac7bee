"""Timeline entries: each visibility level for each role, medical notes, safe-contact refusals."""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.errors import DomainError
from maillage.situations import services
from maillage.situations.enums import NoteVisibility
from maillage.situations.models import EmergencyAccess, TimelineEntry
from tests.situations.factories import SituationFactory, report_situation

pytestmark = pytest.mark.django_db

BODIES = {
    NoteVisibility.ORGANISATION: "Note interne à la gendarmerie",
    NoteVisibility.PARTICIPANTS: "Note pour les organisations qui suivent",
    NoteVisibility.COORDINATION: "Note pour la coordination",
}
# Who reads which level of a note written by the gendarmerie (DOMAIN.md §4).
EXPECTED = {
    "gendarme_colleague": {
        NoteVisibility.ORGANISATION,
        NoteVisibility.PARTICIPANTS,
        NoteVisibility.COORDINATION,
    },
    "cidff": {NoteVisibility.PARTICIPANTS},
    "coordinator": {NoteVisibility.PARTICIPANTS, NoteVisibility.COORDINATION},
    "referent": {NoteVisibility.PARTICIPANTS, NoteVisibility.COORDINATION},
    "ccas_emergency": {NoteVisibility.PARTICIPANTS},
}
NO_ACCESS = ["referent_elsewhere", "doctor", "org_admin", "housing_manager", "observer", "dpo"]


@pytest.fixture
def followed(net):
    """Reported by the gendarmerie in Mouchamps; the CIDFF follows with consent; the CCAS professional
    has an emergency access; one note of each level."""
    situation = report_situation(
        net["gendarme"], commune=net.mouchamps, consent={"answer": "given", "organisations": [net.cidff]}
    )
    coordinator = net.actor("coordinator")
    services.participant_add(actor=coordinator, situation=situation, organisation=net.cidff)
    services.emergency_access_request(
        actor=net.actor("ccas"),
        pseudonym=situation.pseudonym,
        reason="La victime est à l'accueil, en détresse",
    )
    for visibility, body in BODIES.items():
        services.timeline_add(
            actor=net.actor("gendarme"), situation=situation, kind="note", visibility=visibility, body=body
        )
    situation.refresh_from_db()
    return situation


def viewer(name: str) -> str:
    return "ccas" if name == "ccas_emergency" else name


@pytest.mark.parametrize("name", EXPECTED)
def test_each_level_is_read_by_the_right_roles(net, followed, name):
    entries = TimelineEntry.objects.visible_to(net.actor(viewer(name)), followed)
    assert {e.visibility for e in entries} == EXPECTED[name]


@pytest.mark.parametrize("name", EXPECTED)
def test_the_page_shows_exactly_those_notes(net, followed, name):
    html = unescape(
        net.client(viewer(name)).get(reverse("situations:detail", args=[followed.public_id])).content.decode()
    )
    for visibility, body in BODIES.items():
        assert (body in html) is (visibility in EXPECTED[name]), (name, visibility)


@pytest.mark.parametrize("name", NO_ACCESS)
def test_roles_without_access_read_nothing(net, followed, name):
    response = net.client(name).get(reverse("situations:detail", args=[followed.public_id]))
    assert response.status_code in (403, 404)
    assert all(body not in response.content.decode() for body in BODIES.values())


def test_the_emergency_reader_loses_the_notes_when_access_ends(net, followed):
    EmergencyAccess.objects.filter(user=net["ccas"].user).update(expires_at=timezone.now())
    response = net.client("ccas").get(reverse("situations:detail", args=[followed.public_id]))
    assert response.status_code == 404


class TestMedical:
    @pytest.fixture
    def with_hospital(self, net, followed):
        services.consent_record(
            actor=net.actor("coordinator"),
            situation=followed,
            answer="given",
            organisations=[net.cidff, net.hospital],
        )
        services.participant_add(
            actor=net.actor("coordinator"), situation=followed, organisation=net.hospital
        )
        return followed

    def medical_note(self, net, situation, body="Compte rendu médical des urgences"):
        return services.timeline_add(
            actor=net.actor("doctor"),
            situation=situation,
            kind="note",
            visibility=NoteVisibility.PARTICIPANTS,
            body=body,
            medical=True,
        )

    def test_with_consent_a_medical_note_is_shared_as_asked(self, net, with_hospital):
        entry = self.medical_note(net, with_hospital)
        assert entry.visibility == NoteVisibility.PARTICIPANTS
        assert entry in TimelineEntry.objects.visible_to(net.actor("cidff"), with_hospital)

    def test_without_consent_it_stays_in_the_health_organisation(self, net, with_hospital):
        services.consent_record(actor=net.actor("doctor"), situation=with_hospital, answer="refused")
        entry = self.medical_note(net, with_hospital)
        assert entry.visibility == NoteVisibility.ORGANISATION
        for name in ("cidff", "coordinator", "referent", "gendarme"):
            assert entry not in TimelineEntry.objects.visible_to(net.actor(name), with_hospital)
        assert entry in TimelineEntry.objects.visible_to(net.actor("doctor"), with_hospital)

    def test_withdrawing_consent_brings_shared_medical_notes_back(self, net, with_hospital):
        entry = self.medical_note(net, with_hospital)
        services.consent_record(actor=net.actor("cidff"), situation=with_hospital, answer="refused")
        entry.refresh_from_db()
        assert entry.visibility == NoteVisibility.ORGANISATION
        assert entry not in TimelineEntry.objects.visible_to(net.actor("cidff"), with_hospital)

    def test_the_page_says_why_the_level_changed(self, net, with_hospital):
        services.consent_record(actor=net.actor("doctor"), situation=with_hospital, answer="refused")
        response = net.client("doctor").post(
            reverse("situations:timeline_add", args=[with_hospital.public_id]),
            {
                "kind": "note",
                "occurred_on": timezone.localdate().isoformat(),
                "visibility": "participants",
                "medical": "on",
                "body": "Certificat médical établi",
            },
            follow=True,
        )
        html = unescape(response.content.decode())
        assert "elle reste visible de votre seule organisation" in html
        assert TimelineEntry.objects.get(medical=True).visibility == "organisation"

    def test_a_medical_flag_from_another_kind_of_organisation_is_kept_as_written(self, net, followed):
        entry = services.timeline_add(
            actor=net.actor("cidff"),
            situation=followed,
            kind="note",
            visibility=NoteVisibility.PARTICIPANTS,
            body="Elle dit avoir vu un médecin",
            medical=True,
        )
        assert entry.visibility == NoteVisibility.PARTICIPANTS


class TestSafeContact:
    def contact(self, net, situation, channel, kind="contact"):
        return services.timeline_add(
            actor=net.actor("gendarme"),
            situation=situation,
            kind=kind,
            visibility=NoteVisibility.PARTICIPANTS,
            body="Appel pour faire le point",
            channel=channel,
        )

    def test_a_channel_not_marked_safe_is_refused_with_an_explanation(self, net, followed):
        with pytest.raises(DomainError) as refused:
            self.contact(net, followed, "sms")
        assert "Contact par « SMS » refusé" in refused.value.message
        assert "Moyens indiqués comme sûrs : Appel téléphonique" in refused.value.message
        assert not TimelineEntry.objects.filter(channel="sms").exists()

    def test_a_safe_channel_is_accepted(self, net, followed):
        assert self.contact(net, followed, "phone").channel == "phone"

    def test_a_channel_marked_unsafe_later_is_refused(self, net, followed):
        victim = followed.persons.get()
        services.safe_contact_set(actor=net.actor("gendarme"), person=victim, channel="phone", allowed=False)
        with pytest.raises(DomainError, match="Aucun moyen n'est indiqué comme sûr"):
            self.contact(net, followed, "phone")

    def test_any_entry_naming_a_channel_is_checked(self, net, followed):
        with pytest.raises(DomainError, match="refusé"):
            self.contact(net, followed, "voicemail", kind="appointment")

    def test_a_contact_needs_its_channel(self, net, followed):
        with pytest.raises(DomainError, match="Indiquez le moyen"):
            self.contact(net, followed, "")

    def test_without_any_victim_no_contact_is_possible(self, net):
        situation = SituationFactory(
            territory=net.territory, commune=net.mouchamps, created_by=net["coordinator"]
        )
        with pytest.raises(DomainError, match="aucune victime"):
            services.timeline_add(
                actor=net.actor("coordinator"),
                situation=situation,
                kind="contact",
                visibility="participants",
                body="Appel",
                channel="phone",
            )

    def test_the_page_refuses_and_keeps_what_was_typed(self, net, followed):
        response = net.client("gendarme").post(
            reverse("situations:timeline_add", args=[followed.public_id]),
            {
                "kind": "contact",
                "occurred_on": timezone.localdate().isoformat(),
                "channel": "sms",
                "visibility": "participants",
                "body": "Message pour confirmer le rendez-vous de jeudi",
            },
        )
        html = unescape(response.content.decode())
        assert response.status_code == 200
        assert "Contact par « SMS » refusé" in html
        assert "Message pour confirmer le rendez-vous de jeudi" in html
