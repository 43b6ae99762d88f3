"""Errors reach the admins by e-mail (collab/settings.py LOGGING, docs/deploy.md): a page that
fails (Django's `django.request`) and a task that fails (`celery.app.trace`), with DEBUG off."""

from __future__ import annotations

import logging

import pytest
from django.core import mail


@pytest.fixture
def admins(settings):
    settings.DEBUG = False
    settings.ADMINS = [("Tim Operasi", "ops@example.org")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_SUBJECT_PREFIX = "[Collab Registry] "


def test_a_failed_task_is_mailed_to_the_admins(admins):
    logging.getLogger("celery.app.trace").error(
        "Task collab.tasks.run_export[abc] raised unexpected: %s", "RuntimeError('disk full')"
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ops@example.org"]
    assert message.subject.startswith("[Collab Registry] ERROR")
    assert "disk full" in message.body


def test_a_warning_is_not_mailed(admins):
    # /health/ logs its failed checks as warnings: a load balancer asks every few seconds.
    logging.getLogger("collab.health").warning("Health check queue failed")
    logging.getLogger("celery.app.trace").warning("Task retried")

    assert mail.outbox == []


def test_nothing_is_mailed_while_debugging(admins, settings):
    settings.DEBUG = True

    logging.getLogger("celery.app.trace").error("Task failed")

    assert mail.outbox == []
