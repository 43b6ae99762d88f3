"""The daily reminder digest: one e-mail per coordinator, in Indonesian, of what needs acting on.

A digest lists, for the programmes the user coordinates, open commitments and action items that
are overdue or due within `HORIZON_DAYS`, and each active programme whose coordination meeting is
due by its cadence (`Program.meeting_cadence_months`) with none scheduled.

Once-only sending. For each user, one transaction inserts the `ReminderLog` row (unique per
user and day) and writes the digest to the e-mail outbox (collab.outbox); the outbox sends it
after the commit, retrying while the mail server is down, and never twice. A second run the same
day, on this host or another, finds the row (or loses the race on the unique constraint) and
writes nothing; the outbox's idempotency key (`reminder-digest:<user>:<day>`) says the same.
Nothing is lost between claiming and sending any more: both are one commit.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from collab import outbox
from collab.models import ReminderLog

from .models import (
    ActionItem,
    Commitment,
    Meeting,
    Program,
    ProgramGroupObjectPermission,
    ProgramUserObjectPermission,
)

logger = logging.getLogger(__name__)

HORIZON_DAYS = 14
SECTION_LIMIT = 30  # rows per section of one e-mail; the rest is counted and linked
COORDINATE = "coordinate_program"
DIGEST_LANGUAGE = "id"  # coordinators work in Bahasa Indonesia
DIGEST_KIND = "reminder_digest"  # the outbox's kind of these e-mails


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus calendar months, the day clamped to the month's end (31 Oct + 4 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def site_url(path: str) -> str:
    return settings.COLLAB_SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class DueItem:
    """An open commitment or action item that is overdue or due soon."""

    kind: str  # "commitment" or "action_item"
    title: str
    program: str
    who: str
    due_on: datetime.date
    url: str
    days: int  # days overdue (positive) or left (negative or zero)

    @property
    def overdue(self) -> bool:
        return self.days > 0

    @property
    def days_left(self) -> int:
        return -self.days


@dataclass(frozen=True)
class MeetingDue:
    """An active programme whose coordination meeting is due, with none scheduled."""

    program: str
    cadence_months: int
    last_on: datetime.date | None
    due_on: datetime.date | None
    url: str


def shown(rows: list[Any]) -> list[Any]:
    """The rows of a digest's section that its e-mail lists."""
    return rows[:SECTION_LIMIT]


def more(rows: list[Any]) -> int:
    """How many rows of a section its e-mail only counts."""
    return max(len(rows) - SECTION_LIMIT, 0)


@dataclass
class Digest:
    """What one user would receive on `today`."""

    user: Any
    today: datetime.date
    enabled: bool = True
    overdue: list[DueItem] = field(default_factory=list)
    due_soon: list[DueItem] = field(default_factory=list)
    meetings_due: list[MeetingDue] = field(default_factory=list)
    program_names: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.meetings_due)

    @property
    def is_empty(self) -> bool:
        return self.count == 0

    # An e-mail shows the first SECTION_LIMIT rows of a section and counts the rest.
    overdue_shown = property(lambda self: shown(self.overdue))
    overdue_more = property(lambda self: more(self.overdue))
    due_soon_shown = property(lambda self: shown(self.due_soon))
    due_soon_more = property(lambda self: more(self.due_soon))


def coordinator_programs(user_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """Programme ids each active user coordinates, directly or through a group (one query)."""
    direct = ProgramUserObjectPermission.objects.filter(
        permission__codename=COORDINATE, user__is_active=True
    )
    via_group = ProgramGroupObjectPermission.objects.filter(
        permission__codename=COORDINATE, group__user__is_active=True
    )
    if user_ids is not None:
        user_ids = list(user_ids)
        direct = direct.filter(user_id__in=user_ids)
        via_group = via_group.filter(group__user__in=user_ids)
    pairs = (
        direct.order_by()
        .values_list("user_id", "content_object_id")
        .union(via_group.order_by().values_list("group__user", "content_object_id"))
    )
    programs: dict[int, set[int]] = defaultdict(set)
    for user_id, program_id in pairs:
        programs[user_id].add(program_id)
    return programs


def _due_item(kind: str, record: Any, who: str, url: str, today: datetime.date) -> DueItem:
    return DueItem(
        kind=kind,
        title=record.title,
        program=record.program.name,
        who=who,
        due_on=record.due_on,
        url=url,
        days=(today - record.due_on).days,
    )


def build_digests(today: datetime.date, user_ids: Iterable[int] | None = None) -> list[Digest]:
    """Every coordinator's digest for `today` (or those of `user_ids`), in six queries.

    Empty and disabled digests are included, so that the caller can report them.
    """
    programs_of = coordinator_programs(user_ids)
    if not programs_of:
        return []
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    program_ids = set().union(*programs_of.values())
    users = (
        get_user_model()
        .objects.filter(pk__in=programs_of.keys())
        .select_related("preference")
        .order_by("pk")
    )
    by_program: dict[int, list[DueItem]] = defaultdict(list)
    commitments = (
        Commitment.objects.open()
        .filter(program_id__in=program_ids, due_on__isnull=False, due_on__lte=horizon)
        .select_related("program", "partner")
        .order_by("due_on", "id")
    )
    for commitment in commitments:
        url = site_url(commitment.get_absolute_url())
        by_program[commitment.program_id].append(
            _due_item("commitment", commitment, commitment.partner.name, url, today)
        )
    items = (
        ActionItem.objects.open()
        .filter(program_id__in=program_ids, due_on__isnull=False, due_on__lte=horizon)
        .select_related("program", "responsible")
        .order_by("due_on", "id")
    )
    for item in items:
        url = site_url(reverse("programs:program_detail", args=[item.program.slug]) + "#work-plan")
        who = item.responsible.name if item.responsible else ""
        by_program[item.program_id].append(_due_item("action_item", item, who, url, today))

    # An archived meeting was withdrawn: it neither took place nor is scheduled.
    coordination = Q(meetings__kind=Meeting.Kind.COORDINATION, meetings__archived_at__isnull=True)
    cadenced = Program.objects.filter(
        pk__in=program_ids,
        status=Program.Status.ACTIVE,
        meeting_cadence_months__isnull=False,
    ).annotate(
        last_meeting=Max(
            "meetings__starts_on", filter=coordination & Q(meetings__starts_on__lt=today)
        ),
        next_meeting=Min(
            "meetings__starts_on", filter=coordination & Q(meetings__starts_on__gte=today)
        ),
    )
    meetings_due: dict[int, MeetingDue] = {}
    for program in cadenced:
        if program.next_meeting is not None:
            continue  # one is scheduled
        due_on = (
            add_months(program.last_meeting, program.meeting_cadence_months)
            if program.last_meeting
            else None
        )
        if due_on is None or due_on <= today:
            meetings_due[program.pk] = MeetingDue(
                program=program.name,
                cadence_months=program.meeting_cadence_months,
                last_on=program.last_meeting,
                due_on=due_on,
                url=site_url(reverse("programs:meeting_create", args=[program.slug])),
            )
    names = dict(Program.objects.filter(pk__in=program_ids).values_list("pk", "name"))

    digests = []
    for user in users:
        preference = getattr(user, "preference", None)
        digest = Digest(
            user=user,
            today=today,
            enabled=preference.reminders_enabled if preference else True,
            program_names=sorted(names[pk] for pk in programs_of[user.pk] if pk in names),
        )
        mine = sorted(
            (item for pk in programs_of[user.pk] for item in by_program.get(pk, [])),
            key=lambda item: (item.due_on, item.program, item.title),
        )
        digest.overdue = [item for item in mine if item.overdue]
        digest.due_soon = [item for item in mine if not item.overdue]
        digest.meetings_due = sorted(
            (meetings_due[pk] for pk in programs_of[user.pk] if pk in meetings_due),
            key=lambda due: due.program,
        )
        digests.append(digest)
    return digests


def digest_for(user: Any, today: datetime.date) -> Digest:
    """The digest `user` would receive on `today` (an empty one if they coordinate nothing)."""
    digests = build_digests(today, user_ids=[user.pk])
    if digests:
        return digests[0]
    preference = getattr(user, "preference", None)
    return Digest(
        user=user, today=today, enabled=preference.reminders_enabled if preference else True
    )


def render_digest(digest: Digest) -> tuple[str, str]:
    """Subject and plain-text body, in Indonesian whatever language is active."""
    context = {
        "digest": digest,
        "horizon": HORIZON_DAYS,
        "site_url": settings.COLLAB_SITE_URL.rstrip("/"),
        "preferences_url": site_url(reverse("preferences")),
    }
    with translation.override(DIGEST_LANGUAGE):
        subject = render_to_string("programs/email/reminder_subject.txt", context)
        body = render_to_string("programs/email/reminder_digest.txt", context)
    # A header cannot hold a line break (Django would refuse the message).
    return " ".join(subject.split()), body


@dataclass
class SendReport:
    """What a run did, for the command's progress line."""

    coordinators: int = 0
    sent: int = 0
    would_send: int = 0
    already_sent: int = 0
    opted_out: int = 0
    nothing_due: int = 0
    no_email: int = 0
    failed: int = 0


def _write(user: Any, digest: Digest, subject: str, body: str) -> bool:
    """Claim `user`'s day and put the digest in the outbox, in one transaction; False if a run
    got there first (the unique constraint on (user, day) decides between two racing runs)."""
    try:
        with transaction.atomic():
            message = outbox.enqueue(
                to=[user.email],
                subject=subject,
                body=body,
                kind=DIGEST_KIND,
                idempotency_key=f"{DIGEST_KIND}:{user.pk}:{digest.today.isoformat()}",
            )
            ReminderLog.objects.create(
                user=user,
                sent_on=digest.today,
                item_count=digest.count,
                sent_at=timezone.now(),
                message=message,
            )
    except IntegrityError:
        return False
    return True


def send_reminders(
    *,
    today: datetime.date,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SendReport:
    """E-mail each coordinator who has something due their digest for `today`, once: written to
    the outbox, sent by a task after each user's commit."""
    report = SendReport()
    digests = build_digests(today)
    report.coordinators = len(digests)
    already = set(ReminderLog.objects.filter(sent_on=today).values_list("user_id", flat=True))
    for digest in digests:
        user = digest.user
        if not digest.enabled:
            report.opted_out += 1
            continue
        if digest.is_empty:
            report.nothing_due += 1
            continue
        if not user.email:
            report.no_email += 1
            logger.warning("Coordinator %s has reminders due but no e-mail address.", user.pk)
            continue
        if user.pk in already:
            report.already_sent += 1
            continue
        subject, body = render_digest(digest)
        if dry_run:
            report.would_send += 1
            if progress:
                progress(f"{user.get_username()} <{user.email}>: {subject}")
            continue
        try:
            written = _write(user, digest, subject, body)
        except Exception:
            # The database refused (nothing was written): the next run retries this user.
            report.failed += 1
            logger.exception("The reminder digest to user %s could not be written.", user.pk)
            continue
        if not written:
            report.already_sent += 1
            continue
        report.sent += 1
        if progress:
            progress(f"{user.get_username()}: {digest.count}")
    return report
