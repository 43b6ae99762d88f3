"""Keeps CommitmentTally exact: every save and delete of a commitment moves its programme's
counters by ±1, in the same transaction as the write (connected in ProgramsConfig.ready).

Concurrency: the state before a save or delete is read from the database with the row locked
(`SELECT … FOR UPDATE`), never from the instance, which may be stale; the counters change with
`F()` arithmetic after the programme row is locked (`FOR NO KEY UPDATE`, which does not block
the foreign-key checks of other inserts). Writers of one programme thus apply their changes one
after the other, whatever the order of their statuses, and cannot deadlock on the counters.
`recount_commitment_tallies` takes the same locks before it counts.

Writes that bypass signals (`QuerySet.update()`, COPY, raw SQL) must call
`recount_commitment_tallies` for the programmes they touched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import IntegrityError, connections, models, transaction
from django.db.models import Count

from .models import Commitment, CommitmentStatus, Program
from .models.commitments import CommitmentTally

# Statuses a tally can hold; anything else (a value the choices do not know) is not counted.
TALLIED_STATUSES = frozenset(CommitmentStatus.values)


class Counted(NamedTuple):
    """Where a commitment counts: its programme and status, or nowhere (archived)."""

    program_id: int
    status: str


def _counted(program_id: int | None, status: str, archived_at: Any) -> Counted | None:
    if program_id is None or archived_at is not None or status not in TALLIED_STATUSES:
        return None
    return Counted(program_id, status)


def _locks(using: str) -> bool:
    """Whether row locks exist and hold: PostgreSQL inside a transaction (SQLite has neither
    row locks nor concurrent writers)."""
    connection = connections[using]
    return connection.features.has_select_for_update and connection.in_atomic_block


def _stored_state(pk: Any, using: str) -> tuple[int, str, Any] | None:
    """(program_id, status, archived_at) as stored now, with the row locked until commit."""
    commitments = Commitment._base_manager.using(using).filter(pk=pk)
    if _locks(using):
        commitments = commitments.select_for_update()
    return commitments.values_list("program_id", "status", "archived_at").first()


def lock_programs(program_ids: Iterable[int] | None, using: str) -> None:
    """Lock the programme rows (all of them for None) in id order until the transaction ends.

    FOR NO KEY UPDATE: other tally writers of these programmes wait, inserts of commitments
    (whose foreign-key checks take FOR KEY SHARE) do not.
    """
    if not _locks(using):
        return
    programs = Program._base_manager.using(using).select_for_update(no_key=True).order_by("pk")
    if program_ids is not None:
        programs = programs.filter(pk__in=sorted(set(program_ids)))
    list(programs.values_list("pk", flat=True))


def apply_changes(changes: Counter[Counted], using: str) -> None:
    """Add each change to its counter; a missing counter is created (counting up only)."""
    changes = Counter({key: delta for key, delta in changes.items() if delta})
    if not changes:
        return
    lock_programs({key.program_id for key in changes}, using)
    tallies = CommitmentTally._base_manager.using(using)
    for key in sorted(changes):
        delta = changes[key]
        counter = tallies.filter(program_id=key.program_id, status=key.status)
        if counter.update(count=models.F("count") + delta) or delta < 0:
            # A decrement without a counter: the programme is being deleted with its tallies.
            continue
        try:
            with transaction.atomic(using=using):
                tallies.create(program_id=key.program_id, status=key.status, count=delta)
        except IntegrityError:  # created meanwhile by a writer that held no lock
            counter.update(count=models.F("count") + delta)


class Recount(NamedTuple):
    """What `recount_commitment_tallies` wrote: counters, and active commitments counted."""

    tallies: int
    commitments: int


def recount_commitment_tallies(
    program_ids: Iterable[int] | None = None, *, using: str = "default"
) -> Recount:
    """Rebuild the tallies of `program_ids` (every programme for None) from the commitments.

    One transaction: the programmes are locked as the signal handlers lock them, the old
    counters deleted, the active commitments counted with one GROUP BY and a counter written
    for every programme and status (zeros included, so later writes only update).
    """
    with transaction.atomic(using=using):
        ids = None if program_ids is None else sorted(set(program_ids))
        lock_programs(ids, using)
        programs = Program._base_manager.using(using)
        tallies = CommitmentTally._base_manager.using(using)
        commitments = Commitment._base_manager.using(using).filter(
            archived_at__isnull=True, status__in=sorted(TALLIED_STATUSES)
        )
        if ids is not None:
            programs = programs.filter(pk__in=ids)
            tallies = tallies.filter(program_id__in=ids)
            commitments = commitments.filter(program_id__in=ids)
        tallies.delete()
        counts = {
            (program_id, status): number
            for program_id, status, number in commitments.order_by()
            .values_list("program_id", "status")
            .annotate(number=Count("pk"))
        }
        written = tallies.bulk_create(
            [
                CommitmentTally(
                    program_id=program_id, status=status, count=counts.get((program_id, status), 0)
                )
                for program_id in programs.order_by("pk").values_list("pk", flat=True)
                for status in CommitmentStatus.values
            ],
            batch_size=2000,
        )
        return Recount(tallies=len(written), commitments=sum(counts.values()))


def _before_save(sender: type[Commitment], instance: Commitment, using: str, **kwargs) -> None:
    stored = _stored_state(instance.pk, using) if instance.pk is not None else None
    instance._tally_stored = stored


def _after_save(
    sender: type[Commitment],
    instance: Commitment,
    using: str,
    update_fields: frozenset[str] | None = None,
    **kwargs,
) -> None:
    stored = instance.__dict__.pop("_tally_stored", None)
    before = _counted(*stored) if stored else None
    now = [instance.program_id, instance.status, instance.archived_at]
    if stored and update_fields is not None:
        # Fields the save did not write keep the stored values, not the instance's.
        for index, name in enumerate(("program", "status", "archived_at")):
            if name not in update_fields and f"{name}_id" not in update_fields:
                now[index] = stored[index]
    after = _counted(*now)
    changes: Counter[Counted] = Counter()
    if before:
        changes[before] -= 1
    if after:
        changes[after] += 1
    apply_changes(changes, using)


def _from_program(origin: Any) -> bool:
    """Whether a delete started at a programme: its tallies go with it, nothing to count."""
    if isinstance(origin, Program):
        return True
    return isinstance(origin, models.QuerySet) and issubclass(origin.model, Program)


def _before_delete(sender: type[Commitment], instance: Commitment, using: str, **kwargs) -> None:
    if _from_program(kwargs.get("origin")):
        return
    instance._tally_stored = _stored_state(instance.pk, using)


def _after_delete(sender: type[Commitment], instance: Commitment, using: str, **kwargs) -> None:
    stored = instance.__dict__.pop("_tally_stored", None)
    before = _counted(*stored) if stored else None
    if before:
        apply_changes(Counter({before: -1}), using)


def connect() -> None:
    """Connect the tally keepers (ProgramsConfig.ready)."""
    models.signals.pre_save.connect(_before_save, sender=Commitment, dispatch_uid="tally_pre")
    models.signals.post_save.connect(_after_save, sender=Commitment, dispatch_uid="tally_post")
    models.signals.pre_delete.connect(
        _before_delete, sender=Commitment, dispatch_uid="tally_pre_delete"
    )
    models.signals.post_delete.connect(
        _after_delete, sender=Commitment, dispatch_uid="tally_post_delete"
    )
