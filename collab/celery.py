"""The project's Celery app: `celery -A collab worker` and `celery -A collab beat`.

Configured from Django's settings (the `CELERY_*` names in collab/settings.py, read from the
environment). Without `COLLAB_BROKER_URL` every task runs eagerly in the process that queues it
(`make run`, the unit tests); with it, workers take the tasks from Redis (docs/background.md).

Tasks live in the `tasks.py` of the app that owns their data (found by `autodiscover_tasks`).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab.settings")

app = Celery("collab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
