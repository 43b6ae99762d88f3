"""Background tasks of the shared layer: the e-mail outbox (collab/outbox.py)."""

from __future__ import annotations

from celery import shared_task

from collab import outbox


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
