"""`manage.py backup [--output ARCHIVE]`: the database and the private files in one archive with
a SHA-256 manifest (collab/backup.py). Restore with `manage.py restore ARCHIVE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from collab import backup
from collab.numbers import grouped


class Command(BaseCommand):
    help = (
        "Mencadangkan basis data (pg_dump pada PostgreSQL, API backup daring pada SQLite) dan "
        "berkas privat (pindaian perjanjian) ke satu arsip tar dengan manifest SHA-256. "
        "Pulihkan dengan `manage.py restore ARSIP`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="berkas arsip (bawaan: var/backups/collab-<tanggal>-<jam>.tar)",
        )
        parser.add_argument("--database", default="default", help="alias basis data Django")

    def handle(self, *args: Any, output: Path | None, database: str, **options: Any) -> None:
        try:
            result = backup.backup(output, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Cadangan ditulis: {result.path} ({grouped(result.size)} bita; "
                    f"{result.tables} tabel, {grouped(result.rows)} baris; "
                    f"{result.files} berkas)."
                )
            )
