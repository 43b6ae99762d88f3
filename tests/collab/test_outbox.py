"""The e-mail outbox: written with what causes it, sent after the commit, exactly once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from collab import outbox
from collab.models import OutboxMessage
from collab.tasks import send_outbox_message, sweep_outbox

State = OutboxMessage.State


def write(key: str | None = None, **fields) -> OutboxMessage:
    return outbox.enqueue(
        to=fields.pop("to", ["koordinator@example.org"]),
        subject=fields.pop("subject", "Pengingat"),
        body=fields.pop("body", "Ada yang jatuh tempo."),
        kind=fields.pop("kind", "test"),
        idempotency_key=key,
        **fields,
    )


def stored(**fields) -> OutboxMessage:
    """A row of the outbox as a test sets it up (nothing is sent): `fields` over a test message
    to a@example.org."""
    test_message = {"to": "a@example.org", "subject": "s", "body": "b", "kind": "test"}
    return OutboxMessage.objects.create(**(test_message | fields))


@pytest.fixture
def smtp(settings, smtp_server):
    """Django's SMTP backend, against the local test server; retries without waiting."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.COLLAB_OUTBOX_RETRY_BACKOFF = 0.01
    return smtp_server


# --- written in the transaction, sent after it ---------------------------------------------------


def test_an_e_mail_is_a_row_until_the_transaction_commits_then_it_is_sent(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = write(html="<p>Ada yang jatuh tempo.</p>")
        assert OutboxMessage.objects.get().state == State.PENDING
        assert mail.outbox == []  # nothing leaves before the commit

    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (State.SENT, 1, "")
    assert message.sent_at is not None
    (sent,) = mail.outbox
    assert sent.to == ["koordinator@example.org"]
    assert (sent.subject, sent.body) == ("Pengingat", "Ada yang jatuh tempo.")
    assert sent.alternatives[0][1] == "text/html"
    assert sent.extra_headers["Message-ID"] == outbox.message_id(message)


def test_a_rolled_back_transaction_leaves_no_e_mail(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        write()
        raise RuntimeError("what caused the e-mail failed")

    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_the_same_idempotency_key_is_one_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = write("digest:7:2024-06-10")
        again = write("digest:7:2024-06-10", subject="Pengingat lagi")

    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_subject_is_one_line(db):
    assert write(subject="Pengingat\n  10 Juni").subject == "Pengingat 10 Juni"


# --- exactly once --------------------------------------------------------------------------------


def test_a_server_that_fails_twice_then_accepts_gets_the_message_once(
    db, smtp, django_capture_on_commit_callbacks
):
    smtp.refuse(2)

    with django_capture_on_commit_callbacks(execute=True):
        message = write()

    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.SENT, 3)
    assert smtp.refused == 2
    assert smtp.message_ids() == [outbox.message_id(message)]


def test_retries_wait_longer_each_time(settings):
    settings.COLLAB_OUTBOX_RETRY_BACKOFF = 30
    settings.COLLAB_OUTBOX_RETRY_BACKOFF_MAX = 600
    waits = [outbox.backoff(attempt).total_seconds() for attempt in range(1, 8)]

    assert 24 <= waits[0] <= 30
    assert 48 <= waits[1] <= 60
    assert 96 <= waits[2] <= 120
    assert waits[-1] <= 600


def test_a_message_failing_every_attempt_is_failed_with_its_error_and_an_admin_retries_it(
    db, smtp, settings, admin_client, django_capture_on_commit_callbacks
):
    settings.COLLAB_OUTBOX_MAX_ATTEMPTS = 3
    smtp.refuse(100)
    with django_capture_on_commit_callbacks(execute=True):
        message = write()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.FAILED, 3)
    assert "451" in message.last_error
    assert smtp.messages == []

    smtp.refuse(0)
    changelist = reverse("admin:collab_outboxmessage_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            changelist, {"action": "retry_failed", "_selected_action": [message.pk]}
        )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.SENT, 1)
    assert smtp.message_ids() == [outbox.message_id(message)]


def test_a_claimed_or_sent_message_is_never_sent_again(db, django_capture_on_commit_callbacks):
    message = stored()
    assert outbox.claim(message.pk) is not None

    # Another worker, or the same task delivered again, finds it taken.
    assert outbox.deliver(message.pk) == ("skipped", 0.0)
    assert send_outbox_message.delay(message.pk).get() == "skipped"
    assert mail.outbox == []

    OutboxMessage.objects.filter(pk=message.pk).update(state=State.PENDING)
    assert outbox.deliver(message.pk)[0] == "sent"
    assert outbox.deliver(message.pk)[0] == "skipped"
    assert len(mail.outbox) == 1


def test_the_sweep_retries_a_message_stuck_in_sending_and_one_whose_task_was_lost(db, settings):
    settings.COLLAB_OUTBOX_SENDING_TIMEOUT = 600
    now = timezone.now()
    stuck = stored(
        to="stuck@example.org",
        state=State.SENDING,
        attempts=1,
        claimed_at=now - datetime.timedelta(minutes=11),
    )
    busy = stored(
        to="busy@example.org",
        state=State.SENDING,
        attempts=1,
        claimed_at=now - datetime.timedelta(minutes=1),
    )
    lost = stored(to="lost@example.org", next_attempt_at=now - datetime.timedelta(minutes=5))
    waiting = stored(to="waiting@example.org", next_attempt_at=now + datetime.timedelta(minutes=5))

    result = sweep_outbox.delay().get()

    assert result == {"released": 1, "failed": 0, "queued": 2}
    states = dict(OutboxMessage.objects.values_list("to", "state"))
    assert states == {
        "stuck@example.org": State.SENT,
        "busy@example.org": State.SENDING,  # its worker may still be at it
        "lost@example.org": State.SENT,
        "waiting@example.org": State.PENDING,  # its retry is not due
    }
    assert sorted(message.to[0] for message in mail.outbox) == [
        "lost@example.org",
        "stuck@example.org",
    ]
    assert OutboxMessage.objects.get(pk=stuck.pk).attempts == 2
    assert {busy.pk, waiting.pk}.isdisjoint({lost.pk, stuck.pk})


def test_a_message_stuck_after_its_last_attempt_is_failed(db, settings):
    settings.COLLAB_OUTBOX_MAX_ATTEMPTS = 2
    message = stored(
        state=State.SENDING,
        attempts=2,
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
    )

    outbox.sweep()

    message.refresh_from_db()
    assert message.state == State.FAILED
    assert "worker" in message.last_error
    assert mail.outbox == []


# --- the admin -----------------------------------------------------------------------------------


def test_the_admin_lists_the_outbox_read_only(db, admin_client, client_for):
    message = stored(
        subject="Pengingat",
        kind="reminder_digest",
        state=State.FAILED,
        attempts=6,
        last_error="SMTPDataError: (451, b'Coba lagi nanti')",
    )
    changelist = reverse("admin:collab_outboxmessage_changelist")

    response = admin_client.get(changelist)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Coba lagi nanti" in body and "Pengingat" in body
    assert admin_client.get(reverse("admin:collab_outboxmessage_add")).status_code == 403
    detail = admin_client.get(reverse("admin:collab_outboxmessage_change", args=[message.pk]))
    assert detail.status_code == 200
    assert b'name="subject"' not in detail.content  # shown, not editable
    assert client_for("staff").get(changelist).status_code in (302, 403)


# --- against a real worker (PostgreSQL) ----------------------------------------------------------


@pytest.fixture
def worker_smtp(smtp_server):
    """What a worker subprocess needs to send through the local test server."""
    return {
        "COLLAB_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "COLLAB_EMAIL_HOST": "127.0.0.1",
        "COLLAB_EMAIL_PORT": str(smtp_server.port),
        "COLLAB_OUTBOX_RETRY_BACKOFF": "0.2",
    }


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_through_a_server_that_fails_twice_exactly_once(
    celery_workers, smtp_server, worker_smtp
):
    worker = celery_workers.start(**worker_smtp)
    smtp_server.refuse(2)

    with transaction.atomic():
        message = write()

    worker.wait_for(lambda: OutboxMessage.objects.filter(pk=message.pk, state=State.SENT).exists())
    message.refresh_from_db()
    assert message.attempts == 3
    assert smtp_server.refused == 2
    assert smtp_server.message_ids() == [outbox.message_id(message)]
    assert mail.outbox == []  # sent by the worker, not by this process


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_message_twice(celery_workers, smtp_server, worker_smtp):
    workers = [celery_workers.start(concurrency=2, **worker_smtp) for _ in range(2)]
    messages = []
    with transaction.atomic():
        for number in range(20):
            messages.append(write(to=[f"koordinator-{number}@example.org"]))
    # Every message's task delivered five times more, as a broker may redeliver under late
    # acknowledgement: four processes race for each.
    for message in messages:
        for _ in range(5):
            send_outbox_message.delay(message.pk)

    workers[0].wait_for(
        lambda: OutboxMessage.objects.filter(state=State.SENT).count() == len(messages)
    )
    celery_workers.drained()  # the late duplicates have had their chance too
    ids = smtp_server.message_ids()
    assert sorted(ids) == sorted(outbox.message_id(message) for message in messages)
    assert len(set(ids)) == len(ids) == 20
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
