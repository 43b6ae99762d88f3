"""The task queue: eager in-process by default, a real worker and beat against Redis when set up."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
import uuid

import pytest
from celery.schedules import crontab
from django.core import mail
from django.core.cache import caches
from django.test import TestCase, override_settings

from collab.celery import app
from collab.models import ReminderLog
from programs.tasks import send_daily_reminders
from tests.factories import CommitmentFactory
from tests.worker import BASE_DIR, TEST_BROKER_URL, require_redis

DAY = datetime.date(2024, 6, 10)


@pytest.fixture
def overdue(program, users):
    """Something the coordinator of `program` is reminded of on DAY."""
    return CommitmentFactory(program=program, title="Dana zakat produktif", due_on=DAY)


def settings_in_a_process(**env: str) -> dict:
    """The Celery and cache settings a fresh process reads from `env`."""
    script = (
        "import json, django; django.setup(); "
        "from django.conf import settings; from collab.celery import app; "
        "c = app.conf; print(json.dumps({"
        "'eager': c.task_always_eager, 'broker': c.broker_url, 'acks_late': c.task_acks_late, "
        "'reject_on_worker_lost': c.task_reject_on_worker_lost, "
        "'prefetch': c.worker_prefetch_multiplier, 'serializer': c.task_serializer, "
        "'accept': c.accept_content, 'time_limit': c.task_time_limit, "
        "'soft_time_limit': c.task_soft_time_limit, 'timezone': str(c.timezone), "
        "'cache': settings.CACHES['default']}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COLLAB_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=clean | {"DJANGO_SETTINGS_MODULE": "collab.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_broker_tasks_run_in_process_at_once(overdue, users):
    assert app.conf.task_always_eager

    with TestCase.captureOnCommitCallbacks(execute=True):
        send_daily_reminders.delay(DAY.isoformat())

    # Done before delay() returned (the e-mail after its commit): no worker, no Redis.
    assert ReminderLog.objects.get(user=users["coordinator"], sent_on=DAY).sent_at is not None
    assert [message.to for message in mail.outbox] == [["koordinator-ini@example.org"]]


def test_the_defaults_need_no_redis():
    conf = settings_in_a_process()

    assert conf["eager"] is True
    assert conf["broker"] == "memory://"
    assert conf["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_broker_and_a_cache_url_from_the_environment_turn_on_the_worker_and_redis():
    conf = settings_in_a_process(
        COLLAB_BROKER_URL="redis://127.0.0.1:6379/5", COLLAB_CACHE_URL="redis://127.0.0.1:6379/6"
    )

    assert conf["eager"] is False
    assert conf["broker"] == "redis://127.0.0.1:6379/5"
    assert conf["cache"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/6",
    }
    # A task is acknowledged after it ran, and given back if its worker died; one at a time.
    assert conf["acks_late"] is True
    assert conf["reject_on_worker_lost"] is True
    assert conf["prefetch"] == 1
    assert (conf["serializer"], conf["accept"]) == ("json", ["json"])
    assert 0 < conf["soft_time_limit"] < conf["time_limit"]
    assert conf["timezone"] == "Asia/Jakarta"


def test_beat_runs_the_reminders_daily_at_seven_jakarta_time():
    entry = app.conf.beat_schedule["daily-reminders"]

    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert str(app.conf.timezone) == "Asia/Jakarta"


def test_the_redis_cache_is_shared_between_processes():
    require_redis()
    key = f"collab-test-{uuid.uuid4().hex}"
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_BROKER_URL,
        }
    }
    script = (
        "import django; django.setup(); from django.core.cache import cache; "
        f"cache.set({key!r}, 'dari proses lain', 60)"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=os.environ | {"COLLAB_CACHE_URL": TEST_BROKER_URL},
        check=True,
        timeout=60,
    )

    with override_settings(CACHES=redis_cache):
        try:
            assert caches["default"].get(key) == "dari proses lain"
        finally:
            caches["default"].delete(key)


def test_beat_starts_from_the_project_root(tmp_path):
    require_redis()
    env = os.environ | {"COLLAB_BROKER_URL": TEST_BROKER_URL, "COLLAB_ZEAL": "0"}
    log = tmp_path / "beat.log"
    with log.open("w") as out:
        beat = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "collab",
                "beat",
                "--loglevel=INFO",
                f"--schedule={tmp_path / 'beat-schedule'}",
                f"--pidfile={tmp_path / 'beat.pid'}",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while "beat: Starting" not in log.read_text() and time.monotonic() < deadline:
                assert beat.poll() is None, log.read_text()
                time.sleep(0.1)
        finally:
            beat.terminate()
            beat.wait(timeout=20)
    assert "beat: Starting" in log.read_text()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_task_against_the_test_database(celery_worker, overdue, users):
    send_daily_reminders.delay(DAY.isoformat())

    celery_worker.wait_for(
        lambda: ReminderLog.objects.filter(
            user=users["coordinator"], sent_on=DAY, message__state="sent"
        ).exists()
    )
    # Sent by the worker process, not here.
    assert mail.outbox == []
    assert "programs.tasks.send_daily_reminders" in celery_worker.output()
