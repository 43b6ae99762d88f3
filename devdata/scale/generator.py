"""The entry point: `generate` builds the whole data set in one transaction."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

from django.db import connection, transaction

from programs.models import Commitment
from programs.models.commitments import CommitmentTally
from programs.signals import recount_commitment_tallies

from . import accounts, agreements, commitments, meetings, partners, programs
from .cleanup import MissingReferenceData, delete_scale_data, missing_reference, scale_data_present
from .core import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_SEED,
    Progress,
    ScaleCounts,
    ScaleGenerator,
    ScaleReport,
    TableReport,
)
from .history import TRACKED_MODELS, max_id, write_history
from .rows import HistoryMode, WriterMode, explicit_timestamps


def build(gen: ScaleGenerator) -> ScaleReport:
    """The tables in the order their rows point at each other (the caller holds the transaction)."""
    started = time.perf_counter()
    gen.load_reference()
    watermarks = {model: max_id(model) for model in TRACKED_MODELS}
    with explicit_timestamps(*TRACKED_MODELS):
        accounts.create_users(gen)
        partners.create_partners(gen)
        programs.create_programs(gen)
        accounts.grant_rights(gen)
        programs.add_members(gen)
        programs.create_sites(gen)
        meetings.create_meetings(gen)
        agreements.create_agreements(gen)
        meetings.create_action_items(gen)
        commitments.create_commitments(gen)
    if gen.history is HistoryMode.SQL:
        write_history(gen, watermarks)
    # COPY and bulk_create bypass the signals that keep the status counters.
    with gen.step(CommitmentTally._meta.db_table) as written:
        written.append(recount_commitment_tallies().tallies)
    largest = gen.programs[0]
    gen.report.largest_program_slug = largest.slug
    gen.report.largest_program_commitments = Commitment.objects.filter(
        program_id=largest.id
    ).count()
    gen.report.seconds = time.perf_counter() - started
    return gen.report


def analyze(callback: Callable[[str, float], None] | None = None) -> None:
    """Fresh planner statistics (and, outside a transaction, the visibility map) on PostgreSQL.

    Three million rows inserted at once leave the planner guessing until autovacuum passes;
    the benchmark should meet the data as a production database that autovacuum keeps.
    """
    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    if callback:
        callback(statement, time.perf_counter() - started)


def generate(
    counts: ScaleCounts,
    *,
    seed: int = DEFAULT_SEED,
    anchor: datetime.date | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    history: HistoryMode = HistoryMode.SQL,
    writer: WriterMode = WriterMode.AUTO,
    password: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> ScaleReport:
    """Create the data set in one transaction (a failure leaves nothing behind).

    Raises MissingReferenceData without regions or SDG goals, and FileExistsError when an
    earlier run's data is present and `force` is false; with `force` that data is removed first.
    """
    missing = missing_reference()
    if missing:
        raise MissingReferenceData(", ".join(missing))
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: millions of queued checks
            # would all run at commit. Checked as rows arrive they are the same checks, but
            # measured 20 % faster overall (the parent rows are still in cache) and the queue
            # costs no memory.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        removed: TableReport | None = None
        if scale_data_present():
            if not force:
                raise FileExistsError("scale data present")
            delete_started = time.perf_counter()
            delete_scale_data()
            removed = TableReport(
                "(hapus data skala lama)", 0, time.perf_counter() - delete_started
            )
        generator = ScaleGenerator(
            counts,
            seed=seed,
            anchor=anchor,
            batch_size=batch_size,
            history=history,
            writer=writer,
            password=password,
            progress=progress,
        )
        report = build(generator)
        if removed is not None:
            report.tables.insert(0, removed)
        if connection.vendor == "postgresql":
            # Back to Django's default for whatever the caller's transaction does next (a test).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        commit_started = time.perf_counter()
    report.tables.append(TableReport("(commit)", 0, time.perf_counter() - commit_started))
    report.seconds = time.perf_counter() - started
    return report
