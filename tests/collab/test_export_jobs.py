"""Exports of any size: past the threshold a list's `?export=` becomes a job with its own page,
whose file holds exactly the rows of the list, downloadable only by whoever asked."""

from __future__ import annotations

import datetime
import io
import json
import os
import signal
import time

import openpyxl
import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from collab import export_jobs
from collab.models import ExportJob
from collab.tasks import sweep_exports
from programs.models import Commitment
from tests.factories import CommitmentFactory, PartnerFactory

State = ExportJob.State
LIST = "programs:commitment_list"
FILTER = {"status": Commitment.Status.PLEDGED}


@pytest.fixture
def exports_dir(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT / "exports"


@pytest.fixture
def small_limits(settings):
    """A list of more than 5 rows is a large export (20 for Excel: the limits differ)."""
    settings.COLLAB_EXPORT_SYNC_ROWS = 5
    settings.COLLAB_EXPORT_SYNC_ROWS_XLSX = 3


@pytest.fixture
def commitments(program, other_program):
    """Pledged commitments in the coordinator's programme, and rows the list must leave out:
    another status, another programme."""
    partner = PartnerFactory(name="Yayasan Bina Nusantara")
    mine = [
        CommitmentFactory(program=program, partner=partner, title=f"Komitmen {number:02}")
        for number in range(8)
    ]
    CommitmentFactory(program=program, title="Sudah terpenuhi", status=Commitment.Status.FULFILLED)
    CommitmentFactory(program=other_program, title="Program lain")
    return mine


def ask(client, export_format: str, **params):
    """`?export=` on the list, with what the commit then runs (the eager task)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.get(reverse(LIST), {**FILTER, **params, "export": export_format})


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def sync_export(client, settings, export_format: str) -> bytes:
    """What the same list exports when it streams during the request."""
    settings.COLLAB_EXPORT_SYNC_ROWS = settings.COLLAB_EXPORT_SYNC_ROWS_XLSX = 10**6
    response = client.get(reverse(LIST), {**FILTER, "export": export_format})
    assert response.status_code == 200
    return body_of(response)


def xlsx_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def job_of(response) -> ExportJob:
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export_job", args=[job.pk])
    return job


# --- the threshold ------------------------------------------------------------------------------


def test_an_export_up_to_the_threshold_streams_during_the_request(
    client_for, program, settings, exports_dir
):
    settings.COLLAB_EXPORT_SYNC_ROWS = 5
    for number in range(5):
        CommitmentFactory(program=program, title=f"Komitmen {number}")

    response = ask(client_for("coordinator"), "csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert not ExportJob.objects.exists()


def test_excel_has_a_lower_threshold_than_csv(client_for, commitments, small_limits, exports_dir):
    client = client_for("coordinator")

    assert ask(client, "csv", q="Komitmen 07").status_code == 200  # 1 row: streamed
    assert ask(client, "xlsx", q="Komitmen 07").status_code == 200
    assert ask(client, "xlsx").status_code == 302  # 8 rows > 3
    assert ExportJob.objects.get().format == "xlsx"


@pytest.mark.parametrize("export_format", ["csv", "json", "xlsx"])
def test_a_large_export_is_a_job_whose_file_holds_exactly_the_rows_of_the_list(
    client_for, commitments, small_limits, exports_dir, settings, export_format
):
    client = client_for("coordinator")

    job = job_of(ask(client, export_format))

    job.refresh_from_db()
    assert (job.state, job.attempts, job.progress, job.total) == (State.DONE, 1, 8, 8)
    assert job.query == "status=pledged"  # the list's filters, not the export parameter
    page = client.get(reverse("export_job", args=[job.pk]))
    assert page.status_code == 200
    download = reverse("export_download", args=[job.pk])
    assert download in page.content.decode()
    assert b'http-equiv="refresh"' not in page.content  # finished: nothing to wait for
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert job.file_name.startswith("komitmen-") and job.file_name.endswith(f".{export_format}")
    assert "no-store" in response["Cache-Control"]
    content = body_of(response)
    expected = sync_export(client, settings, export_format)
    if export_format == "xlsx":
        assert xlsx_rows(content) == xlsx_rows(expected)
    else:
        assert content == expected
    if export_format == "json":
        titles = sorted(row["title"] for row in json.loads(content))
        assert titles == [f"Komitmen {number:02}" for number in range(8)]
    # Written next to nothing else: no half file left beside it.
    assert [path.name for path in exports_dir.iterdir()] == [job.file]


def test_the_job_page_refreshes_itself_while_the_export_runs(client_for, users, exports_dir):
    job = ExportJob.objects.create(
        user=users["coordinator"],
        path=reverse(LIST),
        format="csv",
        language="id",
        site="http://testserver",
        state=State.RUNNING,
        progress=2000,
        total=8000,
    )

    response = client_for("coordinator").get(reverse("export_job", args=[job.pk]))

    body = response.content.decode()
    assert '<meta http-equiv="refresh" content="' in body  # no inline script (CSP)
    assert "25%" in body
    assert reverse("export_download", args=[job.pk]) not in body
    assert client_for("coordinator").get(reverse("export_download", args=[job.pk])).status_code == (
        404
    )


def test_an_export_that_breaks_half_way_is_failed_and_leaves_no_file(
    client_for, commitments, small_limits, exports_dir, monkeypatch, settings
):
    def break_down(self, count):
        if count >= 4:
            raise OSError("disk full")

    monkeypatch.setattr(export_jobs.Run, "report", break_down)
    settings.COLLAB_EXPORT_PROGRESS_ROWS = 2
    client = client_for("coordinator")

    job = job_of(ask(client, "csv"))

    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.file == ""
    assert list(exports_dir.iterdir()) == []
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404
    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert "Ekspor tidak dapat dibuat" in page


# --- rights -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("other_coordinator", 404),
        ("viewer", 404),
        ("staff", 404),
        ("admin", 404),  # an export is its owner's: not even an admin opens it
        ("no_rights", 404),
    ],
)
@pytest.mark.parametrize("name", ["export_job", "export_download"])
def test_only_the_owner_sees_the_job_and_its_file(
    name, persona, status, client_for, commitments, small_limits, exports_dir
):
    job = job_of(ask(client_for("coordinator"), "csv"))

    response = client_for(persona).get(reverse(name, args=[job.pk]))

    assert response.status_code == status


@pytest.mark.parametrize("name", ["export_job", "export_download"])
def test_anonymous_visitors_are_sent_to_sign_in(name, client_for, users):
    job = ExportJob.objects.create(
        user=users["coordinator"], path="/", format="csv", language="id", site="http://t"
    )
    url = reverse(name, args=[job.pk])

    response = client_for("anonymous").get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_job_whose_user_lost_the_right_is_failed(client_for, users, exports_dir):
    job = ExportJob.objects.create(
        user=users["no_rights"], path=reverse(LIST), format="csv", language="id", site="http://t"
    )

    assert export_jobs.run(job.pk) == "failed"

    job.refresh_from_db()
    assert job.state == State.FAILED and job.file == ""


# --- a day later --------------------------------------------------------------------------------


def test_files_are_deleted_a_day_after_they_were_made(
    client_for, commitments, small_limits, exports_dir
):
    client = client_for("coordinator")
    old = job_of(ask(client, "csv"))
    ExportJob.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(hours=25)
    )
    old.refresh_from_db()
    old_file = exports_dir / old.file
    stray = exports_dir / "999-1.part"  # left by a crash, long ago
    stray.write_bytes(b"half")
    os.utime(stray, (time.time() - 90_000, time.time() - 90_000))
    with TestCase.captureOnCommitCallbacks(execute=True):
        fresh_response = client.get(reverse(LIST), {"export": "csv"})
    fresh = ExportJob.objects.exclude(pk=old.pk).get()
    assert fresh_response.status_code == 302
    assert client.get(reverse("export_download", args=[old.pk])).status_code == 404  # expired

    sweep_exports.delay().get()

    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not old_file.exists() and not stray.exists()
    assert client.get(reverse("export_download", args=[fresh.pk])).status_code == 200


# --- against a real worker (PostgreSQL) -----------------------------------------------------------


@pytest.fixture
def worker_exports(settings, celery_workers, small_limits):
    """The worker and this process share PRIVATE_MEDIA_ROOT; the export reports every 10 rows
    and pauses there, slow enough to be interrupted."""
    settings.PRIVATE_MEDIA_ROOT = celery_workers.var_dir / "private"
    return {"COLLAB_EXPORT_PROGRESS_ROWS": "10", "COLLAB_EXPORT_PROGRESS_PAUSE": "0.05"}


@pytest.fixture
def many(program):
    partner = PartnerFactory(name="Yayasan Bina Nusantara")
    CommitmentFactory.create_batch(400, program=program, partner=partner)
    CommitmentFactory(program=program, status=Commitment.Status.FULFILLED, title="Tidak")


def finished(job):
    done = [State.DONE, State.FAILED]
    return lambda: ExportJob.objects.filter(pk=job.pk, state__in=done).exists()


def running_past(job, rows):
    return lambda: ExportJob.objects.filter(
        pk=job.pk, state=State.RUNNING, progress__gte=rows
    ).exists()


def export_under_way(client, worker, past: int) -> ExportJob:
    """The CSV export of the filtered list that `client` asks for, once `worker` has written at
    least `past` of its rows."""
    job = job_of(client.get(reverse(LIST), {**FILTER, "export": "csv"}))
    worker.wait_for(running_past(job, past))
    return job


def check_file_is_the_list(client, settings, job, rows):
    job.refresh_from_db()
    assert (job.state, job.progress, job.total) == (State.DONE, rows, rows)
    response = client.get(reverse("export_download", args=[job.pk]))
    assert response.status_code == 200
    content = body_of(response)
    assert content == sync_export(client, settings, "csv")
    assert content.count(b"\r\n") == rows + 1  # the header and every row, once


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_exports_exactly_the_rows_of_the_list_in_one_snapshot(
    celery_workers, worker_exports, client_for, commitments, settings, program
):
    slow = {"COLLAB_EXPORT_PROGRESS_ROWS": "2", "COLLAB_EXPORT_PROGRESS_PAUSE": "0.3"}
    worker = celery_workers.start(**(worker_exports | slow))
    client = client_for("coordinator")

    job = export_under_way(client, worker, past=2)
    # Committed while the export runs: not in it (the export reads one snapshot).
    CommitmentFactory(program=program, title="Komitmen baru")
    worker.wait_for(finished(job))

    job.refresh_from_db()
    assert (job.state, job.total, job.progress) == (State.DONE, 8, 8)
    content = body_of(client.get(reverse("export_download", args=[job.pk])))
    assert b"Komitmen baru" not in content
    assert content.count(b"\r\n") == 9
    assert b"Program lain" not in content and b"Sudah terpenuhi" not in content


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_mid_export_is_rerun_and_never_offers_a_half_file(
    celery_workers, worker_exports, client_for, many, settings
):
    worker = celery_workers.start(**worker_exports)
    client = client_for("coordinator")
    job = export_under_way(client, worker, past=50)

    (child,) = worker.pool_pids()
    os.kill(child, signal.SIGKILL)  # the process running the export, mid-file
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404

    worker.wait_for(finished(job), timeout=60)
    job.refresh_from_db()
    assert job.attempts == 2  # the killed run and the rerun
    check_file_is_the_list(client, settings, job, 400)
    assert sorted(p.name for p in export_jobs.export_dir().iterdir()) == [job.file]


@pytest.mark.django_db(transaction=True)
def test_an_export_interrupted_more_often_than_its_attempts_is_failed(
    celery_workers, worker_exports, client_for, many
):
    worker = celery_workers.start(**(worker_exports | {"COLLAB_EXPORT_MAX_ATTEMPTS": "1"}))
    client = client_for("coordinator")
    job = export_under_way(client, worker, past=50)

    (child,) = worker.pool_pids()
    os.kill(child, signal.SIGKILL)

    worker.wait_for(finished(job), timeout=60)
    job.refresh_from_db()
    assert (job.state, job.file) == (State.FAILED, "")
    assert list(export_jobs.export_dir().iterdir()) == []
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404
    assert "terputus" in client.get(reverse("export_job", args=[job.pk])).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_whole_worker_killed_mid_export_is_taken_over_by_the_next_one(
    celery_workers, worker_exports, client_for, many, settings
):
    first = celery_workers.start(**worker_exports)
    client = client_for("coordinator")
    job = export_under_way(client, first, past=50)

    first.kill()  # the worker and its pool at once: the task stays unacknowledged in Redis
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404
    time.sleep(1.5)
    # The next worker gives the task out again once its visibility timeout has passed.
    second = celery_workers.start(**(worker_exports | {"COLLAB_BROKER_VISIBILITY_TIMEOUT": "1"}))

    second.wait_for(finished(job), timeout=60)
    check_file_is_the_list(client, settings, job, 400)
    assert ExportJob.objects.get(pk=job.pk).attempts == 2


@pytest.mark.django_db(transaction=True)
def test_the_sweep_reruns_an_export_whose_worker_died(
    celery_workers, worker_exports, client_for, many, settings
):
    first = celery_workers.start(**worker_exports)
    client = client_for("coordinator")
    job = export_under_way(client, first, past=50)
    first.kill()
    second = celery_workers.start(**worker_exports)  # its Redis would wait two hours

    assert export_jobs.sweep()["requeued"] == 1  # the job's lock died with its worker

    second.wait_for(finished(job), timeout=60)
    check_file_is_the_list(client, settings, job, 400)
