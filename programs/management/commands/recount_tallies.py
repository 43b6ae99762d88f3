"""`manage.py recount_tallies`: rebuild the counters of commitments by programme and status
(CommitmentTally) from the commitments themselves.

The counters follow every save and delete through programs.signals; run this after writes that
bypass signals (COPY, raw SQL, `QuerySet.update()`, a restore of one table), or to repair them.
One transaction; writers of the recounted programmes wait for it, readers do not.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from collab.numbers import grouped, seconds
from programs.models import Program
from programs.signals import recount_commitment_tallies


class Command(BaseCommand):
    help = (
        "Menghitung ulang penghitung komitmen aktif per program dan status (grafik komitmen "
        "menurut status) dari data komitmen. Tanpa --program: semua program."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--program",
            action="append",
            dest="slugs",
            metavar="SLUG",
            help="Hanya program dengan slug ini (boleh diulang).",
        )

    def handle(self, *args: Any, slugs: list[str] | None, verbosity: int, **options: Any) -> None:
        program_ids = None
        if slugs:
            found = dict(Program.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            missing = sorted(set(slugs) - set(found))
            if missing:
                raise CommandError(f"Program tidak ditemukan: {', '.join(missing)}.")
            program_ids = list(found.values())
        if verbosity >= 1:
            scope = f"{len(program_ids)} program" if program_ids else "semua program"
            self.stdout.write(f"Menghitung ulang penghitung komitmen ({scope})…")
        started = time.perf_counter()
        result = recount_commitment_tallies(program_ids)
        elapsed = seconds(time.perf_counter() - started)
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Selesai: {grouped(result.commitments)} komitmen aktif dihitung, "
                    f"{grouped(result.tallies)} baris penghitung ditulis, {elapsed} detik."
                )
            )
