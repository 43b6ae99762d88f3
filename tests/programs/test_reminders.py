"""The daily reminder digest: its content, sent once a day in Indonesian, opt-out respected."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collab import outbox
from collab.models import OutboxMessage, ReminderLog, UserPreference
from programs.models import ActionItem, Commitment, Meeting, Program
from programs.reminders import add_months, build_digests, digest_for
from programs.services.program import grant_coordinator
from tests.conftest import PERSONAS
from tests.factories.commitments import CommitmentFactory
from tests.factories.lookups import UserFactory
from tests.factories.meetings import ActionItemFactory, MeetingFactory
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramFactory

TODAY = datetime.date(2024, 6, 10)
DAY = ["--date", TODAY.isoformat()]


@pytest.fixture
def due(program, other_program, users):
    """Records of `program` around TODAY, and one overdue commitment of `other_program`."""
    program.meeting_cadence_months = 4
    program.save()
    partner = PartnerFactory(name="Baznas Bengkulu")
    records = {
        "overdue": CommitmentFactory(
            program=program,
            partner=partner,
            title="Dana zakat produktif",
            due_on=TODAY.replace(day=1),
        ),
        "soon": CommitmentFactory(
            program=program,
            partner=partner,
            title="Pelatihan kader",
            status=Commitment.Status.IN_PROGRESS,
            due_on=datetime.date(2024, 6, 20),
        ),
        "last_day": CommitmentFactory(
            program=program,
            partner=partner,
            title="Batas akhir",
            due_on=TODAY + datetime.timedelta(14),
        ),
        "action": ActionItemFactory(
            program=program, title="Identifikasi kebutuhan", due_on=datetime.date(2024, 5, 31)
        ),
    }
    # Not reminded: done, fulfilled, beyond 14 days, without a due date.
    CommitmentFactory(
        program=program, title="Sudah terpenuhi", status=Commitment.Status.FULFILLED, due_on=TODAY
    )
    CommitmentFactory(program=program, title="Masih lama", due_on=TODAY + datetime.timedelta(15))
    CommitmentFactory(program=program, title="Tanpa tenggat", due_on=None)
    ActionItemFactory(
        program=program, title="Sudah selesai", status=ActionItem.Status.DONE, due_on=TODAY
    )
    MeetingFactory(
        program=program, kind=Meeting.Kind.COORDINATION, starts_on=datetime.date(2024, 1, 15)
    )
    CommitmentFactory(program=other_program, title="Program lain", due_on=TODAY.replace(day=2))
    return records


def run_reminders(*args, **kwargs):
    """The command, then what the outbox sends after each user's commit (a test's own
    transaction never commits, so its on-commit work is run here)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", *args, **kwargs)


def digest_of(user, today=TODAY):
    return digest_for(user, today)


# --- what the digest says -------------------------------------------------------------------------


def test_the_digest_lists_open_items_overdue_or_due_within_14_days(due, users):
    digest = digest_of(users["coordinator"])

    assert [item.title for item in digest.overdue] == [
        "Identifikasi kebutuhan",
        "Dana zakat produktif",
    ]
    assert [item.title for item in digest.due_soon] == ["Pelatihan kader", "Batas akhir"]
    overdue = digest.overdue[1]
    assert (overdue.kind, overdue.who, overdue.days) == ("commitment", "Baznas Bengkulu", 9)
    assert overdue.url.endswith(reverse("programs:commitment_detail", args=[due["overdue"].pk]))
    assert digest.program_names == ["Program Ini"]


def test_the_digest_holds_nothing_of_programmes_the_user_does_not_coordinate(due, users):
    mine = digest_of(users["coordinator"])
    theirs = digest_of(users["other_coordinator"])

    assert "Program lain" not in [item.title for item in mine.overdue]
    assert [item.title for item in theirs.overdue] == ["Program lain"]


def test_a_meeting_is_due_when_the_last_is_older_than_the_cadence_and_none_is_scheduled(due, users):
    (meeting,) = digest_of(users["coordinator"]).meetings_due

    assert (meeting.program, meeting.cadence_months) == ("Program Ini", 4)
    assert (meeting.last_on, meeting.due_on) == (
        datetime.date(2024, 1, 15),
        datetime.date(2024, 5, 15),
    )
    assert meeting.url.endswith(reverse("programs:meeting_create", args=["program-ini"]))


def test_no_meeting_is_due_before_the_cadence_has_passed(due, users):
    assert digest_of(users["coordinator"], datetime.date(2024, 5, 14)).meetings_due == []
    assert len(digest_of(users["coordinator"], datetime.date(2024, 5, 15)).meetings_due) == 1


def test_a_scheduled_coordination_meeting_silences_the_meeting_reminder(due, program, users):
    MeetingFactory(
        program=program, kind=Meeting.Kind.COORDINATION, starts_on=TODAY + datetime.timedelta(30)
    )

    assert digest_of(users["coordinator"]).meetings_due == []


def test_an_archived_meeting_neither_counts_as_held_nor_as_scheduled(due, program, users):
    MeetingFactory(
        program=program,
        kind=Meeting.Kind.COORDINATION,
        starts_on=TODAY + datetime.timedelta(30),
        archived_at=timezone.now(),
    )
    MeetingFactory(
        program=program,
        kind=Meeting.Kind.COORDINATION,
        starts_on=TODAY - datetime.timedelta(3),
        archived_at=timezone.now(),
    )

    (meeting,) = digest_of(users["coordinator"]).meetings_due

    assert meeting.last_on == datetime.date(2024, 1, 15)


def test_an_archived_commitment_is_not_reminded(due, users):
    due["overdue"].archived_at = timezone.now()
    due["overdue"].save()

    assert [item.title for item in digest_of(users["coordinator"]).overdue] == [
        "Identifikasi kebutuhan"
    ]


def test_only_coordination_meetings_count_towards_the_cadence(due, program, users):
    MeetingFactory(
        program=program, kind=Meeting.Kind.WORKSHOP, starts_on=TODAY - datetime.timedelta(3)
    )
    MeetingFactory(
        program=program, kind=Meeting.Kind.TRAINING, starts_on=TODAY + datetime.timedelta(3)
    )

    assert len(digest_of(users["coordinator"]).meetings_due) == 1


def test_a_programme_with_a_cadence_and_no_meeting_at_all_is_due_one(program, users):
    program.meeting_cadence_months = 4
    program.save()

    (meeting,) = digest_of(users["coordinator"]).meetings_due

    assert (meeting.last_on, meeting.due_on) == (None, None)


@pytest.mark.parametrize("status", [Program.Status.COMPLETED, Program.Status.SUSPENDED])
def test_a_programme_that_is_not_active_is_not_due_a_meeting(status, due, program, users):
    program.status = status
    program.save()

    assert digest_of(users["coordinator"]).meetings_due == []


def test_a_coordinator_through_a_group_gets_the_digest(due, program):
    group = Group.objects.create(name="Sekretariat Kota SDGs")
    grant_coordinator(program=program, user=group)
    member = UserFactory(username="anggota-sekretariat")
    member.groups.add(group)

    assert len(digest_of(member).overdue) == 2


def test_viewers_staff_and_admins_are_not_sent_digests(due, users):
    recipients = {digest.user.username for digest in build_digests(TODAY)}

    assert recipients == {"koordinator-ini", "koordinator-lain"}


def test_inactive_coordinators_are_not_sent_digests(due, users):
    users["coordinator"].is_active = False
    users["coordinator"].save()

    assert {digest.user.username for digest in build_digests(TODAY)} == {"koordinator-lain"}


def test_building_every_digest_runs_the_same_queries_for_2_and_12_coordinators(due, program):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            build_digests(TODAY)
        return len(captured)

    few = queries()
    for _ in range(10):
        grant_coordinator(program=ProgramFactory(meeting_cadence_months=3), user=UserFactory())
        CommitmentFactory(program=program, due_on=TODAY)
    assert queries() == few


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2018, 5, 14), 4, datetime.date(2018, 9, 14)),
        (datetime.date(2023, 10, 31), 4, datetime.date(2024, 2, 29)),  # clamped to month end
        (datetime.date(2024, 11, 30), 3, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 1), 12, datetime.date(2025, 1, 1)),
    ],
)
def test_months_are_added_as_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


# --- sending --------------------------------------------------------------------------------------


def test_each_coordinator_gets_one_digest_in_indonesian(due, users):
    out = StringIO()

    run_reminders(*DAY, stdout=out)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "koordinator-ini@example.org",
        "koordinator-lain@example.org",
    ]
    (message,) = [m for m in mail.outbox if m.to == ["koordinator-ini@example.org"]]
    # Dates as Indonesians write them, whatever language the command runs in.
    assert "10 Juni 2024" in message.subject
    assert "1 Juni 2024" in message.body and "20 Juni 2024" in message.body
    for title in (
        "Dana zakat produktif",
        "Pelatihan kader",
        "Batas akhir",
        "Identifikasi kebutuhan",
    ):
        assert title in message.body
    for title in (
        "Sudah terpenuhi",
        "Masih lama",
        "Tanpa tenggat",
        "Sudah selesai",
        "Program lain",
    ):
        assert title not in message.body
    assert f"{settings.COLLAB_SITE_URL}/programs/program-ini/meetings/new/" in message.body
    assert f"{settings.COLLAB_SITE_URL}{reverse('preferences')}" in message.body
    assert "Reminders for 2024-06-10: 2 coordinators, 2 sent" in out.getvalue()


def test_running_twice_the_same_day_sends_nothing_twice(due, users):
    run_reminders(*DAY, stdout=StringIO())
    out = StringIO()

    run_reminders(*DAY, stdout=out)

    assert len(mail.outbox) == 2
    assert "0 sent, 2 already sent today" in out.getvalue()
    log = ReminderLog.objects.get(user=users["coordinator"], sent_on=TODAY)
    assert log.sent_at is not None
    assert log.item_count == 5  # two overdue, two due soon, one meeting


def test_the_next_day_sends_again(due, users):
    run_reminders(*DAY, stdout=StringIO())
    run_reminders("--date", "2024-06-11", stdout=StringIO())

    assert len(mail.outbox) == 4


def test_a_day_claimed_by_another_run_is_not_sent_again(due, users):
    # Another host's run got there first (or died after claiming): its row decides.
    ReminderLog.objects.create(user=users["coordinator"], sent_on=TODAY)

    run_reminders(*DAY, stdout=StringIO())

    assert [message.to for message in mail.outbox] == [["koordinator-lain@example.org"]]


def test_a_user_who_turned_the_digest_off_gets_nothing(due, users, client_for):
    response = client_for("coordinator").post(reverse("preferences"), {})  # checkbox unticked
    assert response.status_code == 302
    out = StringIO()

    run_reminders(*DAY, stdout=out)

    assert [message.to for message in mail.outbox] == [["koordinator-lain@example.org"]]
    assert "1 opted out" in out.getvalue()
    assert not ReminderLog.objects.filter(user=users["coordinator"]).exists()


def test_a_dry_run_sends_and_records_nothing(due, users):
    out = StringIO()

    run_reminders(*DAY, "--dry-run", stdout=out)

    assert mail.outbox == []
    assert not ReminderLog.objects.exists()
    assert "koordinator-ini <koordinator-ini@example.org>" in out.getvalue()
    assert "2 would be sent (dry run)" in out.getvalue()


def test_a_failed_send_stays_in_the_outbox_and_is_retried_never_doubled(
    due, users, monkeypatch, settings
):
    # The digest and the day's claim are one commit; the mail server being down is the
    # outbox's business (retries with back-off), not a reason to write the digest again.
    settings.COLLAB_OUTBOX_MAX_ATTEMPTS = 2

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        run_reminders(*DAY, stdout=StringIO())
    assert mail.outbox == []
    messages = OutboxMessage.objects.filter(kind="reminder_digest")
    assert sorted(messages.values_list("state", "attempts")) == [("failed", 2), ("failed", 2)]
    assert "SMTP server down" in messages.first().last_error

    out = StringIO()
    run_reminders(*DAY, stdout=out)  # the day is claimed: nothing written twice
    assert "0 sent, 2 already sent today" in out.getvalue()
    with TestCase.captureOnCommitCallbacks(execute=True):
        outbox.retry_failed(messages)  # the admin's action, once the server is back

    assert sorted(message.to[0] for message in mail.outbox) == [
        "koordinator-ini@example.org",
        "koordinator-lain@example.org",
    ]
    log = ReminderLog.objects.get(user=users["coordinator"], sent_on=TODAY)
    assert log.message.state == OutboxMessage.State.SENT


def test_coordinators_without_anything_due_or_without_an_address_get_nothing(program, users):
    users["other_coordinator"].email = ""
    users["other_coordinator"].save()
    CommitmentFactory(program=ProgramFactory(), due_on=TODAY)  # nobody coordinates it
    out = StringIO()

    run_reminders(*DAY, stdout=out)

    assert mail.outbox == []
    assert "2 with nothing due" in out.getvalue()


def test_a_malformed_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_reminders("--date", "10-06-2024")


# --- the preview and the preferences pages --------------------------------------------------------


PREVIEW = {
    "anonymous": 302,
    "no_rights": 403,
    "viewer": 403,
    "coordinator": 200,
    "other_coordinator": 200,  # their own digest, of their own programme
    "staff": 403,
    "admin": 200,
}
PREFERENCES = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "statuses"), [("reminders_preview", PREVIEW), ("preferences", PREFERENCES)]
)
def test_each_persona_gets_the_status_the_rights_give(name, statuses, persona, client_for):
    response = client_for(persona).get(reverse(name))

    assert response.status_code == statuses[persona]
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_the_preview_shows_todays_digest_and_the_e_mail(program, client_for):
    CommitmentFactory(
        program=program, title="Dana zakat produktif", due_on=datetime.date(2000, 1, 1)
    )

    response = client_for("coordinator").get(reverse("reminders_preview"))

    assert [item.title for item in response.context["digest"].overdue] == ["Dana zakat produktif"]
    body = response.content.decode()
    assert body.count("Dana zakat produktif") == 2  # the list and the e-mail text
    assert "1 Januari 2000" in response.context["body"]
    assert mail.outbox == []


def test_the_preview_says_when_the_digest_is_turned_off(program, users, client_for):
    preference = UserPreference.for_user(users["coordinator"])
    preference.reminders_enabled = False
    preference.save()

    response = client_for("coordinator").get(reverse("reminders_preview"))

    assert not response.context["digest"].enabled


def test_a_user_turns_the_digest_off_and_on_again(users, client_for):
    client = client_for("viewer")

    client.post(reverse("preferences"), {})
    assert not UserPreference.objects.get(user=users["viewer"]).reminders_enabled

    client.post(reverse("preferences"), {"reminders_enabled": "on"})
    assert UserPreference.objects.get(user=users["viewer"]).reminders_enabled
