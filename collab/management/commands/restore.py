"""`manage.py restore ARCHIVE`: an archive of `manage.py backup` into an empty database and the
private folders, after checking every member against its manifest (collab/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from collab import backup
from collab.numbers import grouped


class Command(BaseCommand):
    help = (
        "Memulihkan arsip `manage.py backup` ke basis data yang kosong (DATABASE_URL) dan folder "
        "berkas privat. Arsip diperiksa dulu terhadap manifest SHA-256-nya: arsip yang rusak "
        "ditolak dan tidak ada yang diubah. Setelahnya jalankan `manage.py migrate` bila kode "
        "lebih baru dari cadangan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="arsip dari `manage.py backup`")
        parser.add_argument("--database", default="default", help="alias basis data Django")

    def handle(self, *args: Any, archive: Path, database: str, **options: Any) -> None:
        try:
            result = backup.restore(archive, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Dipulihkan dari {archive} (dibuat {result.created_at}): {result.tables} "
                    f"tabel, {grouped(result.rows)} baris, {result.files} berkas."
                )
            )
