"""`manage.py send_reminders`: the daily reminder digest to coordinators (programs.reminders).

Run it once a day from cron, e.g. `0 7 * * * … manage.py send_reminders` (07:00 Jakarta time).
Running it again the same day sends nothing twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from programs.reminders import send_reminders


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "E-mail each coordinator one digest (in Indonesian) of the open commitments and action "
        "items of their programmes that are overdue or due within 14 days, and of coordination "
        "meetings due by the programme's cadence with none scheduled. Safe to run again the same "
        "day: nobody gets a digest twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who would get a digest and its subject; send and record nothing.",
        )
        parser.add_argument(
            "--date",
            type=iso_date,
            help="The day to remind for, YYYY-MM-DD (default: today in the site's time zone).",
        )

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        today = options["date"] or timezone.localdate()
        dry_run = options["dry_run"]
        show = dry_run and verbosity >= 1 or verbosity >= 2
        report = send_reminders(
            today=today, dry_run=dry_run, progress=self.stdout.write if show else None
        )
        done = f"{report.would_send} would be sent (dry run)" if dry_run else f"{report.sent} sent"
        line = (
            f"Reminders for {today:%Y-%m-%d}: {report.coordinators} coordinators, {done}, "
            f"{report.already_sent} already sent today, {report.nothing_due} with nothing due, "
            f"{report.opted_out} opted out, {report.no_email} without e-mail, "
            f"{report.failed} failed."
        )
        if report.failed:
            # A non-zero exit, so that cron tells the operator; a rerun retries those users.
            raise CommandError(line)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(line))
