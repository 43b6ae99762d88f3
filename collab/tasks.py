"""Background tasks of the shared layer: the e-mail outbox (collab/outbox.py) and exports too
large for a request (collab/export_jobs.py)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from collab import export_jobs, outbox


@shared_task(
    bind=True,
    name="collab.tasks.send_outbox_message",
    # The row counts the attempts (COLLAB_OUTBOX_MAX_ATTEMPTS), across tasks queued by the sweep.
    max_retries=None,
    soft_time_limit=60,
    time_limit=90,
)
def send_outbox_message(self, pk: int) -> str:
    """One attempt at sending outbox message `pk`; on an SMTP failure, a retry after back-off."""
    outcome, wait = outbox.deliver(pk)
    while outcome == "retry" and self.request.is_eager:
        # Eager (no broker: `make run`, unit tests): the attempts follow each other here, at
        # once; there is no queue to wait in.
        outcome, wait = outbox.deliver(pk)
    if outcome == "retry":
        raise self.retry(countdown=wait)
    return outcome


@shared_task(name="collab.tasks.sweep_outbox")
def sweep_outbox() -> dict[str, int]:
    """Every minute (beat): queue what no task will send (outbox.sweep)."""
    return outbox.sweep()


@shared_task(
    name="collab.tasks.run_export",
    soft_time_limit=settings.COLLAB_EXPORT_TIME_LIMIT,
    time_limit=settings.COLLAB_EXPORT_TIME_LIMIT + 60,
)
def run_export(pk: int) -> str:
    """Build export job `pk`'s file. Delivered again if its worker dies (late acknowledgement):
    the rerun starts over, or fails the job after COLLAB_EXPORT_MAX_ATTEMPTS."""
    return export_jobs.run(pk)


@shared_task(name="collab.tasks.sweep_exports")
def sweep_exports() -> dict[str, int]:
    """Every five minutes (beat): delete exports past their day, rerun those whose worker died."""
    return export_jobs.sweep()
