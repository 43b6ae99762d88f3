"""Exports of any size: past a threshold, a list's `?export=` becomes a task.

The list view decides (`ObjectListView.export`): up to `COLLAB_EXPORT_SYNC_ROWS_XLSX` rows for
Excel, `COLLAB_EXPORT_SYNC_ROWS` for CSV and JSON, the file streams as before; above, `start()`
records an `ExportJob` and queues `collab.tasks.run_export`, and the user watches its page
(`/exports/<id>/`) until the download link appears.

The task (`run()`) re-runs the list view for the user who asked, with the same path and
filters, so the file holds the rows that user may see, restricted and filtered as on the page,
written by the same writers (collab.exports). It reads them in one snapshot: on PostgreSQL one
REPEATABLE READ, READ ONLY transaction, so a row inserted while the export runs is either in
every query of it or in none. It writes to `<file>.part` and renames it into place only when
complete, so no half file is ever offered.

A worker killed mid-export (SIGKILL, out of memory) leaves the job "running" and its task
unacknowledged (late acknowledgement): the task is delivered again and starts over. On
PostgreSQL a run holds an advisory lock for the job on a connection of its own, which the
database releases when that process dies: a redelivered task that gets the lock knows the
previous run is dead, one that does not leaves the job to the live run. After
`COLLAB_EXPORT_MAX_ATTEMPTS` interrupted runs the job is failed. Files are private
(`PRIVATE_MEDIA_ROOT/exports/`), served only to their owner (collab.views_exports), and
deleted with their job `COLLAB_EXPORT_KEEP_HOURS` after it finished (`delete_expired()`, hourly).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from collab import exports
from collab.models import ExportJob

logger = logging.getLogger(__name__)

State = ExportJob.State
LOCK_NAMESPACE = 0x0C011AB  # the advisory-lock key space of export jobs (first of two keys)


# --- the view's side -----------------------------------------------------------------------------


def sync_limit(export_format: str) -> int:
    if export_format == "xlsx":
        return settings.COLLAB_EXPORT_SYNC_ROWS_XLSX
    return settings.COLLAB_EXPORT_SYNC_ROWS


def too_large(queryset: QuerySet, export_format: str) -> bool:
    """Whether the export has more rows than a request builds; counts at most limit + 1 rows."""
    limit = sync_limit(export_format)
    return queryset.order_by()[: limit + 1].count() > limit


def start(request: HttpRequest, export_format: str) -> HttpResponseRedirect:
    """Record the export of the list `request` asked for, queue it, send the user to its page."""
    from collab.tasks import run_export

    query = request.GET.copy()
    for param in (exports.EXPORT_PARAM, "page", "cursor", "before"):
        query.pop(param, None)
    job = ExportJob.objects.create(
        user=request.user,
        path=request.path,
        query=query.urlencode(),
        format=export_format,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        site=f"{request.scheme}://{request.get_host()}",
    )
    # After the commit (at once outside a transaction): the worker must find the row.
    transaction.on_commit(lambda: run_export.delay(job.pk), robust=True)
    return HttpResponseRedirect(reverse("export_job", args=[job.pk]))


# --- the task's side -----------------------------------------------------------------------------


class _JobRequest(WSGIRequest):
    """The list's request as its user made it; its host was checked when the job was made."""

    job_host = ""

    def get_host(self) -> str:
        return self.job_host


def rebuild_request(job: ExportJob) -> HttpRequest:
    site = urlsplit(job.site)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": job.path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": job.query,
        "SERVER_NAME": site.hostname or "localhost",
        "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
        "HTTP_HOST": site.netloc,
        "wsgi.url_scheme": site.scheme or "http",
        "wsgi.input": io.BytesIO(b""),
    }
    request = _JobRequest(environ)
    request.job_host = site.netloc
    request.user = job.user
    request.LANGUAGE_CODE = job.language
    return request


def list_view(job: ExportJob, request: HttpRequest) -> Any:
    """The list view the job was asked from, set up for its user (not dispatched)."""
    from collab.views import ObjectListView, has_any_right

    try:
        match = resolve(job.path)
    except Resolver404:
        raise ExportFailed(
            gettext("The list this export was asked from no longer exists.")
        ) from None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ObjectListView):
        raise ExportFailed(gettext("The list this export was asked from no longer exists."))
    if not job.user.is_active or not has_any_right(job.user, view_class.action):
        raise PermissionDenied
    view = view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    return view


class ExportFailed(Exception):
    """The export cannot be made (the reason is shown on the job page)."""


class CountingRows(exports.ExportRows):
    """The export's rows, reporting every `every` rows how many were written."""

    def __init__(self, *args: Any, report: Callable[[int], None], every: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.report = report
        self.every = every

    def __iter__(self) -> Iterator[list[Any]]:
        count = 0
        for row in super().__iter__():
            yield row
            count += 1
            if count % self.every == 0:
                self.report(count)
        self.report(count)


class Run:
    """One attempt at a job. On PostgreSQL: a connection of its own, holding the job's advisory
    lock and writing the progress (visible at once, outside the export's snapshot)."""

    def __init__(self, job: ExportJob) -> None:
        self.job = job
        self.side = None
        self.acquired = True

    def __enter__(self) -> Run:
        # Inside a transaction (a unit test's) a second connection would not see the job.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.side = connections.create_connection("default")
            self.acquired = False
            # A lock still held by a process that was just killed is released as soon as the
            # database notices; wait a moment for that before leaving the job to a live run.
            for _ in range(20):
                if self._sql("SELECT pg_try_advisory_lock(%s, %s)", LOCK_NAMESPACE, self.job.pk):
                    self.acquired = True
                    break
                time.sleep(0.25)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self.side is not None:
            with contextlib.suppress(Exception):
                self.side.close()  # also releases the advisory lock

    def _sql(self, sql: str, *params: Any) -> Any:
        with self.side.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0] if cursor.description else None

    def update(self, **fields: Any) -> None:
        """Write fields of the job now, visible to the job's page at once."""
        if self.side is None:
            ExportJob.objects.filter(pk=self.job.pk).update(**fields)
            return
        table = ExportJob._meta.db_table
        columns = ", ".join(f"{self.side.ops.quote_name(name)} = %s" for name in fields)
        self._sql(f"UPDATE {table} SET {columns} WHERE id = %s", *fields.values(), self.job.pk)

    def report(self, count: int) -> None:
        self.update(progress=count)
        pause = settings.COLLAB_EXPORT_PROGRESS_PAUSE
        if pause:
            time.sleep(pause)  # tests: an export slow enough to interrupt


def export_dir() -> Path:
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """One transaction in which every read sees the same committed data."""
    with transaction.atomic():
        if connection.vendor == "postgresql" and not _inside_outer_transaction():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _inside_outer_transaction() -> bool:
    # atomic() above opened a savepoint inside somebody's transaction (a test's): its isolation
    # level was fixed by its first query.
    return len(connection.savepoint_ids) > 0


# Why a job failed, in the words of its page (translated into the job's language).
INTERRUPTED = "interrupted"
FORBIDDEN = "forbidden"
BROKEN = "broken"


def explain(job: ExportJob, reason: str) -> str:
    with translation.override(job.language):
        if reason == INTERRUPTED:
            return gettext(
                "The export was interrupted too often (the server preparing it stopped). "
                "Please ask for it again."
            )
        if reason == FORBIDDEN:
            return gettext("You no longer have the right to export these records.")
        return gettext("Something went wrong while writing the file. Please ask for it again.")


def run(pk: int) -> str:
    """Build job `pk`'s file: "done", "failed", or "skipped" (finished, or a live run has it)."""
    job = ExportJob.objects.select_related("user").filter(pk=pk).first()
    if job is None or job.finished:
        return "skipped"
    with Run(job) as attempt:
        if not attempt.acquired:
            return "skipped"
        job.refresh_from_db()
        if job.finished:
            return "skipped"
        for stale in export_dir().glob(f"{job.pk}-*.part"):
            stale.unlink(missing_ok=True)  # left by an interrupted run
        if job.attempts >= settings.COLLAB_EXPORT_MAX_ATTEMPTS:
            attempt.update(
                state=State.FAILED,
                finished_at=timezone.now(),
                error=explain(job, INTERRUPTED),
            )
            logger.error("Export %s failed: interrupted %s times.", job.pk, job.attempts)
            return "failed"
        job.attempts += 1
        attempt.update(
            state=State.RUNNING,
            attempts=job.attempts,
            progress=0,
            total=None,
            started_at=timezone.now(),
            error="",
        )
        try:
            name, file_name = build(job, attempt)
        except PermissionDenied:
            attempt.update(
                state=State.FAILED, finished_at=timezone.now(), error=explain(job, FORBIDDEN)
            )
            return "failed"
        except ExportFailed as error:
            attempt.update(state=State.FAILED, finished_at=timezone.now(), error=str(error))
            return "failed"
        except Exception:
            # Also SoftTimeLimitExceeded (COLLAB_EXPORT_TIME_LIMIT). The details go to the log.
            logger.exception("Export %s failed.", job.pk)
            attempt.update(
                state=State.FAILED, finished_at=timezone.now(), error=explain(job, BROKEN)
            )
            return "failed"
        attempt.update(state=State.DONE, file=name, file_name=file_name, finished_at=timezone.now())
        return "done"


def build(job: ExportJob, attempt: Run) -> tuple[str, str]:
    """Write the job's file; (its name under export_dir(), the download's name)."""
    request = rebuild_request(job)
    folder = export_dir()
    stem = f"{job.pk}-{job.attempts}"
    part = folder / f"{stem}.part"
    with translation.override(job.language):
        view = list_view(job, request)
        with snapshot():
            queryset, errors = view.export_plan(job.format)
            if errors:
                raise ExportFailed("; ".join(errors))
            total = queryset.count()
            attempt.update(total=total)
            spec = view.columns
            rows = CountingRows(
                spec,
                queryset,
                request,
                report=attempt.report,
                every=settings.COLLAB_EXPORT_PROGRESS_ROWS,
            )
            file_name = spec.file_name(job.format)
            try:
                response = exports.WRITERS[job.format](rows, file_name)
                try:
                    with part.open("wb") as out:
                        for block in response.streaming_content:
                            out.write(block)
                        out.flush()
                        os.fsync(out.fileno())
                finally:
                    release(response)
            except BaseException:
                part.unlink(missing_ok=True)
                raise
    final = folder / f"{stem}.{job.format}"
    os.replace(part, final)  # atomic: the file appears complete or not at all
    return final.name, file_name


def release(response: Any) -> None:
    """Close what a writer's response holds (its spooled file) without `response.close()`,
    which also sends `request_finished`: Django would then close this task's database
    connection in the middle of its transaction."""
    for closer in getattr(response, "_resource_closers", ()):
        with contextlib.suppress(Exception):
            closer()
    response._resource_closers = []


def file_path(job: ExportJob) -> Path | None:
    """The finished file of `job`, if it is still there."""
    if job.state != State.DONE or not job.file or "/" in job.file:
        return None
    path = export_dir() / job.file
    return path if path.is_file() else None


def expires_at(job: ExportJob) -> datetime.datetime | None:
    if job.finished_at is None:
        return None
    return job.finished_at + datetime.timedelta(hours=settings.COLLAB_EXPORT_KEEP_HOURS)


def expired(job: ExportJob) -> bool:
    end = expires_at(job)
    return end is not None and end <= timezone.now()


def delete_expired(now: datetime.datetime | None = None) -> int:
    """Delete finished jobs older than COLLAB_EXPORT_KEEP_HOURS with their files, and files no
    job owns any more (left by a crash); the number of jobs deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.COLLAB_EXPORT_KEEP_HOURS)
    expired = ExportJob.objects.filter(finished_at__lt=cutoff)
    deleted = 0
    for job in expired.iterator():
        path = file_path(job)
        if path is not None:
            path.unlink(missing_ok=True)
        deleted += ExportJob.objects.filter(pk=job.pk).delete()[0]
    # Leftovers: a file whose job is gone, or an abandoned .part, once older than the cutoff.
    folder = export_dir()
    known = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
    for path in folder.iterdir():
        old = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC) < cutoff
        if old and path.name not in known:
            path.unlink(missing_ok=True)
    return deleted


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic clean-up: delete expired exports (delete_expired), and queue again the jobs
    no run is working on: "running" whose advisory lock is free (their worker died; Redis
    would give their task out again only after its visibility timeout) and "queued" for longer
    than ten minutes (the broker was down when they were asked for)."""
    from collab.tasks import run_export

    now = now or timezone.now()
    deleted = delete_expired(now)
    requeued = 0
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        side = connections.create_connection("default")
        try:
            running = ExportJob.objects.filter(state=State.RUNNING).values_list("pk", flat=True)
            for pk in list(running[:100]):
                with side.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, pk])
                    free = cursor.fetchone()[0]
                    if free:
                        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, pk])
                if free:
                    run_export.delay(pk)
                    requeued += 1
        finally:
            side.close()
    stale = now - datetime.timedelta(minutes=10)
    for pk in ExportJob.objects.filter(state=State.QUEUED, created_at__lt=stale).values_list(
        "pk", flat=True
    )[:100]:
        run_export.delay(pk)
        requeued += 1
    return {"deleted": deleted, "requeued": requeued}
