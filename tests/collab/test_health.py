"""`/health/` (collab/health.py): JSON for load balancers, 200 when the site can serve, 503 when
a part it needs is down; open to anyone, telling them states only."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from collab import health
from tests.worker import TEST_BROKER_URL, require_redis

pytestmark = pytest.mark.django_db

STATES = {"database", "migrations", "queue", "worker", "storage"}


@pytest.fixture(autouse=True)
def _fresh_migration_check(monkeypatch):
    """Each test checks the migrations again (a process remembers only a success)."""
    monkeypatch.setattr(health, "_migrations_checked", False)


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def get_health(client: Client | None = None) -> tuple[int, dict]:
    response = (client or Client()).get("/health/")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


@pytest.fixture
def with_broker(settings):
    """The site as production runs it: a Redis broker and Redis as the shared cache (a key
    prefix of its own, so no other test session's heartbeat is read)."""
    require_redis()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = TEST_BROKER_URL
    settings.COLLAB_CACHE_URL = TEST_BROKER_URL
    prefix = f"health-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_BROKER_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.COLLAB_WORKER_STALE_SECONDS = 30
    yield prefix
    cache.delete(health.HEARTBEAT_KEY)


def test_it_answers_200_with_every_check_ok_without_a_broker(private_root):
    response = Client().get("/health/")

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "queue": "eager",  # no broker: tasks run in the process that queues them
            "worker": "eager",
            "storage": "ok",
        },
    }
    # Never cached by anything in between, and no session made for the caller.
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    assert not response.cookies
    # The probe file is gone again.
    assert [path.name for path in private_root.iterdir()] == []


def test_it_runs_one_cheap_query_once_the_migrations_were_checked(
    private_root, django_assert_num_queries
):
    assert get_health()[0] == 200  # the first call loads the migration graph

    # 1. SELECT 1 (the database answers); nothing else: the session is not touched, the
    #    migration state is remembered after a success.
    with django_assert_num_queries(1):
        assert get_health()[0] == 200


def test_a_migration_not_applied_turns_it_503(private_root):
    # Unrecord the newest migration of collab (rolled back with the test's transaction).
    MigrationRecorder(connection).migration_qs.filter(app="collab").order_by("-id").first().delete()

    status, body = get_health()

    assert status == 503
    assert body["status"] == "error"
    assert body["checks"]["migrations"] == "pending"
    assert body["checks"]["database"] == "ok"


def test_a_success_is_remembered_but_a_pending_migration_is_checked_each_time(private_root):
    recorder = MigrationRecorder(connection)
    newest = recorder.migration_qs.filter(app="collab").order_by("-id").first()
    newest.delete()
    assert get_health()[0] == 503
    assert get_health()[0] == 503  # not remembered

    recorder.record_applied(newest.app, newest.name)

    assert get_health()[0] == 200


def test_private_storage_that_cannot_be_written_turns_it_503_without_naming_the_path(
    settings, tmp_path
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PRIVATE_MEDIA_ROOT = blocker / "private"  # cannot be created under a file

    status, body = get_health()

    assert status == 503
    assert body["checks"]["storage"] == "error"
    assert body["checks"]["database"] == "ok"
    assert str(tmp_path) not in json.dumps(body)


def test_it_is_open_to_anonymous_callers_and_says_the_same_to_everyone(private_root, client_for):
    anonymous = get_health()
    admin = get_health(client_for("admin"))

    assert anonymous == admin
    assert set(anonymous[1]["checks"]) == STATES


def test_it_accepts_only_get(private_root):
    assert Client().post("/health/").status_code == 405


# --- with a broker and a shared cache (Redis) ------------------------------------------------


def test_with_a_broker_and_no_heartbeat_the_worker_is_missing(private_root, with_broker):
    cache.delete(health.HEARTBEAT_KEY)

    status, body = get_health()

    assert status == 503
    assert body["checks"]["queue"] == "ok"
    assert body["checks"]["worker"] == "missing"


def test_a_recent_heartbeat_is_healthy_and_an_old_one_is_stale(private_root, with_broker, settings):
    health.write_heartbeat()

    status, body = get_health()
    assert status == 200, body
    assert body["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "queue": "ok",
        "worker": "ok",
        "storage": "ok",
    }
    assert 0 <= body["worker_heartbeat_age"] < 5

    cache.set(health.HEARTBEAT_KEY, time.time() - settings.COLLAB_WORKER_STALE_SECONDS - 1)

    status, body = get_health()
    assert status == 503
    assert body["checks"]["worker"] == "stale"
    assert body["worker_heartbeat_age"] > settings.COLLAB_WORKER_STALE_SECONDS


def test_a_broker_that_does_not_answer_turns_it_503_quickly(private_root, with_broker, settings):
    health.write_heartbeat()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    started = time.monotonic()
    status, body = get_health()

    assert time.monotonic() - started < 3
    assert status == 503
    assert body["checks"]["queue"] == "error"
    assert "127.0.0.1" not in json.dumps(body)


def test_a_broker_without_a_shared_cache_cannot_see_any_worker(private_root, with_broker, settings):
    settings.COLLAB_CACHE_URL = ""  # each process its own cache: heartbeats never arrive

    status, body = get_health()

    assert status == 503
    assert body["checks"]["worker"] == "no shared cache"


# --- a real worker (PostgreSQL and Redis: tests/worker.py) -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_keeps_it_healthy_and_stopping_it_turns_it_503(
    celery_workers, with_broker, private_root, settings
):
    settings.COLLAB_WORKER_STALE_SECONDS = 3
    cache.delete(health.HEARTBEAT_KEY)
    assert get_health()[1]["checks"]["worker"] == "missing"

    worker = celery_workers.start(
        COLLAB_CACHE_URL=TEST_BROKER_URL,
        COLLAB_CACHE_KEY_PREFIX=with_broker,
        COLLAB_WORKER_HEARTBEAT_SECONDS="0.5",
    )
    worker.wait_for(lambda: get_health()[0] == 200, timeout=20)
    # It keeps beating: well after the stale limit, still healthy.
    time.sleep(settings.COLLAB_WORKER_STALE_SECONDS + 1)
    status, body = get_health()
    assert status == 200, (body, worker.output()[-2000:])
    assert body["worker_heartbeat_age"] < 2

    worker.stop()

    deadline = time.monotonic() + settings.COLLAB_WORKER_STALE_SECONDS + 10
    while get_health()[0] == 200 and time.monotonic() < deadline:
        time.sleep(0.25)
    status, body = get_health()
    assert status == 503
    assert body["checks"]["worker"] == "stale"
