"""`manage.py generate_scale_data`: synthetic national-scale data (logic in devdata/scale/).

Needs `load_reference` first (sites and partners point at regions, programmes at SDG goals).
Refuses to run on a database that already holds scale data unless `--force`, which removes the
earlier scale data (and only that) before generating again. One transaction: an interrupted run
leaves nothing behind. Not for a production database: the rows are invented.
"""

from __future__ import annotations

import datetime
import sys
import time
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from collab.numbers import grouped, seconds
from devdata.scale.cleanup import MissingReferenceData
from devdata.scale.core import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_SEED,
    EMAIL_DOMAIN,
    STAFF_USERNAME,
    ScaleCounts,
    ScaleReport,
    TableReport,
)
from devdata.scale.generator import analyze, generate
from devdata.scale.rows import HistoryMode, WriterMode


class ProgressLine:
    """One line per table, redrawn in place with \\r: table, rows done/total, rows per second.

    Redrawn at most every 0.2 s, so drawing costs nothing next to the inserts; the final state
    of each table stays on screen.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.label = ""
        self.total = 0
        self.done = 0
        self.started = 0.0
        self.drawn = 0.0

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.started = self.drawn = time.perf_counter()
        self._draw()

    def advance(self, rows: int) -> None:
        self.done += rows
        now = time.perf_counter()
        if now - self.drawn >= 0.2:
            self.drawn = now
            self._draw()

    def finish(self) -> None:
        self._draw(final=True)
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, final: bool = False) -> None:
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        total = grouped(self.total) if self.total else "?"
        line = f"\r{self.label:<40} {grouped(self.done):>9}/{total:<9} {grouped(rate):>8} baris/s"
        if final:
            line += f"  {seconds(elapsed)} s"
        self.stream.write(line)
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Membuat data sintetis skala nasional untuk uji kinerja: mitra, program (sebaran Zipf), "
        "lokasi, rapat dengan kehadiran dan keputusan, rencana kerja, komitmen dengan "
        "perkembangannya, kesepakatan dengan penanda tangan dan pasal, serta hak 500 koordinator "
        "(skala-koordinator-N) dan satu staf (skala-staf). Perlu load_reference terlebih dahulu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = ScaleCounts()
        counts = parser.add_argument_group("jumlah baris")
        for name, help_text in (
            ("partners", "mitra"),
            ("programs", "program"),
            ("sites", "lokasi percontohan"),
            ("meetings", "rapat (kehadiran dan keputusan mengikuti)"),
            ("action_items", "butir rencana kerja"),
            ("commitments", "komitmen (catatan perkembangan mengikuti)"),
            ("agreements", "kesepakatan (penanda tangan dan pasal mengikuti)"),
            ("coordinators", "akun koordinator skala-koordinator-N"),
            ("coordinator_programs", "program yang dikoordinasi skala-koordinator-0"),
        ):
            counts.add_argument(
                f"--{name.replace('_', '-')}",
                dest=name,
                type=int,
                default=getattr(defaults, name),
                help=f"{help_text} (bawaan: {getattr(defaults, name)})",
            )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Benih acak: seed dan tanggal acuan yang sama menghasilkan data yang sama.",
        )
        parser.add_argument(
            "--anchor-date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Tanggal acuan 'hari ini' (YYYY-MM-DD; bawaan: hari ini).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Baris per INSERT (bawaan: {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--history",
            choices=[mode.value for mode in HistoryMode],
            default=HistoryMode.SQL.value,
            help=(
                "Riwayat: sql (bawaan; catatan '+' ditulis INSERT … SELECT di basis data), "
                "orm (bulk_create_with_history, lebih lambat), none (tanpa riwayat)."
            ),
        )
        parser.add_argument(
            "--writer",
            choices=[mode.value for mode in WriterMode],
            default=WriterMode.AUTO.value,
            help=(
                "Cara menulis baris: auto (bawaan; COPY di PostgreSQL, bulk_create di lainnya), "
                "copy, orm (bulk_create per batch di semua basis data)."
            ),
        )
        parser.add_argument(
            "--password",
            default=None,
            help="Kata sandi semua akun skala (bawaan: tanpa kata sandi yang dapat dipakai).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Hapus data skala yang sudah ada (hanya itu) lalu buat ulang.",
        )

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        counts = ScaleCounts(**{name: options[name] for name in ScaleCounts.__dataclass_fields__})
        problems = [
            name.replace("_", "-")
            for name, value in vars(counts).items()
            if value < (1 if name in {"partners", "programs"} else 0)
        ]
        if problems:
            raise CommandError(f"Jumlah tidak sah: --{', --'.join(problems)}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size harus lebih dari 0.")
        if options["writer"] == WriterMode.COPY and connection.vendor != "postgresql":
            raise CommandError("--writer copy hanya untuk PostgreSQL.")
        # Progress goes to the real terminal; call_command(stdout=…) in tests gets it silenced.
        progress = ProgressLine(self.stdout) if verbosity >= 1 else None
        started = time.perf_counter()
        try:
            report = generate(
                counts,
                seed=options["seed"],
                anchor=options["anchor_date"],
                batch_size=options["batch_size"],
                history=HistoryMode(options["history"]),
                writer=WriterMode(options["writer"]),
                password=options["password"],
                force=options["force"],
                progress=progress,
            )
        except MissingReferenceData as missing:
            raise CommandError(
                f"Data rujukan belum dimuat (kosong: {missing}). "
                "Jalankan `python manage.py load_reference` terlebih dahulu."
            ) from None
        except FileExistsError:
            raise CommandError(
                "Basis data ini sudah berisi data skala (program skala-…, mitra @"
                f"{EMAIL_DOMAIN}, akun {STAFF_USERNAME}). Tambahkan --force untuk "
                "menghapusnya dan membuat ulang."
            ) from None

        def vacuum_done(statement: str, took: float) -> None:
            report.tables.append(TableReport(statement, 0, took))

        analyze(vacuum_done)
        total = time.perf_counter() - started
        if verbosity >= 1:
            self._summary(report, total)

    def _summary(self, report: ScaleReport, total: float) -> None:
        self.stdout.write("")
        self.stdout.write(f"{'tabel':<40} {'baris':>10} {'detik':>8} {'baris/s':>10}")
        for table in report.tables:
            rate = grouped(table.rows / table.seconds) if table.rows and table.seconds else ""
            rows = grouped(table.rows) if table.rows else ""
            self.stdout.write(
                f"{table.label:<40} {rows:>10} {seconds(table.seconds):>8} {rate:>10}"
            )
        self.stdout.write(f"Cara menulis: {report.writer}.")
        self.stdout.write(
            f"Program terbesar: {report.largest_program_slug} "
            f"({grouped(report.largest_program_commitments)} komitmen)."
        )
        self.stdout.write(self.style.SUCCESS(f"Data skala selesai dibuat ({seconds(total)} s)."))
        sys.stdout.flush()
