"""A real Celery worker for the tests that need one (a subprocess against Redis and the test
database), and the switch that makes the test process queue tasks to it instead of running them
eagerly.

Only on PostgreSQL: the worker is another process and must reach the test database, which an
SQLite test database (in memory, or a file inside one transaction) does not allow. CI runs these
on its PostgreSQL leg; on SQLite they skip saying so. Redis must answer (`.ci/run` starts it);
locally, without one, they skip too, never in CI.

    @pytest.mark.django_db(transaction=True)
    def test_…(celery_worker):          # a running worker, the test process queueing to it
        …
        celery_worker.wait_for(lambda: Thing.objects.filter(done=True).exists())
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
# Which Redis the tests' workers use; every test session also takes a queue of its own, so two
# sessions (or engineers) on one Redis never take each other's tasks.
TEST_BROKER_URL = os.environ.get("COLLAB_TEST_BROKER_URL", "redis://127.0.0.1:6379/0")
READY_TIMEOUT = 60.0


def redis_answers(url: str = TEST_BROKER_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


def require_redis() -> None:
    if not redis_answers():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {TEST_BROKER_URL}; .ci/run starts it.")
        pytest.skip(f"needs Redis at {TEST_BROKER_URL} (COLLAB_TEST_BROKER_URL); CI starts one")


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "a worker subprocess must reach the test database: PostgreSQL only "
            "(CI runs this on its PostgreSQL leg)"
        )


def subprocess_database_url() -> str:
    """The URL of the database this test session runs on (test_<name>), for a subprocess."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (the worker's pool processes), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (command) state ppid …": the command may hold spaces, so split after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


class Worker:
    """One `celery -A collab worker` subprocess (prefork pool), in a process group of its own."""

    def __init__(self, *, queue: str, env: dict[str, str], concurrency: int = 1) -> None:
        self.queue = queue
        self.env = env
        self.concurrency = concurrency
        self.name = f"test-{uuid.uuid4().hex[:8]}@%h"
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in stop())
            prefix="celery-worker-", suffix=".log", delete=False
        )

    def start(self) -> Worker:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "collab",
                "worker",
                "--loglevel=INFO",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "-Q",
                self.queue,
                "-n",
                self.name,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited at start:\n{self.output()}")
            if " ready." in self.output():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the worker was not ready in {READY_TIMEOUT:.0f} s:\n{self.output()}")

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pool_pids(self) -> list[int]:
        return children_of(self.process.pid) if self.alive else []

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: no goodbye, no acknowledgement."""
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM: finish the current task), then SIGKILL if it lingers."""
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        # Pool processes left behind by a killed parent belong to the same group.
        with contextlib.suppress(ProcessLookupError, TypeError, AttributeError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()

    def wait_for(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        """Poll `condition` (reading the database) until it holds; fail with the worker's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        pytest.fail(f"not done within {timeout:.0f} s; the worker's log:\n{self.output()[-4000:]}")


class WorkerPool:
    """Starts workers for one test; stops every one it started at teardown."""

    def __init__(self, queue: str, env: dict[str, str]) -> None:
        self.queue = queue
        self.env = env
        self.workers: list[Worker] = []
        self.var_dir = Path(env["COLLAB_VAR_DIR"])  # the workers' var/ (PRIVATE_MEDIA_ROOT in it)

    def start(self, concurrency: int = 1, **env: str) -> Worker:
        worker = Worker(queue=self.queue, env=self.env | env, concurrency=concurrency)
        self.workers.append(worker)
        return worker.start()

    def drained(self, settle: float = 1.0) -> None:
        """Wait until the queue is empty and every worker idle (nothing reserved, nothing
        unacknowledged), so that a task delivered late could not still do something."""
        import redis

        client = redis.Redis.from_url(TEST_BROKER_URL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if client.llen(self.queue) == 0 and not client.hlen("unacked"):
                break
            time.sleep(0.1)
        time.sleep(settle)

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop()


@contextlib.contextmanager
def queueing_to(queue: str, broker_url: str = TEST_BROKER_URL) -> Iterator[None]:
    """Within: this process queues tasks to `broker_url`/`queue` instead of running them."""
    from collab.celery import app

    names = ("broker_url", "task_always_eager", "task_default_queue")
    before = {name: app.conf[name] for name in names}

    def reconnect() -> None:
        # The router's queues and the connection pools were built from the old settings.
        app.__dict__.pop("amqp", None)
        app._pool = None

    app.conf.update(broker_url=broker_url, task_always_eager=False, task_default_queue=queue)
    reconnect()
    try:
        yield
    finally:
        app.conf.update(before)
        reconnect()


def forget_queue(queue: str, broker_url: str = TEST_BROKER_URL) -> None:
    """Remove what the tests left in Redis for `queue`: its list, its binding, and the
    deliveries a killed worker left unacknowledged (kombu keeps them in `unacked`)."""
    import json

    import redis

    client = redis.Redis.from_url(broker_url)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, payload in client.hgetall("unacked").items():
        with contextlib.suppress(ValueError, TypeError):
            _message, _exchange, routing_key = json.loads(payload)
            if routing_key == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


@pytest.fixture
def celery_workers(transactional_db, tmp_path) -> Iterator[WorkerPool]:
    """Start real workers with `celery_workers.start()`; this process queues to them."""
    require_postgresql()
    require_redis()
    queue = f"collab-test-{uuid.uuid4().hex[:12]}"
    env = {
        name: value
        for name, value in os.environ.items()
        # Not a test process: no N+1 detection (zeal), no pytest-only behaviour.
        if name not in {"PYTEST_VERSION", "PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER"}
    }
    env |= {
        "DATABASE_URL": subprocess_database_url(),
        "COLLAB_BROKER_URL": TEST_BROKER_URL,
        "COLLAB_TASK_QUEUE": queue,
        "COLLAB_ZEAL": "0",
        "COLLAB_DB_CONN_MAX_AGE": "0",
        "COLLAB_VAR_DIR": str(tmp_path / "worker-var"),
        "COLLAB_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    pool = WorkerPool(queue, env)
    try:
        with queueing_to(queue):
            yield pool
    finally:
        pool.stop_all()
        forget_queue(queue)


@pytest.fixture
def celery_worker(celery_workers) -> Worker:
    """One running worker (prefork, one process) that this test process queues to."""
    return celery_workers.start()
