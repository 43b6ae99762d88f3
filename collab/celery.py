"""The project's Celery app: `celery -A collab worker` and `celery -A collab beat`.

Configured from Django's settings (the `CELERY_*` names in collab/settings.py, read from the
environment). Without `COLLAB_BROKER_URL` every task runs eagerly in the process that queues it
(`make run`, the unit tests); with it, workers take the tasks from Redis (docs/background.md).

Tasks live in the `tasks.py` of the app that owns their data (found by `autodiscover_tasks`).
Every worker also writes a heartbeat to the shared cache (`HeartbeatStep`), which `/health/`
reads (collab/health.py).
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab.settings")

app = Celery("collab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class HeartbeatStep(bootsteps.StartStopStep):
    """A step of the worker's consumer: started once it is connected to the broker, stopped when
    it loses the connection or shuts down; meanwhile writes the heartbeat on the worker's timer
    every COLLAB_WORKER_HEARTBEAT_SECONDS."""

    requires = {"celery.worker.consumer.connection:Connection"}

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.timer_entry = None

    def start(self, parent: Any) -> None:
        from django.conf import settings

        from collab.health import write_heartbeat

        write_heartbeat()
        self.timer_entry = parent.timer.call_repeatedly(
            settings.COLLAB_WORKER_HEARTBEAT_SECONDS, write_heartbeat, priority=10
        )

    def stop(self, parent: Any) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    shutdown = stop


app.steps["consumer"].add(HeartbeatStep)
