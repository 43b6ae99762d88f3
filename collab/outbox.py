"""The e-mail outbox: every e-mail the project sends goes through `enqueue()`.

    with transaction.atomic():
        ...  # what causes the e-mail
        outbox.enqueue(to=[user.email], subject=..., body=..., kind="reminder_digest",
                       idempotency_key=f"reminder-digest:{user.pk}:{day}")

The message is a row (`collab.models.OutboxMessage`) written in the caller's transaction: if that
rolls back, no e-mail exists; if it commits, the e-mail will be sent, even if the mail server or
the worker is down right now. After the commit a task (`collab.tasks.send_outbox_message`) sends
it:

1. **Claim**: one conditional UPDATE, pending → sending. Only one of two workers (or a task
   delivered twice under late acknowledgement) wins it; the loser does nothing.
2. **Send** through Django's e-mail backend, with a Message-ID made from the row, so that the one
   duplicate this cannot rule out (the worker dies after the server took the message and before
   step 3) carries the same Message-ID and reads as one message in mail clients.
3. **Mark sent** (conditional on still holding the claim), or on an SMTP failure back to pending
   with the error and the time of the next attempt: exponential back-off, up to
   `COLLAB_OUTBOX_MAX_ATTEMPTS` attempts, then failed (an admin can retry it).

A periodic sweep (`collab.tasks.sweep_outbox`) queues again what no task is going to send: rows
pending past their next attempt (the broker was down at commit time, or the retry was lost) and
rows stuck in "sending" past `COLLAB_OUTBOX_SENDING_TIMEOUT` (their worker died).
"""

from __future__ import annotations

import datetime
import logging
import random
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from collab.models import OutboxMessage

logger = logging.getLogger(__name__)

State = OutboxMessage.State

# What a mail server (or the way to it) failing looks like: worth another attempt later.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)


def enqueue(
    *,
    to: Iterable[str] | str,
    subject: str,
    body: str,
    kind: str,
    html: str = "",
    idempotency_key: str | None = None,
) -> OutboxMessage:
    """Write an e-mail to the outbox in the current transaction; it is sent after the commit.

    With an `idempotency_key` the same message is written once: a second call returns the first
    row (and queues nothing more).
    """
    addresses = [to] if isinstance(to, str) else list(to)
    fields = {
        "to": ", ".join(addresses),
        "subject": " ".join(subject.split()),  # a header holds no line break
        "body": body,
        "html": html,
        "kind": kind,
        "idempotency_key": idempotency_key or None,
        "next_attempt_at": timezone.now(),
    }
    if idempotency_key:
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(**fields)
        except IntegrityError:
            return OutboxMessage.objects.get(idempotency_key=idempotency_key)
    else:
        message = OutboxMessage.objects.create(**fields)
    queue_after_commit(message.pk)
    return message


def queue_after_commit(pk: int) -> None:
    """Queue the sending task once the current transaction commits (at once outside one).

    robust: a broker that is down must not fail the request whose data is committed; the row
    stays pending and the sweep queues it later."""
    from collab.tasks import send_outbox_message

    transaction.on_commit(lambda: send_outbox_message.delay(pk), robust=True)


def backoff(attempts: int) -> datetime.timedelta:
    """The wait before attempt `attempts + 1`: doubling from COLLAB_OUTBOX_RETRY_BACKOFF seconds,
    at most COLLAB_OUTBOX_RETRY_BACKOFF_MAX, with jitter so retries do not arrive in a herd."""
    base = settings.COLLAB_OUTBOX_RETRY_BACKOFF * 2 ** max(attempts - 1, 0)
    seconds = min(base, settings.COLLAB_OUTBOX_RETRY_BACKOFF_MAX)
    return datetime.timedelta(seconds=seconds * random.uniform(0.8, 1.0))


def claim(pk: int) -> OutboxMessage | None:
    """Take the message for one attempt (pending → sending); None if it is not pending."""
    now = timezone.now()
    won = OutboxMessage.objects.filter(pk=pk, state=State.PENDING).update(
        state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not won:
        return None
    return OutboxMessage.objects.get(pk=pk)


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID for every attempt at one row: a duplicate reads as one message."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<outbox.{message.pk}.{message.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def deliver(pk: int) -> tuple[str, float]:
    """One attempt at sending message `pk`: ("sent" | "retry" | "failed" | "skipped", seconds
    to wait before the retry)."""
    message = claim(pk)
    if message is None:
        return "skipped", 0.0  # sent, failed, or being sent by somebody else
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        to=message.recipients,
        headers={"Message-ID": message_id(message)},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    try:
        email.send()
    except Exception as error:
        return _not_sent(message, error)
    OutboxMessage.objects.filter(pk=pk, state=State.SENDING, claimed_at=message.claimed_at).update(
        state=State.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
    )
    return "sent", 0.0


def _not_sent(message: OutboxMessage, error: Exception) -> tuple[str, float]:
    text = f"{type(error).__name__}: {error}"[:2000]
    held = OutboxMessage.objects.filter(
        pk=message.pk, state=State.SENDING, claimed_at=message.claimed_at
    )
    transient = isinstance(error, TRANSIENT_ERRORS)
    if not transient or message.attempts >= settings.COLLAB_OUTBOX_MAX_ATTEMPTS:
        held.update(state=State.FAILED, last_error=text, next_attempt_at=None)
        log = logger.exception if not transient else logger.error
        log("E-mail %s failed after %s attempts: %s", message.pk, message.attempts, text)
        return "failed", 0.0
    wait = backoff(message.attempts)
    held.update(state=State.PENDING, last_error=text, next_attempt_at=timezone.now() + wait)
    logger.warning(
        "E-mail %s not sent (attempt %s), retrying: %s", message.pk, message.attempts, text
    )
    return "retry", wait.total_seconds()


def sweep(now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Queue again what no task will send: pending rows past their next attempt, and rows stuck
    in "sending" past COLLAB_OUTBOX_SENDING_TIMEOUT (their worker died mid-attempt)."""
    from collab.tasks import send_outbox_message

    now = now or timezone.now()
    timeout = datetime.timedelta(seconds=settings.COLLAB_OUTBOX_SENDING_TIMEOUT)
    stuck = list(
        OutboxMessage.objects.filter(state=State.SENDING, claimed_at__lt=now - timeout)
        .order_by("claimed_at")
        .values_list("pk", "claimed_at", "attempts")[:limit]
    )
    released = failed = 0
    for pk, claimed_at, attempts in stuck:
        held = OutboxMessage.objects.filter(pk=pk, state=State.SENDING, claimed_at=claimed_at)
        error = "The worker stopped during the attempt (no result within the timeout)."
        if attempts >= settings.COLLAB_OUTBOX_MAX_ATTEMPTS:
            failed += held.update(state=State.FAILED, last_error=error, next_attempt_at=None)
        else:
            released += held.update(state=State.PENDING, last_error=error, next_attempt_at=now)
    # A pending row normally has its task on the way; a minute past its due time, it has none.
    grace = datetime.timedelta(seconds=60)
    due = list(
        OutboxMessage.objects.filter(state=State.PENDING)
        .filter(
            Q(next_attempt_at__lt=now - grace)
            | Q(next_attempt_at__isnull=True)
            | Q(pk__in=[pk for pk, _, _ in stuck])
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        send_outbox_message.delay(pk)
    return {"released": released, "failed": failed, "queued": len(due)}


def retry_failed(queryset) -> int:
    """Give failed messages a fresh set of attempts (the admin's action); the rest is untouched."""
    pks = list(queryset.filter(state=State.FAILED).values_list("pk", flat=True))
    count = OutboxMessage.objects.filter(pk__in=pks, state=State.FAILED).update(
        state=State.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for pk in pks:
        queue_after_commit(pk)
    return count
