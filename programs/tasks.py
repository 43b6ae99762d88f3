"""Background tasks of the programmes (collab/celery.py; the beat schedule in settings)."""

from __future__ import annotations

import dataclasses
import datetime

from celery import shared_task
from django.utils import timezone

from .reminders import send_reminders


@shared_task(name="programs.tasks.send_daily_reminders")
def send_daily_reminders(day: str | None = None) -> dict[str, int]:
    """The daily digest to coordinators (what `manage.py send_reminders` does), from celery beat.

    Safe to run twice the same day: ReminderLog lets each user have one digest a day.
    """
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return dataclasses.asdict(send_reminders(today=today))
