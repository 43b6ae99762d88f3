"""Commitments (funding, in kind, technical…) and their progress updates."""

from __future__ import annotations

import datetime
import decimal
import math
from array import array
from collections.abc import Iterator, Sequence

from programs.models import Commitment, CommitmentUpdate

from .core import ScaleGenerator, pick
from .rows import Row
from .words import TOPICS

COMMITMENT_TITLES = {
    Commitment.Kind.FUNDING: ("Dana hibah {}", "Pendanaan {}", "Dana CSR untuk {}"),
    Commitment.Kind.IN_KIND: ("Bantuan peralatan {}", "Penyediaan bahan {}", "Bantuan sarana {}"),
    Commitment.Kind.TECHNICAL: ("Pendampingan teknis {}", "Kajian {}", "Pelatihan {}"),
    Commitment.Kind.PROGRAMME: ("Pelaksanaan kegiatan {}", "Program {}", "Gerakan {}"),
    Commitment.Kind.POLICY: ("Peraturan daerah tentang {}", "Surat keputusan {}"),
    Commitment.Kind.OTHER: ("Dukungan publikasi {}", "Fasilitasi {}"),
}


def create_commitments(gen: ScaleGenerator) -> None:
    rng = gen.rng
    total = gen.counts.commitments
    planned = []
    for index in gen.program_choices(total):
        day = gen.day_between(gen.programs[index].starts_on, gen.anchor)
        planned.append((gen.stamp(day), index))
    planned.sort()
    kinds = (
        (0.25, Commitment.Kind.FUNDING),
        (0.5, Commitment.Kind.PROGRAMME),
        (0.7, Commitment.Kind.TECHNICAL),
        (0.85, Commitment.Kind.IN_KIND),
        (0.95, Commitment.Kind.POLICY),
        (1.0, Commitment.Kind.OTHER),
    )
    past_due = (
        (0.55, Commitment.Status.FULFILLED),
        (0.7, Commitment.Status.IN_PROGRESS),
        (0.9, Commitment.Status.PLEDGED),
        (1.0, Commitment.Status.CANCELLED),
    )
    not_due = (
        (0.45, Commitment.Status.PLEDGED),
        (0.9, Commitment.Status.IN_PROGRESS),
        (0.95, Commitment.Status.FULFILLED),
        (1.0, Commitment.Status.CANCELLED),
    )
    # Compact columns for the progress updates: 500,000 dicts would only cost memory.
    status_codes = {status: code for code, status in enumerate(Commitment.Status.values)}
    statuses = array("b")

    def rows() -> Iterator[Row]:
        for stamp, index in planned:
            info = gen.programs[index]
            kind = pick(rng, kinds)
            starts_on = stamp.date() + datetime.timedelta(days=rng.randint(0, 60))
            due_on = None
            if rng.random() < 0.9:
                due_on = starts_on + datetime.timedelta(days=rng.randint(30, 720))
            status = pick(rng, past_due if due_on and due_on < gen.anchor else not_due)
            statuses.append(status_codes[status])
            amount = None
            if kind == Commitment.Kind.FUNDING:
                # Rp 9 juta to Rp 3,6 miliar, most of them small.
                amount = decimal.Decimal(round(math.exp(rng.uniform(16, 22)), -5))
            elif kind == Commitment.Kind.IN_KIND and rng.random() < 0.6:
                amount = decimal.Decimal(round(math.exp(rng.uniform(14, 19)), -4))
            site_id = rng.choice(info.sites) if info.sites and rng.random() < 0.4 else None
            topic = rng.choice(TOPICS)
            title = rng.choice(COMMITMENT_TITLES[kind]).format(topic)
            if site_id is not None:
                title = f"{title} di {gen.site_names[site_id]}"
            yield {
                "program_id": info.id,
                "partner_id": rng.choice(info.members),
                "meeting_id": (
                    rng.choice(info.meetings) if info.meetings and rng.random() < 0.5 else None
                ),
                "site_id": site_id,
                "agreement_id": (
                    rng.choice(info.agreements) if info.agreements and rng.random() < 0.1 else None
                ),
                "title": title,
                "description": (
                    f"Mendukung {topic} bersama pemerintah daerah dan masyarakat."
                    if rng.random() < 0.3
                    else ""
                ),
                "kind": kind,
                "amount": amount,
                "starts_on": starts_on,
                "due_on": due_on,
                "status": status,
                "created_at": stamp,
                "updated_at": stamp,
            }

    ids = gen.write_table(Commitment, rows(), total)
    _commitment_updates(gen, ids, statuses, planned)


def _commitment_updates(
    gen: ScaleGenerator,
    ids: Sequence[int],
    statuses: Sequence[int],
    planned: Sequence[tuple[datetime.datetime, int]],
) -> None:
    """Progress logs: none for a pledge, one or two entries for the others, the last one
    carrying the commitment's current status."""
    rng = gen.rng
    values = Commitment.Status.values
    now = gen.now.timestamp()
    log: list[tuple[float, int, str, int, int]] = []
    for commitment_id, code, (stamp, index) in zip(ids, statuses, planned, strict=True):
        status = values[code]
        if status == Commitment.Status.PLEDGED:
            continue
        count = 1 if status == Commitment.Status.CANCELLED else rng.randint(1, 2)
        moments = sorted(rng.uniform(stamp.timestamp(), now) for _ in range(count))
        progress = 0
        for step, moment in enumerate(moments, start=1):
            last = step == count
            if last and status == Commitment.Status.FULFILLED:
                progress = 100
            elif not last or status == Commitment.Status.IN_PROGRESS:
                progress = min(95, progress + rng.randint(10, 50))
            entry_status = status if last else Commitment.Status.IN_PROGRESS
            log.append((moment, commitment_id, entry_status, progress, index))
    log.sort()
    notes = ("", "", "Sesuai rencana.", "Terkendala cuaca.", "Menunggu pencairan dana.")

    def rows() -> Iterator[Row]:
        for moment, commitment_id, status, progress, index in log:
            yield {
                "commitment_id": commitment_id,
                "status": status,
                "progress": progress,
                "note": rng.choice(notes),
                "created_by_id": gen.programs[index].coordinator_id,
                "created_at": datetime.datetime.fromtimestamp(moment, tz=gen.zone),
            }

    gen.write_table(CommitmentUpdate, rows(), len(log))
