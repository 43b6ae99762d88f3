"""`/health/` for load balancers and monitors, and the worker heartbeat it reads.

Each check is cheap enough to run every few seconds and caches nothing that could hide a
failure, with one exception: the migration check, which loads every migration file, is
remembered per process once it passed (an applied migration does not become unapplied; a new
release with new migrations starts new processes, which check again).

- database: `SELECT 1` answers;
- migrations: no migration of the code is unapplied ("pending" otherwise);
- queue: the broker answers within COLLAB_HEALTH_BROKER_TIMEOUT, or "eager" (no broker: tasks
  run in the process that queues them);
- worker: a worker wrote its heartbeat to the shared cache within COLLAB_WORKER_STALE_SECONDS
  ("stale", "missing" otherwise), or "eager";
- storage: a file can be created and removed in PRIVATE_MEDIA_ROOT.

The answer names each check's state and the heartbeat's age, never an exception's text (it could
name hosts or paths): that goes to the log. 200 when every check is ok (or eager), else 503.

The heartbeat: every worker runs `collab.celery.HeartbeatStep` in its consumer; while it is
connected to the broker it writes the time to the shared cache every
COLLAB_WORKER_HEARTBEAT_SECONDS. Any live worker keeps it fresh; when the last one stops (or
loses the broker) the heartbeat ages and `/health/` turns 503 after COLLAB_WORKER_STALE_SECONDS.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "collab:worker-heartbeat"
OK, EAGER = "ok", "eager"

_migrations_checked = False  # per process: set after the first check that found none pending


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_migrations() -> str:
    global _migrations_checked
    if _migrations_checked:
        return OK
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "pending"
    _migrations_checked = True
    return OK


def check_queue() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EAGER
    from kombu import Connection

    timeout = settings.COLLAB_HEALTH_BROKER_TIMEOUT
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=timeout,
        transport_options={"socket_timeout": timeout, "socket_connect_timeout": timeout},
    ) as broker:
        # One attempt, no retry loop: a load balancer wants an answer, not patience.
        broker.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
    return OK


def heartbeat_age() -> float | None:
    """Seconds since a worker last wrote its heartbeat; None if none is recorded."""
    beat = cache.get(HEARTBEAT_KEY)
    if not isinstance(beat, int | float):
        return None
    return max(0.0, time.time() - beat)


def check_worker(report: dict[str, Any]) -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EAGER
    if not settings.COLLAB_CACHE_URL:
        # A per-process cache: the workers' heartbeats can never reach this process.
        logger.warning("Health: a broker but no shared cache (COLLAB_CACHE_URL): no heartbeat.")
        return "no shared cache"
    age = heartbeat_age()
    if age is None:
        return "missing"
    report["worker_heartbeat_age"] = round(age, 1)
    return OK if age <= settings.COLLAB_WORKER_STALE_SECONDS else "stale"


def check_storage() -> str:
    folder = settings.PRIVATE_MEDIA_ROOT
    os.makedirs(folder, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-", delete=True) as probe:
        probe.write(b"ok")
        probe.flush()
    return OK


def run_check(name: str, check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as error:  # any failure is a state, never a 500
        # A warning, not an error: errors are mailed to the admins, and a load balancer asks
        # every few seconds.
        logger.warning("Health check %s failed: %s", name, error, exc_info=True)
        return "error"


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """JSON for load balancers: 200 when everything works, else 503. Open to anonymous callers:
    states only, nothing about hosts, users or data."""
    report: dict[str, Any] = {}
    database = run_check("database", check_database)
    checks = {
        "database": database,
        # Without a database the migration state cannot be read: say so without trying.
        "migrations": run_check("migrations", check_migrations) if database == OK else "unknown",
        "queue": run_check("queue", check_queue),
        "worker": run_check("worker", lambda: check_worker(report)),
        "storage": run_check("storage", check_storage),
    }
    healthy = all(state in (OK, EAGER) for state in checks.values())
    body = {"status": "ok" if healthy else "error", "checks": checks, **report}
    response = JsonResponse(body, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response


# --- the worker's side ---------------------------------------------------------------------------


def write_heartbeat() -> None:
    """Record that a worker is alive and connected, for COLLAB_WORKER_STALE_SECONDS and a
    margin (an expired key reads as "missing", which is also a failure)."""
    try:
        cache.set(HEARTBEAT_KEY, time.time(), timeout=settings.COLLAB_WORKER_STALE_SECONDS * 10)
    except Exception as error:  # the cache being down must not stop the worker
        logger.warning("Worker heartbeat not written: %s", error)
