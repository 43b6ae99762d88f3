"""The counters of active commitments by programme and status (CommitmentTally) stay exact on
every write path: each test compares them with a fresh GROUP BY over the commitments."""

from __future__ import annotations

import importlib
import io
import threading
import time
from collections.abc import Callable
from types import SimpleNamespace

import pytest
import tablib
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from programs.forms.meetings import save_meeting_forms as record_meeting
from programs.models import Commitment, Program
from programs.models.commitments import CommitmentTally
from programs.resources import CommitmentResource
from programs.services.commitments import record_commitment_update
from programs.signals import recount_commitment_tallies
from tests.factories import CommitmentFactory, PartnerFactory, ProgramFactory
from tests.posted import posted_form
from tests.programs.test_meetings import bound_forms, meeting_data

PLEDGED, IN_PROGRESS = Commitment.Status.PLEDGED, Commitment.Status.IN_PROGRESS
FULFILLED, CANCELLED = Commitment.Status.FULFILLED, Commitment.Status.CANCELLED

Counts = dict[tuple[int, str], int]


def tallied() -> Counts:
    """The counters, zeros left out."""
    rows = CommitmentTally.objects.values_list("program_id", "status", "count")
    return {(program_id, status): count for program_id, status, count in rows if count}


def counted() -> Counts:
    """A fresh GROUP BY over the active commitments."""
    rows = (
        Commitment.objects.active()
        .order_by()
        .values_list("program_id", "status")
        .annotate(n=Count("pk"))
    )
    return {(program_id, status): n for program_id, status, n in rows}


def assert_exact(expected: Counts) -> None:
    """The counters hold `expected`, which is also what a GROUP BY finds."""
    assert counted() == expected
    assert tallied() == expected


# --- single writes -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_commitments_counts_each_in_its_programme_and_status(program, other_program):
    CommitmentFactory.create_batch(2, program=program, status=PLEDGED)
    CommitmentFactory(program=program, status=FULFILLED)
    CommitmentFactory(program=other_program, status=PLEDGED)

    assert_exact(
        {(program.pk, PLEDGED): 2, (program.pk, FULFILLED): 1, (other_program.pk, PLEDGED): 1}
    )


@pytest.mark.django_db
def test_a_status_change_on_the_edit_page_moves_one_count(client_for, program):
    commitment = CommitmentFactory(program=program, status=PLEDGED)
    CommitmentFactory(program=program, status=PLEDGED)
    client = client_for("coordinator")
    url = reverse("programs:commitment_edit", args=[commitment.pk])

    response = client.post(url, {**posted_form(client.get(url)), "status": IN_PROGRESS})

    assert response.status_code == 302
    assert_exact({(program.pk, PLEDGED): 1, (program.pk, IN_PROGRESS): 1})


@pytest.mark.django_db
def test_an_edit_that_keeps_the_status_changes_no_count(client_for, program):
    commitment = CommitmentFactory(program=program, status=PLEDGED)
    client = client_for("coordinator")
    url = reverse("programs:commitment_edit", args=[commitment.pk])

    client.post(url, {**posted_form(client.get(url)), "title": "Judul baru"})

    assert_exact({(program.pk, PLEDGED): 1})


@pytest.mark.django_db
def test_moving_a_commitment_to_another_programme_moves_its_count(program, other_program):
    commitment = CommitmentFactory(program=program, status=FULFILLED)

    commitment.program = other_program
    commitment.status = CANCELLED
    commitment.save()

    assert_exact({(other_program.pk, CANCELLED): 1})


@pytest.mark.django_db
def test_archiving_on_the_page_takes_the_count_away_and_restoring_gives_it_back(
    client_for, program
):
    commitment = CommitmentFactory(program=program, status=IN_PROGRESS)
    CommitmentFactory(program=program, status=IN_PROGRESS)
    client = client_for("coordinator")

    client.post(reverse("programs:commitment_archive", args=[commitment.pk]))
    assert_exact({(program.pk, IN_PROGRESS): 1})

    client.post(reverse("programs:commitment_unarchive", args=[commitment.pk]))
    assert_exact({(program.pk, IN_PROGRESS): 2})


def stale_pledge(program) -> Commitment:
    """A pledged commitment loaded before another copy of it was saved as fulfilled."""
    stale = CommitmentFactory(program=program, status=PLEDGED)
    fresh = Commitment.objects.get(pk=stale.pk)
    fresh.status = FULFILLED
    fresh.save()
    return stale


@pytest.mark.django_db
def test_a_save_from_a_stale_instance_counts_what_the_database_held(program):
    stale = stale_pledge(program)

    stale.title = "Disimpan dari salinan lama"
    stale.save()  # writes its old status back: fulfilled → pledged

    assert_exact({(program.pk, PLEDGED): 1})


@pytest.mark.django_db
def test_archiving_a_stale_instance_counts_the_stored_status_not_the_instances(program):
    stale = stale_pledge(program)

    stale.set_archived(True, user=None)  # writes only the archive fields
    assert_exact({})

    stale.set_archived(False, user=None)
    assert_exact({(program.pk, FULFILLED): 1})  # the stored status, not the stale "pledged"


@pytest.mark.django_db
def test_deleting_takes_the_count_away_and_an_archived_one_takes_nothing(program):
    kept, deleted, archived = CommitmentFactory.create_batch(3, program=program, status=PLEDGED)
    archived.set_archived(True, user=None)

    deleted.delete()
    archived.delete()

    assert_exact({(program.pk, PLEDGED): 1})


@pytest.mark.django_db
def test_the_admins_bulk_delete_keeps_the_counts_exact(admin_client, program, other_program):
    doomed = CommitmentFactory.create_batch(3, program=program, status=PLEDGED)
    CommitmentFactory(program=program, status=FULFILLED)
    CommitmentFactory(program=other_program, status=PLEDGED)

    response = admin_client.post(
        reverse("admin:programs_commitment_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [commitment.pk for commitment in doomed],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert_exact({(program.pk, FULFILLED): 1, (other_program.pk, PLEDGED): 1})


@pytest.mark.django_db
def test_deleting_a_programme_deletes_its_counters_and_leaves_the_others(program, other_program):
    CommitmentFactory.create_batch(2, program=program, status=PLEDGED)
    CommitmentFactory(program=other_program, status=CANCELLED)

    program.delete()

    assert_exact({(other_program.pk, CANCELLED): 1})
    assert not CommitmentTally.objects.filter(program_id=program.pk).exists()


@pytest.mark.django_db
def test_a_progress_update_that_changes_the_status_moves_the_count(users, program):
    commitment = CommitmentFactory(program=program, status=PLEDGED)

    record_commitment_update(
        commitment=commitment, user=users["coordinator"], status=FULFILLED, progress=100
    )

    assert_exact({(program.pk, FULFILLED): 1})


@pytest.mark.django_db
def test_recording_and_editing_a_meeting_counts_its_commitments(users, program):
    partner = PartnerFactory()
    user = users["coordinator"]
    rows = [
        {"partner": partner.pk, "title": title, "kind": "programme", "status": status}
        for title, status in (("Satu", PLEDGED), ("Dua", IN_PROGRESS))
    ]
    form, formsets = bound_forms(program=program, user=user, data=meeting_data(commitments=rows))
    meeting = record_meeting(program=program, user=user, form=form, formsets=formsets)
    assert_exact({(program.pk, PLEDGED): 1, (program.pk, IN_PROGRESS): 1})

    first, second = meeting.commitments.order_by("id")
    rows[0].update(id=first.pk, status=FULFILLED)
    rows[1].update(id=second.pk, DELETE="on")
    form, formsets = bound_forms(
        program=program,
        user=user,
        meeting=meeting,
        data=meeting_data(commitments=rows, initial={"commitments": 2}),
    )
    record_meeting(program=program, user=user, form=form, formsets=formsets)

    assert_exact({(program.pk, FULFILLED): 1})


@pytest.mark.django_db
def test_an_import_counts_its_rows_and_its_dry_run_counts_nothing(program):
    partner = PartnerFactory(name="Yayasan Impor")
    CommitmentFactory(program=program, status=PLEDGED)
    dataset = tablib.Dataset(headers=["program", "partner", "title", "kind", "status"])
    dataset.append([program.slug, partner.name, "Impor satu", "programme", "pledged"])
    dataset.append([program.slug, partner.name, "Impor dua", "programme", "in_progress"])

    preview = CommitmentResource().import_data(dataset, dry_run=True)
    assert not preview.has_errors() and not preview.has_validation_errors()
    assert_exact({(program.pk, PLEDGED): 1})

    CommitmentResource().import_data(dataset, dry_run=False)
    assert_exact({(program.pk, PLEDGED): 2, (program.pk, IN_PROGRESS): 1})


# --- rebuilding --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_recount_rebuilds_wrong_or_missing_counters_from_scratch(program, other_program):
    CommitmentFactory.create_batch(2, program=program, status=PLEDGED)
    CommitmentFactory(program=other_program, status=FULFILLED)
    archived = CommitmentFactory(program=other_program, status=FULFILLED)
    archived.set_archived(True, user=None)
    CommitmentTally.objects.filter(program=program).update(count=7)
    CommitmentTally.objects.filter(program=other_program).delete()

    result = recount_commitment_tallies()

    assert_exact({(program.pk, PLEDGED): 2, (other_program.pk, FULFILLED): 1})
    assert result.commitments == 3
    # A counter for every programme and status, zeros included: later writes only update.
    programs = Program.objects.count()
    assert result.tallies == CommitmentTally.objects.count() == 4 * programs


@pytest.mark.django_db
def test_a_recount_of_some_programmes_leaves_the_others_as_they_are(program, other_program):
    CommitmentFactory(program=program, status=PLEDGED)
    CommitmentFactory(program=other_program, status=PLEDGED)
    CommitmentTally.objects.update(count=5)

    recount_commitment_tallies([program.pk])

    assert tallied() == {(program.pk, PLEDGED): 1, (other_program.pk, PLEDGED): 5}


@pytest.mark.django_db
def test_the_command_recounts_and_reports_in_indonesian(program):
    CommitmentFactory.create_batch(3, program=program, status=CANCELLED)
    CommitmentTally.objects.all().delete()
    out = io.StringIO()

    call_command("recount_tallies", "--program", program.slug, stdout=out)

    assert_exact({(program.pk, CANCELLED): 3})
    assert "Menghitung ulang penghitung komitmen (1 program)" in out.getvalue()
    assert "Selesai: 3 komitmen aktif dihitung, 4 baris penghitung ditulis" in out.getvalue()


@pytest.mark.django_db
def test_the_command_names_an_unknown_programme(program):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Program tidak ditemukan: tidak-ada"):
        call_command("recount_tallies", "--program", "tidak-ada", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_migration_fills_the_counters_of_existing_commitments(program):
    CommitmentFactory.create_batch(2, program=program, status=IN_PROGRESS)
    CommitmentTally.objects.all().delete()
    migration = importlib.import_module("programs.migrations.0003_commitment_tally_and_indexes")

    migration.fill_tallies(apps, SimpleNamespace(connection=connection))

    assert_exact({(program.pk, IN_PROGRESS): 2})


@pytest.mark.django_db
def test_the_scale_generator_leaves_exact_counters(reference_data):
    from tests.devdata.test_scale_data import generate

    generate(commitments=300, programs=8, coordinator_programs=2)

    assert sum(tallied().values()) == Commitment.objects.active().count() == 300
    assert tallied() == counted()


# --- concurrency (PostgreSQL: row locks and separate connections) ------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and concurrent writers need PostgreSQL"
)


def run_concurrently(first: Callable[[threading.Event], None], second: Callable[[], None]) -> None:
    """`first` starts a transaction and sets the event while it still holds its locks; `second`
    then runs its own transaction on another connection. Both must succeed."""
    started = threading.Event()
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 — reported by the main thread
            errors.append(error)
            started.set()
        finally:
            connection.close()

    def second_after_first() -> None:
        assert started.wait(10)
        second()

    threads = [
        threading.Thread(target=run, args=(lambda: first(started),)),
        threading.Thread(target=run, args=(second_after_first,)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_transactions_counting_opposite_statuses_in_one_programme_both_succeed():
    program = ProgramFactory()
    partner = PartnerFactory()

    def add(status: str) -> None:
        Commitment.objects.create(program=program, partner=partner, title=status, status=status)

    def first(started: threading.Event) -> None:
        with transaction.atomic():
            add(PLEDGED)
            started.set()
            time.sleep(0.5)  # the second transaction writes meanwhile
            add(FULFILLED)

    def second() -> None:
        # Without the programme lock this would take "fulfilled" then wait for "pledged" while
        # the first waits for "fulfilled": a deadlock, and one of them would fail.
        with transaction.atomic():
            add(FULFILLED)
            add(PLEDGED)

    run_concurrently(first, second)

    assert_exact({(program.pk, PLEDGED): 2, (program.pk, FULFILLED): 2})


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_transactions_editing_one_commitment_count_the_last_status_once():
    commitment = CommitmentFactory(status=PLEDGED)
    program_id = commitment.program_id

    def first(started: threading.Event) -> None:
        with transaction.atomic():
            mine = Commitment.objects.get(pk=commitment.pk)
            mine.status = FULFILLED
            mine.save()
            started.set()
            time.sleep(0.5)  # the second edit reads the row meanwhile

    def second() -> None:
        stale = Commitment.objects.get(pk=commitment.pk)  # still "pledged" for this reader
        stale.status = CANCELLED
        stale.save()  # waits for the first, then finds "fulfilled" stored

    run_concurrently(first, second)

    assert Commitment.objects.get(pk=commitment.pk).status == CANCELLED
    assert_exact({(program_id, CANCELLED): 1})


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_recount_waits_for_a_writer_and_misses_nothing():
    program = ProgramFactory()
    partner = PartnerFactory()
    CommitmentFactory.create_batch(2, program=program, partner=partner, status=PLEDGED)

    def first(started: threading.Event) -> None:
        with transaction.atomic():
            Commitment.objects.create(program=program, partner=partner, title="x", status=PLEDGED)
            started.set()
            time.sleep(0.5)

    run_concurrently(first, recount_commitment_tallies)

    assert_exact({(program.pk, PLEDGED): 3})
