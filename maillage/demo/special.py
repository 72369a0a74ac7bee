"""The situations of the demo written by hand rather than drawn: the canary, the restricted situation,
two break-the-glass accesses, and the alerts people have read."""

from __future__ import annotations

import datetime

from maillage.network.actor import Actor
from maillage.notifications import selectors as notification_selectors
from maillage.notifications import services as notification_services
from maillage.situations import services
from maillage.situations.enums import (
    ConsentAnswer,
    ContactChannel,
    DetectionSource,
    LegalGround,
    NoteVisibility,
    PersonRole,
    Sex,
    SituationStatus,
    TimelineKind,
    ViolenceType,
)
from maillage.situations.models import EmergencyAccess, Situation

READ_ALERTS_UNTIL_DAYS_AGO = 21


class HandWritten:
    """Planned on the same history as the drawn situations (`DemoSituations` mixes this in)."""

    def plan_canary(self) -> None:
        spec = self.data["special"]["canary"]
        names = self.data["names"]
        commune = self.territory.communes.get(name=spec["commune"])
        reporter = self.cast.by_email[spec["reporter"]]
        referent = self.cast.by_email[spec["referent"]]
        reported_at = self.moment(self.now.date() - datetime.timedelta(days=spec["days_ago"]), hour=10)
        report = {
            "commune": commune,
            "detected_on": reported_at.date(),
            "sources": [DetectionSource.LAW_ENFORCEMENT, DetectionSource.ISCG],
            "violence_types": [
                ViolenceType.PHYSICAL,
                ViolenceType.PSYCHOLOGICAL,
                ViolenceType.CHILDREN_EXPOSED,
            ],
            "urgent": False,
            "persons": [
                {
                    "role": PersonRole.VICTIM,
                    "sex": Sex.FEMALE,
                    "first_name": spec["first_name"],
                    "last_name": spec["last_name"],
                    "phone": spec["phone"],
                    "birth_date": datetime.date(1991, 4, 17),
                    "address": f"12 {names['streets'][0]}, {commune.postal_code} {commune.name}",
                },
                {"role": PersonRole.CHILD, "first_name": "Alix", "age": 9},
                {"role": PersonRole.CHILD, "first_name": "Noah", "age": 4},
                {
                    "role": PersonRole.PERPETRATOR,
                    "sex": Sex.MALE,
                    "first_name": "Erwan",
                    "last_name": "Brethomé",
                },
            ],
            "consent": {
                "answer": ConsentAnswer.GIVEN,
                "organisations": [self.cast.organisations[n] for n in spec["participants"]],
            },
            "safe_contacts": [
                {
                    "channel": ContactChannel.SMS,
                    "allowed": True,
                    "safe_hours": "9 h – 12 h en semaine",
                    "code_word": "",
                },
                {
                    "channel": ContactChannel.PHONE,
                    "allowed": True,
                    "safe_hours": "9 h – 12 h en semaine",
                    "code_word": "Hortensia",
                },
                {"channel": ContactChannel.VOICEMAIL, "allowed": False, "safe_hours": "", "code_word": ""},
            ],
        }

        def run_report():
            self.situations["canary"] = services.situation_report(actor=reporter, **report)
            self.summary["canary"] = self.situations["canary"].pseudonym

        self.history.at(reported_at, run_report)
        hour = datetime.timedelta(hours=1)
        day = datetime.timedelta(days=1)
        self.plan_note(
            "canary",
            reported_at + hour,
            reporter,
            TimelineKind.NOTE,
            self.data["notes"]["law_enforcement"][1][1],
            NoteVisibility.PARTICIPANTS,
        )
        self.plan_referent("canary", reported_at + 3 * hour, referent)
        for name in spec["participants"]:
            self.plan_participant("canary", reported_at + day + hour, name, LegalGround.CONSENT)
        cidff = self.cast.professionals[spec["participants"][0]][0]
        self.plan_note(
            "canary",
            reported_at + 6 * day,
            cidff,
            TimelineKind.NOTE,
            self.data["notes"]["association"][0][1],
            NoteVisibility.PARTICIPANTS,
        )
        self.plan_note(
            "canary",
            reported_at + 9 * day,
            referent,
            TimelineKind.CONTACT,
            self.data["notes"]["contact"][0],
            NoteVisibility.COORDINATION,
            channel=ContactChannel.SMS,
        )
        self.plan_note(
            "canary",
            reported_at + 14 * day,
            self.coordinator,
            TimelineKind.DECISION,
            self.data["notes"]["local_authority"][1][1],
            NoteVisibility.PARTICIPANTS,
        )

        def tasks():
            situation = self.situation("canary")
            services.task_add(
                actor=self.coordinator,
                situation=situation,
                title="Faire le point avec la victime",
                owner=referent.membership,
                due_on=(reported_at + 20 * day).date(),
            )
            services.task_add(
                actor=self.coordinator,
                situation=situation,
                title="Informer la victime de ses droits",
                owner=cidff.membership,
                due_on=(self.now + 10 * day).date(),
            )

        self.history.at(reported_at + 14 * day + hour, tasks)

    def plan_restricted(self) -> None:
        spec = self.data["special"]["restricted"]
        commune = self.territory.communes.get(name=spec["commune"])
        reporter = self.cast.by_email[spec["reporter"]]
        named = [self.cast.by_email[email] for email in spec["named_users"]]
        reported_at = self.moment(self.now.date() - datetime.timedelta(days=spec["days_ago"]), hour=9)
        victim = self.victim(woman=True)
        partners = [actor.membership.organisation for actor in named]
        report = {
            "commune": commune,
            "detected_on": reported_at.date(),
            "sources": [DetectionSource.VICTIM],
            "violence_types": [ViolenceType.PSYCHOLOGICAL, ViolenceType.ECONOMIC, ViolenceType.CYBER],
            "urgent": False,
            "persons": [victim, {"role": PersonRole.PERPETRATOR, "sex": Sex.MALE}],
            "consent": {"answer": ConsentAnswer.GIVEN, "organisations": partners},
            "safe_contacts": [
                {"channel": ContactChannel.EMAIL, "allowed": True, "safe_hours": "", "code_word": ""}
            ],
        }

        def run():
            situation = services.situation_report(actor=reporter, **report)
            situation = services.situation_restrict(
                actor=self.coordinator,
                situation=situation,
                named_users=[a.user for a in named],
                reason=spec["reason"],
            )
            for organisation in partners:
                services.participant_add(
                    actor=self.coordinator, situation=situation, organisation=organisation
                )
            self.situations["restricted"] = situation
            self.summary["restricted"] = situation.pseudonym
            self.summary["restricted_named"] = [a.user.get_full_name() for a in named]

        self.history.at(reported_at, run)
        day = datetime.timedelta(days=1)
        self.plan_note(
            "restricted",
            reported_at + 2 * day,
            named[0],
            TimelineKind.NOTE,
            self.data["notes"]["association"][0][1],
            NoteVisibility.PARTICIPANTS,
        )
        self.plan_note(
            "restricted",
            reported_at + 5 * day,
            named[1],
            TimelineKind.NOTE,
            self.data["notes"]["social"][0][1],
            NoteVisibility.PARTICIPANTS,
        )
        self.plan_note(
            "restricted",
            reported_at + 8 * day,
            self.coordinator,
            TimelineKind.DECISION,
            "Suivi assuré hors des réunions plénières, en cellule restreinte.",
            NoteVisibility.COORDINATION,
        )

    def plan_emergency_accesses(self) -> None:
        """One break-the-glass access reviewed long ago, one recent still awaiting review."""
        requester = self.cast.by_email[self.data["special"]["emergency_requester"]]
        reason = (
            "La victime appelle notre permanence en détresse un samedi ; la référente de la commune "
            "est injoignable et nous devons vérifier la mise à l'abri déjà engagée."
        )
        for days_ago, reviewed in ((160, True), (12, False)):
            when = self.moment(self.now.date() - datetime.timedelta(days=days_ago), hour=11)
            granted: dict = {}

            def request(granted=granted):
                situation = self.emergency_target(requester)
                if situation is not None:
                    granted["access"] = services.emergency_access_request(
                        actor=requester, pseudonym=situation.pseudonym, reason=reason
                    )

            self.history.at(when, request)
            if reviewed:
                self.history.at(
                    when + datetime.timedelta(days=2), lambda granted=granted: self.review(granted)
                )

    def review(self, granted: dict) -> None:
        if "access" in granted:
            services.emergency_access_review(
                actor=self.coordinator,
                access=EmergencyAccess.objects.select_related("situation").get(pk=granted["access"].pk),
                justified=True,
                comment="Accès justifié : la victime était en danger et la référente absente.",
            )

    def emergency_target(self, requester: Actor) -> Situation:
        """An open situation the requester does not see (never the canary nor the restricted one)."""
        special = [s.pk for k, s in self.situations.items() if k in ("canary", "restricted")]
        seen = Situation.objects.visible_to(requester).values("pk")
        return (
            Situation.objects.filter(territory=self.territory, restricted=False)
            .exclude(status=SituationStatus.CLOSED)
            .exclude(pk__in=special)
            .exclude(pk__in=seen)
            .order_by("-pk")
            .first()
        )

    def plan_alerts_read(self) -> None:
        """People read their alerts: only those of the last three weeks are still unread."""
        when = self.moment(self.now.date() - datetime.timedelta(days=READ_ALERTS_UNTIL_DAYS_AGO), hour=8)

        def run():
            for actor in self.cast.by_email.values():
                if notification_selectors.receives_notifications(actor):
                    notification_services.notifications_mark_all_read(actor=actor)

        self.history.at(when, run)
