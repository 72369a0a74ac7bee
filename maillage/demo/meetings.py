"""A year of coordination meetings (*cellule de suivi*, ADR 0032) in the demonstration, written through the
meetings services at their moment of the history, under the demo clock (planned on the same history as the
situations, so the audit trail stays in time order).

Thirteen months ago the coordinator publishes the confidentiality charter (demo/fixtures/demo_meetings.json)
and builds the group; its members accept the charter over the following days, all but one (the charter
gate shows on his pages). Five months ago a second version is published and accepted again, by the same.
Every month, on a Tuesday afternoon, a meeting: scheduled three weeks before (its agenda proposed by the
application, then edited the day before: completed, the situations closed meanwhile taken off, one taken
off or one added by pseudonym now and then, no more than a two-hour meeting examines), opened at its start
after the roll call, each situation examined in turn (a short summary that names the victim — the minutes
are pseudonymised later — and the next review date; for about half, a decision whose action becomes a
task of someone who follows the situation), then closed. One is cancelled and held a week later, one is
held by video link; the next one, in about ten days, is scheduled with its proposed agenda. Neither the
canary (whose names stay confined, tests/situations/test_canary.py) nor the restricted situation is ever
on an agenda. Invitation e-mails are never sent: `load_demo` takes them off the queue.

Which situations are examined is decided when it happens (the agenda of that day); draws come from their
own seed, so the rest of the demo does not change."""

from __future__ import annotations

import calendar
import datetime
import json
import random
from pathlib import Path

from django.utils import timezone

from maillage.meetings import policies as meeting_policies
from maillage.meetings import services as meeting_services
from maillage.meetings.enums import AgendaReason, Attendance, MeetingStatus, MinutesStatus
from maillage.meetings.models import AgendaItem, GroupMember, Meeting, Minutes
from maillage.network.actor import Actor
from maillage.situations import policies as situation_policies
from maillage.situations import selectors as situation_selectors
from maillage.situations import services as situation_services
from maillage.situations.enums import PersonRole, Sex, SituationStatus
from maillage.situations.models import Situation, Task

MEETINGS_FILE = Path(__file__).resolve().parent / "fixtures" / "demo_meetings.json"
SEED = 20250311
DAY = datetime.timedelta(days=1)

CHARTER_DAYS_AGO = 395  # thirteen months
CHARTER_V2_DAYS_AGO = 150  # five months: published two days after the meeting held nearest to then
HELD = 12  # one a month over the last year, on a Tuesday
UPCOMING_IN_DAYS = 10  # the next one: the Tuesday nearest to ten days from now
SCHEDULED_DAYS_BEFORE = 21
CANCELLED = 3  # the meeting of three months ago, cancelled five days before and held a week later
VIDEO = 8  # the meeting of eight months ago, by video link
STARTS, ENDS = datetime.time(14), datetime.time(16)
LAST_HELD = 1  # the meeting of a month ago: its minutes still a draft to review
MINUTES_DRAFTED_AFTER, MINUTES_FINAL_AFTER = 2 * DAY, 4 * DAY
SLOTS = 15  # what two hours examine: one situation every seven minutes
SLOT_MINUTES = 7
DECISION_SHARE = 0.5
TASK_DONE_SHARE = 0.75


def tuesday_near(day: datetime.date) -> datetime.date:
    """The Tuesday nearest to `day` (within three days)."""
    return day + datetime.timedelta(days=(1 - day.weekday() + 3) % 7 - 3)


def age_text(age: int) -> str:
    return "moins d'un an" if age == 0 else "1 an" if age == 1 else f"{age} ans"


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


class DemoMeetings:
    """Planned on `DemoSituations`' history (mixed into it)."""

    def plan_meetings(self) -> None:
        self.meeting_rng = random.Random(SEED)  # noqa: S311 — fictional demo data, not security
        self.meeting_data = json.loads(MEETINGS_FILE.read_text(encoding="utf-8"))
        self.meetings: dict[int, Meeting] = {}
        self.decision_tasks: dict[tuple[int, int], Task] = {}
        today = self.now.date()
        upcoming = tuesday_near(today + UPCOMING_IN_DAYS * DAY)
        days = {k: tuesday_near(months_before(upcoming, k)) for k in range(HELD, 0, -1)}
        self.plan_group(today - CHARTER_DAYS_AGO * DAY)
        for k, day in days.items():
            self.plan_meeting(k, day)
        near = min(days.values(), key=lambda d: abs((today - d).days - CHARTER_V2_DAYS_AGO))
        self.plan_charter_v2(near + 2 * DAY)
        self.history.at(
            self.meeting_moment(upcoming - SCHEDULED_DAYS_BEFORE * DAY, 9), self.schedule_upcoming
        )
        self.upcoming_day = upcoming

    def meeting_moment(self, day: datetime.date, hour: int, minute: int | None = None) -> datetime.datetime:
        minute = self.meeting_rng.randint(0, 59) if minute is None else minute
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def group_actors(self) -> list[Actor]:
        return [self.cast.by_email[email] for email in self.meeting_data["group"]]

    # ------------------------------------------------------------------------------- group, charter

    def charter_text(self, version: int) -> str:
        lines = list(self.meeting_data["charter"])
        if version == 2:
            change = self.meeting_data["charter_v2"]
            at = next(i for i, line in enumerate(lines) if line.startswith(change["after"]))
            lines.insert(at + 1, change["add"])
        return "\n".join(lines)

    def plan_group(self, day: datetime.date) -> None:
        def build():
            meeting_services.charter_publish(actor=self.coordinator, text=self.charter_text(1))
            for member in [self.coordinator, *self.group_actors()]:
                meeting_services.group_member_add(actor=self.coordinator, membership=member.membership)

        self.history.at(self.meeting_moment(day, 9), build)
        self.plan_acceptances(day)

    def plan_charter_v2(self, day: datetime.date) -> None:
        self.history.at(
            self.meeting_moment(day, 9),
            lambda: meeting_services.charter_publish(actor=self.coordinator, text=self.charter_text(2)),
        )
        self.plan_acceptances(day)

    def plan_acceptances(self, day: datetime.date) -> None:
        """Each member accepts the version published that morning within ten days (the coordinator within
        the hour), except one who never does."""
        for member in [self.coordinator, *self.group_actors()]:
            if member.user.email == self.meeting_data["never_accepts"]:
                continue
            if member is self.coordinator:
                when = self.meeting_moment(day, 10)
            else:
                when = self.meeting_moment(
                    day + self.meeting_rng.randint(1, 10) * DAY, self.meeting_rng.randint(8, 18)
                )
            self.history.at(when, lambda member=member: self.charter_accept(member))

    def charter_accept(self, member: Actor) -> None:
        charter = meeting_policies.current_charter(self.territory.pk)
        meeting_services.charter_accept(actor=member, charter=charter)

    # ---------------------------------------------------------------------------------- a meeting

    def plan_meeting(self, k: int, day: datetime.date) -> None:
        rng = self.meeting_rng
        scheduled = self.meeting_moment(day - SCHEDULED_DAYS_BEFORE * DAY, 9)
        self.history.at(scheduled, lambda planned=day: self.meeting_schedule(k, planned))
        if k == CANCELLED:
            cancelled = self.meeting_moment(day - 5 * DAY, 9)
            self.history.at(cancelled, lambda planned=day: self.meeting_postpone(k, planned))
            day += 7 * DAY
        self.history.at(self.meeting_moment(day - DAY, 16), lambda: self.meeting_prepare(k))
        start = datetime.datetime.combine(day, STARTS, tzinfo=self.tz)
        self.history.at(start, lambda: self.meeting_open(k))
        for slot in range(SLOTS):
            at = start + datetime.timedelta(minutes=5 + SLOT_MINUTES * slot)
            self.history.at(at, lambda slot=slot: self.meeting_examine(k, slot))
            # The decision's task, done by its owner a few days later (or still pending).
            if rng.random() < TASK_DONE_SHARE:
                done = self.meeting_moment(day + rng.randint(4, 20) * DAY, rng.randint(9, 17))
                self.history.at(done, lambda slot=slot: self.decision_task_done(k, slot))
        self.history.at(start + datetime.timedelta(minutes=115), lambda: self.meeting_close(k))
        # The minutes: drafted two days later, reviewed and made final two days after that — except the
        # last meeting's, still a draft waiting for the coordinator's review.
        self.history.at(self.meeting_moment(day + MINUTES_DRAFTED_AFTER, 10), lambda: self.minutes_draft(k))
        if k != LAST_HELD:
            self.history.at(self.meeting_moment(day + MINUTES_FINAL_AFTER, 11), lambda: self.minutes_final(k))

    def meeting_schedule(self, k: int, day: datetime.date, note: str = "") -> None:
        video = k == VIDEO
        self.meetings[k] = meeting_services.meeting_schedule(
            actor=self.coordinator,
            starts_at=datetime.datetime.combine(day, STARTS, tzinfo=self.tz),
            ends_at=datetime.datetime.combine(day, ENDS, tzinfo=self.tz),
            place="" if video else self.meeting_data["place"],
            video_link=self.meeting_data["video_link"] if video else "",
            note=self.meeting_data["video_note"] if video else note,
        )
        self.keep_off_agenda(self.meetings[k])

    def schedule_upcoming(self) -> None:
        self.meeting_schedule(0, self.upcoming_day)

    def meeting_postpone(self, k: int, day: datetime.date) -> None:
        meeting_services.meeting_cancel(actor=self.coordinator, meeting=self.meetings[k], version=None)
        self.meeting_schedule(k, day + 7 * DAY, note=self.meeting_data["postponed_note"])

    def meeting_current(self, k: int) -> Meeting | None:
        meeting = self.meetings.get(k)
        return Meeting.objects.get(pk=meeting.pk) if meeting is not None else None

    def special_situations(self) -> set[int]:
        return {s.pk for key, s in self.situations.items() if key in ("canary", "restricted")}

    def keep_off_agenda(self, meeting: Meeting, *, closed: bool = False) -> None:
        """The canary never stays on an agenda (its names stay confined), nor, the day before, a situation
        closed meanwhile. (The restricted situation is never proposed.)"""
        special = self.special_situations()
        for item in meeting.items.select_related("situation").order_by("position", "pk"):
            if item.situation_id in special or closed and item.situation.status == SituationStatus.CLOSED:
                meeting_services.agenda_item_remove(actor=self.coordinator, item=item)

    def trim_agenda(self, meeting: Meeting) -> None:
        """No more than two hours examine: the situations there only because they were « not examined for
        long » wait for the next meeting (all but what fits; now and then one even when all fit)."""
        rng = self.meeting_rng
        items = list(meeting.items.order_by("position", "pk"))
        stale = [i for i in items if i.reasons == [AgendaReason.NOT_REVIEWED]]
        excess = len(items) - SLOTS if len(items) > SLOTS else int(rng.random() < 0.3)
        for item in rng.sample(stale, min(excess, len(stale))):
            meeting_services.agenda_item_remove(actor=self.coordinator, item=item)

    def add_by_pseudonym(self, meeting: Meeting) -> None:
        """A situation a partner asked to discuss: open, not restricted, not on the agenda yet."""
        candidates = list(
            Situation.objects.filter(territory=self.territory, restricted=False)
            .exclude(status=SituationStatus.CLOSED)
            .exclude(pk__in=self.special_situations())
            .exclude(pk__in=meeting.items.values("situation_id"))
            .order_by("pk")
            .values_list("pseudonym", flat=True)
        )
        if candidates:
            meeting_services.agenda_item_add(
                actor=self.coordinator, meeting=meeting, pseudonym=self.meeting_rng.choice(candidates)
            )

    def meeting_prepare(self, k: int) -> None:
        """The day before: the proposal completed with what came up since it was scheduled, edited —
        sometimes a situation a partner asked for added by its pseudonym — and kept to two hours."""
        meeting = self.meeting_current(k)
        if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
            return
        meeting_services.agenda_propose(actor=self.coordinator, meeting=meeting)
        self.keep_off_agenda(meeting, closed=True)
        if self.meeting_rng.random() < 0.4 or not meeting.items.exists():
            self.add_by_pseudonym(meeting)
        self.trim_agenda(meeting)
        if not meeting.items.exists():  # a small demo: nothing to examine
            meeting_services.meeting_cancel(actor=self.coordinator, meeting=meeting, version=None)

    def meeting_open(self, k: int) -> None:
        """The roll call (one or two excused), then the meeting opens."""
        meeting = self.meeting_current(k)
        if meeting is None or meeting.status != MeetingStatus.SCHEDULED or not meeting.items.exists():
            return
        rng = self.meeting_rng
        participants = sorted(meeting.participants.values_list("membership_id", flat=True))
        others = [pk for pk in participants if pk != self.coordinator.membership.pk]
        away = set(rng.sample(others, min(len(others), rng.choice([1, 1, 2]))))
        attendance = {pk: Attendance.EXCUSED if pk in away else Attendance.PRESENT for pk in participants}
        meeting = meeting_services.attendance_record(
            actor=self.coordinator, meeting=meeting, attendance=attendance, version=None
        )
        meeting_services.meeting_open(actor=self.coordinator, meeting=meeting, version=None)

    def meeting_close(self, k: int) -> None:
        meeting = self.meeting_current(k)
        if meeting is None or meeting.status != MeetingStatus.OPEN:
            return
        meeting_services.meeting_close(actor=self.coordinator, meeting=meeting, version=None)

    def minutes_draft(self, k: int) -> None:
        meeting = self.meeting_current(k)
        if meeting is not None and meeting.status == MeetingStatus.CLOSED:
            meeting_services.minutes_draft(actor=self.coordinator, meeting=meeting)

    def minutes_final(self, k: int) -> None:
        meeting = self.meeting_current(k)
        minutes = (
            Minutes.objects.filter(meeting=meeting, status=MinutesStatus.DRAFT).first() if meeting else None
        )
        if minutes is not None:
            meeting_services.minutes_finalise(actor=self.coordinator, minutes=minutes, version=None)

    # ------------------------------------------------------------------------------ examinations

    def meeting_examine(self, k: int, slot: int) -> None:
        """The slot's situation: a summary and the next review date; for about half, a decision whose
        action becomes a task of someone who follows it on their own ground."""
        meeting = self.meeting_current(k)
        if meeting is None or meeting.status != MeetingStatus.OPEN:
            return
        items = list(meeting.items.select_related("situation").order_by("position", "pk"))
        if slot >= len(items):
            return
        rng, item = self.meeting_rng, items[slot]
        day = timezone.localtime(meeting.starts_at).date()
        # The coordinator reads its persons as the situation's page shows them: an identity read, recorded.
        situation = situation_selectors.situation_detailed(self.coordinator, item.situation.public_id)
        situation_services.situation_view_record(actor=self.coordinator, situation=situation, identities=True)
        names = self.persons_named(situation)
        item = meeting_services.item_record(
            actor=self.coordinator,
            item=item,
            summary=self.summary_text(item.reasons, names),
            next_review_on=day + rng.choice([4, 6, 8, 12]) * 7 * DAY,
            version=None,
        )
        if situation.status == SituationStatus.CLOSED or rng.random() >= DECISION_SHARE:
            return
        owners = list(meeting_services.owners_for(item).order_by("pk"))
        others = [m for m in owners if m.pk != self.coordinator.membership.pk]
        if not owners:
            return
        text, action = rng.choice(self.meeting_data["decisions"])
        decision = meeting_services.decision_add(
            actor=self.coordinator,
            item=item,
            text=text.format(**names),
            action=action,
            owner=rng.choice(others or owners),
            due_on=day + rng.randint(14, 21) * DAY,
        )
        self.decision_tasks[k, slot] = decision.task

    def decision_task_done(self, k: int, slot: int) -> None:
        task = self.decision_tasks.get((k, slot))
        if task is None:
            return
        task = Task.objects.select_related("situation", "owner__user").get(pk=task.pk)
        if task.done_at is not None or task.situation.status == SituationStatus.CLOSED:
            return
        owner = self.cast_actor(task.owner)
        if owner is None or not situation_policies.can_open(owner, task.situation):
            return  # the owner no longer follows it: the coordination will settle it
        situation_services.task_done(actor=owner, task=task)

    def cast_actor(self, membership) -> Actor | None:
        actors = [
            *self.cast.by_email.values(),
            *(a for group in self.cast.professionals.values() for a in group),
            *(a for group in self.cast.referents.values() for a in group),
        ]
        return next((a for a in actors if a.membership.pk == membership.pk), None)

    def persons_named(self, situation: Situation) -> dict:
        """What a summary calls people: the victim by her first name, the alleged perpetrator by his now and
        then, the children by first name and age."""
        persons = list(situation.persons.all())
        victim = next((p for p in persons if p.role == PersonRole.VICTIM), None)
        perpetrator = next((p for p in persons if p.role == PersonRole.PERPETRATOR), None)
        children = [p for p in persons if p.role == PersonRole.CHILD and p.first_name]
        woman = victim is None or victim.sex != Sex.MALE
        partner_woman = perpetrator is not None and perpetrator.sex == Sex.FEMALE
        if perpetrator is not None and perpetrator.first_name and self.meeting_rng.random() < 0.5:
            author = perpetrator.first_name
        else:
            author = "son ex-conjointe" if partner_woman else "son ex-conjoint"
        ages = [
            f"{c.first_name} ({age_text(c.age)})" if c.age is not None else c.first_name for c in children
        ]
        return {
            "victime": (victim.first_name if victim and victim.first_name else "la victime"),
            "e": "e" if woman else "",
            "elle": "elle" if woman else "il",
            "Elle": "Elle" if woman else "Il",
            "auteur": author,
            "enfants": " et ".join([", ".join(ages[:-1]), ages[-1]] if len(ages) > 1 else ages),
            "several": len(ages) > 1,
        }

    def summary_text(self, reasons: list[str], names: dict) -> str:
        texts, rng = self.meeting_data["summaries"], self.meeting_rng
        kind = next(
            (
                kind
                for code, kind in (("danger", "danger"), ("stay_ending", "stay_ending"))
                if code in reasons
            ),
            "new" if AgendaReason.NEW in reasons else "follow",
        )
        summary = rng.choice(texts[kind])
        if names["enfants"] and rng.random() < 0.4:
            # The second sentence speaks of several children.
            summary += " " + rng.choice(texts["children"][: 2 if names["several"] else 1])
        return summary.format(**names)

    # ----------------------------------------------------------------------------------- summary

    def meetings_summary(self) -> dict:
        meetings = Meeting.objects.filter(territory=self.territory)
        charter = meeting_policies.current_charter(self.territory.pk)
        members = GroupMember.objects.filter(territory=self.territory).count()
        accepting = meeting_policies.memberships_accepting(self.territory.pk).count() if charter else 0
        upcoming = meetings.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=timezone.now()).first()
        return {
            "held": meetings.filter(status=MeetingStatus.CLOSED).count(),
            "cancelled": meetings.filter(status=MeetingStatus.CANCELLED).count(),
            "members": members,
            "not_accepted": members - accepting,
            "charter": charter.version if charter else None,
            "examined": AgendaItem.objects.filter(meeting__in=meetings, reviewed_at__isnull=False).count(),
            "upcoming": timezone.localtime(upcoming.starts_at) if upcoming else None,
            "upcoming_items": upcoming.items.count() if upcoming else 0,
            "minutes_final": Minutes.objects.filter(meeting__in=meetings, status=MinutesStatus.FINAL).count(),
        }
