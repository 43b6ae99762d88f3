"""The programme's iCalendar feed: parsed back with `icalendar`, authenticated by a secret key."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from zeal import zeal_ignore

from collab.ical import CalendarEvent, calendar, escape_text, fold
from collab.models import UserPreference
from programs.models import ActionItem
from tests.conftest import PERSONAS
from tests.factories import ActionItemFactory, MeetingFactory, UserFactory

LONG_TITLE = (
    "Lokakarya Penyepakatan Program Kolaborasi Parapihak Pemodelan Program Kelurahan Mandiri di "
    "2 Wilayah Piloting (Kel. Taman & Demangan) Kec. Taman Kota Madiun Th. 2021"
)


@pytest.fixture
def agenda(program, other_program):
    """Meetings (one over several days) and work-plan items of `program`."""
    return {
        "rakor": MeetingFactory(
            program=program,
            title="Rakor TL & EGM TA; NSUP, NUSP-2",
            starts_on=datetime.date(2017, 2, 6),
            ends_on=datetime.date(2017, 2, 9),
            venue="Jakarta",
        ),
        "lokakarya": MeetingFactory(
            program=program, title=LONG_TITLE, starts_on=datetime.date(2021, 11, 8)
        ),
        "item": ActionItemFactory(
            program=program, title="Identifikasi kebutuhan", due_on=datetime.date(2018, 6, 4)
        ),
        "cancelled": ActionItemFactory(
            program=program,
            title="Peluncuran",
            status=ActionItem.Status.CANCELLED,
            due_on=datetime.date(2018, 8, 31),
        ),
        "undated": ActionItemFactory(program=program, title="Monitoring", due_on=None),
        "elsewhere": MeetingFactory(program=other_program, title="Rapat program lain"),
    }


def feed_url(program, token: str | None) -> str:
    url = reverse("programs:program_calendar", args=[program.slug])
    return url if token is None else f"{url}?token={token}"


def token_of(user) -> str:
    # One look-up per call on purpose; zeal would read repeated calls from a test as an N+1.
    with zeal_ignore([{"model": "collab.UserPreference", "field": "get()"}]):
        return UserPreference.for_user(user).calendar_token


def fetch(program, user):
    """The feed as a calendar app fetches it: no session, only the key in the URL."""
    return Client().get(feed_url(program, token_of(user)))


def events_of(response) -> dict[str, object]:
    parsed = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in parsed.walk("VEVENT")}


# --- the feed -------------------------------------------------------------------------------------


def test_the_feed_parses_back_with_each_meeting_and_due_date(agenda, program, users):
    response = fetch(program, users["viewer"])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response)
    rakor = agenda["rakor"]
    assert set(events) == {
        f"meeting-{rakor.pk}@collab-registry",
        f"meeting-{agenda['lokakarya'].pk}@collab-registry",
        f"actionitem-{agenda['item'].pk}@collab-registry",
        f"actionitem-{agenda['cancelled'].pk}@collab-registry",
    }
    event = events[f"meeting-{rakor.pk}@collab-registry"]
    assert str(event["SUMMARY"]) == "Rakor TL & EGM TA; NSUP, NUSP-2"  # ; and , round-trip
    assert str(event["LOCATION"]) == "Jakarta"
    # All-day: DATE values, and DTEND is the day after the last day (exclusive).
    assert event.decoded("DTSTART") == datetime.date(2017, 2, 6)
    assert event.decoded("DTEND") == datetime.date(2017, 2, 10)
    assert type(event.decoded("DTSTART")) is datetime.date
    assert str(event["URL"]).endswith(reverse("programs:meeting_detail", args=[rakor.pk]))


def test_a_one_day_meeting_and_a_due_date_last_one_day(agenda, program, users):
    events = events_of(fetch(program, users["viewer"]))

    lokakarya = events[f"meeting-{agenda['lokakarya'].pk}@collab-registry"]
    assert str(lokakarya["SUMMARY"]) == LONG_TITLE  # unfolded whole
    assert lokakarya.decoded("DTEND") - lokakarya.decoded("DTSTART") == datetime.timedelta(1)
    item = events[f"actionitem-{agenda['item'].pk}@collab-registry"]
    assert item.decoded("DTSTART") == datetime.date(2018, 6, 4)
    assert item.decoded("DTEND") == datetime.date(2018, 6, 5)
    assert "Identifikasi kebutuhan" in str(item["SUMMARY"])
    cancelled = events[f"actionitem-{agenda['cancelled'].pk}@collab-registry"]
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_lines_end_in_crlf_and_are_folded_at_75_octets(agenda, program, users):
    content = fetch(program, users["viewer"]).content

    lines = content.split(b"\r\n")
    assert lines[-1] == b""  # the last line ends in CRLF too
    assert b"\n" not in content.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded


def test_the_uids_stay_the_same_when_a_meeting_is_edited(agenda, program, users):
    before = set(events_of(fetch(program, users["viewer"])))
    agenda["rakor"].starts_on = datetime.date(2017, 2, 7)
    agenda["rakor"].save()

    after = events_of(fetch(program, users["viewer"]))

    assert set(after) == before
    assert after[f"meeting-{agenda['rakor'].pk}@collab-registry"].decoded(
        "DTSTART"
    ) == datetime.date(2017, 2, 7)


def test_folding_never_cuts_a_multibyte_character():
    line = "SUMMARY:" + "Rapat “Kota SDGs” — é" * 20

    folded = fold(line)

    parts = folded.encode().split(b"\r\n")
    assert all(len(part) <= 75 for part in parts)
    assert "".join(part.decode()[1:] if i else part.decode() for i, part in enumerate(parts)) == (
        line
    )


def test_text_is_escaped_as_rfc_5545_says():
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


def test_an_empty_calendar_is_still_a_valid_calendar():
    text = calendar(
        name="Kosong", events=[], now=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )

    assert Calendar.from_ical(text)["X-WR-CALNAME"] == "Kosong"


def test_an_event_ending_before_it_starts_lasts_its_first_day():
    event = CalendarEvent(
        uid="x@collab-registry",
        summary="x",
        starts_on=datetime.date(2024, 1, 2),
        ends_on=datetime.date(2024, 1, 1),
    )
    text = calendar(
        name="x", events=[event], now=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )

    (parsed,) = Calendar.from_ical(text).walk("VEVENT")
    assert parsed.decoded("DTEND") == datetime.date(2024, 1, 3)


# --- who may read it ------------------------------------------------------------------------------

# With the persona's own key (anonymous: none). The rights are those of a programme page.
WITH_OWN_KEY = {
    "anonymous": 404,
    "no_rights": 404,
    "viewer": 200,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
    "admin": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_the_feed_with_their_own_key_as_the_rights_give(
    persona, agenda, program, users
):
    user = users[persona]
    url = feed_url(program, token_of(user) if user else None)

    response = Client().get(url)

    assert response.status_code == WITH_OWN_KEY[persona]


@pytest.mark.parametrize("token", [None, "", "salah", "x" * 500])
def test_a_missing_or_wrong_key_is_a_404(token, agenda, program, users):
    assert Client().get(feed_url(program, token)).status_code == 404


def test_a_session_without_a_key_is_not_enough(agenda, program, client_for):
    assert client_for("admin").get(feed_url(program, None)).status_code == 404


def test_another_programme_is_a_404_for_the_keys_user(agenda, other_program, users):
    assert fetch(other_program, users["coordinator"]).status_code == 404
    assert fetch(other_program, users["other_coordinator"]).status_code == 200


def test_a_deactivated_users_key_stops_working(agenda, program, users):
    url = feed_url(program, token_of(users["viewer"]))
    users["viewer"].is_active = False
    users["viewer"].save()

    assert Client().get(url).status_code == 404


def test_resetting_the_key_stops_the_old_link(agenda, program, users, client_for):
    old = feed_url(program, token_of(users["viewer"]))
    assert Client().get(old).status_code == 200

    response = client_for("viewer").post(reverse("preferences"), {"reset_calendar": "1"})

    assert response.status_code == 302
    new = feed_url(program, token_of(users["viewer"]))
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_resetting_the_key_leaves_the_digest_setting_alone(users, client_for):
    preference = UserPreference.for_user(users["viewer"])
    preference.reminders_enabled = False
    preference.save()

    client_for("viewer").post(reverse("preferences"), {"reset_calendar": "1"})

    assert not UserPreference.objects.get(user=users["viewer"]).reminders_enabled


def test_the_programme_page_shows_the_users_own_subscription_link(
    agenda, program, users, client_for
):
    response = client_for("viewer").get(program.get_absolute_url())

    url = response.context["calendar_url"]
    assert url == "http://testserver" + feed_url(program, token_of(users["viewer"]))
    assert url in response.content.decode()
    assert response.context["webcal_url"] == url.replace("http://", "webcal://", 1)
    # Someone else's page shows their key, not this one.
    other = client_for("staff").get(program.get_absolute_url())
    assert other.context["calendar_url"] != url


def test_each_user_gets_a_distinct_key(db):
    first, second = UserFactory(), UserFactory()

    assert token_of(first) != token_of(second)
    assert len(token_of(first)) >= 40


def test_an_archived_meeting_leaves_the_feed(agenda, program, users):
    agenda["rakor"].archived_at = timezone.now()
    agenda["rakor"].save()

    events = events_of(fetch(program, users["viewer"]))

    assert f"meeting-{agenda['rakor'].pk}@collab-registry" not in events
