"""Meetings, commitments and agreements are archived from their pages, not deleted: they leave
the lists (unless asked for) and keep their page and history."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from programs.models import Agreement, Commitment, Meeting
from tests.factories import AgreementFactory, CommitmentFactory, MeetingFactory

pytestmark = pytest.mark.django_db

KINDS = {
    "meeting": (MeetingFactory, "programs:meeting_list"),
    "commitment": (CommitmentFactory, "programs:commitment_list"),
    "agreement": (AgreementFactory, "programs:agreement_list"),
}


def archive_url(kind: str, record, archive: bool = True) -> str:
    return reverse(f"programs:{kind}_{'archive' if archive else 'unarchive'}", args=[record.pk])


@pytest.mark.parametrize("kind", KINDS)
def test_a_coordinator_archives_a_record_which_leaves_the_list_but_keeps_its_page(
    client_for, users, program, kind
):
    factory, list_name = KINDS[kind]
    record = factory(program=program)
    client = client_for("coordinator")

    response = client.post(archive_url(kind, record))

    assert response.status_code == 302
    assert response.url == record.get_absolute_url()
    record.refresh_from_db()
    assert record.is_archived
    assert record.archived_by == users["coordinator"]
    listed = client.get(reverse(list_name), {"program": program.pk})
    assert record not in listed.context["object_list"]
    shown = client.get(reverse(list_name), {"program": program.pk, "archived": "on"})
    assert record in shown.context["object_list"]
    page = client.get(record.get_absolute_url())
    assert page.status_code == 200
    assert 'id="archived"' in page.content.decode()


@pytest.mark.parametrize("kind", KINDS)
def test_an_archived_record_can_be_restored(client_for, program, kind):
    factory, list_name = KINDS[kind]
    record = factory(program=program)
    client = client_for("coordinator")
    client.post(archive_url(kind, record))

    assert client.post(archive_url(kind, record, archive=False)).status_code == 302

    record.refresh_from_db()
    assert (record.archived_at, record.archived_by) == (None, None)
    assert record in client.get(reverse(list_name)).context["object_list"]


def test_the_export_leaves_archived_records_out_unless_asked(client_for, program):
    kept = CommitmentFactory(program=program, title="Komitmen aktif")
    archived = CommitmentFactory(program=program, title="Komitmen diarsipkan")
    client = client_for("coordinator")
    client.post(archive_url("commitment", archived))

    default = b"".join(client.get(reverse("programs:commitment_list"), {"export": "csv"}))
    everything = b"".join(
        client.get(reverse("programs:commitment_list"), {"export": "csv", "archived": "on"})
    )

    assert kept.title.encode() in default and archived.title.encode() not in default
    assert archived.title.encode() in everything


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("no_rights", 403), ("viewer", 403), ("staff", 403)],
)
def test_those_who_may_not_coordinate_cannot_archive(client_for, program, persona, status):
    meeting = MeetingFactory(program=program)

    response = client_for(persona).post(archive_url("meeting", meeting))

    assert response.status_code == status
    assert not Meeting.objects.get(pk=meeting.pk).is_archived


def test_a_record_of_another_programme_is_not_found(client_for, other_program):
    agreement = AgreementFactory(program=other_program)

    response = client_for("coordinator").post(archive_url("agreement", agreement))

    assert response.status_code == 404
    assert not Agreement.objects.get(pk=agreement.pk).is_archived


def test_archiving_is_a_post_only_action(client_for, program):
    commitment = CommitmentFactory(program=program)
    assert client_for("coordinator").get(archive_url("commitment", commitment)).status_code == 405


def test_archived_records_are_not_due_nor_upcoming(program):
    past = datetime.date(2020, 1, 1)
    due = CommitmentFactory(program=program, due_on=past)
    archived = CommitmentFactory(program=program, due_on=past)
    archived.set_archived(True, user=None)
    upcoming = MeetingFactory(program=program, starts_on=datetime.date(2999, 1, 1))
    withdrawn = MeetingFactory(program=program, starts_on=datetime.date(2999, 1, 1))
    withdrawn.set_archived(True, user=None)

    assert list(Commitment.objects.overdue()) == [due]
    assert list(Meeting.objects.upcoming()) == [upcoming]


def test_the_programme_page_leaves_archived_records_out(client_for, program):
    kept = MeetingFactory(program=program, title="Rapat aktif")
    archived = MeetingFactory(program=program, title="Rapat diarsipkan")
    archived.set_archived(True, user=None)

    response = client_for("viewer").get(reverse("programs:program_detail", args=[program.slug]))

    assert response.context["meetings"]["rows"] == [kept]


def test_an_archived_record_is_still_found_by_the_filter_that_asks_for_it(client_for, program):
    meeting = MeetingFactory(program=program)
    meeting.set_archived(True, user=None)

    response = client_for("coordinator").get(
        reverse("programs:meeting_list"), {"archived": "on", "q": meeting.title}
    )

    assert list(response.context["object_list"]) == [meeting]
